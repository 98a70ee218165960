import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import { HISTORY_QUERIES } from '@giggles/contracts';
import { request as ask } from '@giggles/messaging';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestionApp, createLogger as createIngestionLogger, loadIngestionConfig } from '@giggles/ingestion';
import { freePort, sharedDir } from '@giggles/testing';
import { startGatewayStack, type GatewayStack, type TestUser } from '../../../services/gateway/test/support/gateway-stack';
import { addDays, startOfLocalDay, todayIn } from '../src/lib/format';
import { buildApp } from './support/build-app';
import { launchChromium, openPage, screenshot, seriousAxeViolations, type ViewportName, type WatchedPage } from './support/browser';
import { seedDays } from './support/seed-day';

/**
 * "Process my whole history" as a person uses it, at phone size, in real Chromium against the real
 * gateway, persistence, scheduler and ingestion (ingestion finds the first recorded day on the
 * Limitless simulator's timeline): the card explains itself, one tap starts the backfill from that
 * day, progress arrives live over Server-Sent Events as days are processed, pause and resume work;
 * and the home page tells "Limitless unreachable" apart from an invalid key. Screenshots at phone
 * and desktop size go to test/artifacts/history-*.png. The scheduler runs without timers here, so
 * no day is downloaded: days are processed through persistence's own write path (seed-day.ts).
 */

const KEY = 'web-history-limitless-key';
const PASSWORD = 'laughing out loud 42';
const TIMEZONE = 'Europe/Berlin';
/** The first (and only) recording on the simulator's timeline: this many days before today. */
const FIRST_RECORDING_DAYS_AGO = 12;

let stack: GatewayStack;
let ingestion: INestApplication;
let browser: Browser;
let webDir: string;
let user: TestUser;

beforeAll(async () => {
  webDir = await buildApp();
  stack = await startGatewayStack({ limitlessKeys: [KEY], env: { GATEWAY_WEB_DIR: webDir, GATEWAY_JOB_EVENTS_POLL_INTERVAL: '300ms' } });
  const config = loadIngestionConfig({
    NATS_URL: stack.harness.natsUrl!,
    LIMITLESS_API_URL: stack.harness.limitless!.url,
    GIGGLES_ENCRYPTION_KEY: stack.encryptionKey,
    HEALTH_PORT: String(await freePort()),
    MEMORY_LIMIT_MB: '8192',
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  ingestion = await createIngestionApp(config, createIngestionLogger('warn', quiet), { host: '127.0.0.1' });
  user = await stack.register(`history-${Date.now()}@example.test`, PASSWORD, TIMEZONE);
  await user.agent.put('/api/limitless-key').send({ apiKey: KEY }).expect(200);
  const firstDay = addDays(todayIn(TIMEZONE), -FIRST_RECORDING_DAYS_AGO);
  stack.harness.limitless!.addRecording(KEY, startOfLocalDay(firstDay, TIMEZONE) + 10 * 3_600_000, join(sharedDir(), 'eval', 'long_d1.ogg'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await ingestion?.close();
  await stack?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

async function signIn(w: WatchedPage): Promise<void> {
  await w.page.goto('/');
  await w.page.getByLabel('E-mail').fill(user.email);
  await w.page.getByLabel('Password').fill(PASSWORD);
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.getByRole('link', { name: 'Settings' }).waitFor();
}

async function look(w: WatchedPage, viewport: ViewportName, name: string): Promise<void> {
  await w.page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined); // an open event stream never idles
  const violations = await seriousAxeViolations(w.page);
  expect(violations, `axe on ${viewport} ${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await screenshot(w.page, viewport, name);
  expect(w.takeProblems(), `console errors / failed requests during "${name}"`).toEqual([]);
}

function card(page: Page) {
  return page.getByRole('region', { name: 'Your whole history' });
}

describe('the history card', () => {
  let w: WatchedPage;
  let desktop: WatchedPage;
  let page: Page;

  beforeAll(async () => {
    w = await openPage(browser, stack.baseUrl, 'phone');
    page = w.page;
    await signIn(w);
  });
  afterAll(async () => {
    await w?.context.close();
    await desktop?.context.close();
  });

  it('at phone size: explains why, starts from the first recorded day, shows live progress, pauses and resumes', async () => {
    await page.goto('/settings');
    const history = card(page);
    await history.waitFor();
    await expect.poll(() => history.textContent()).toMatch(/only through 2026/);
    await look(w, 'phone', 'history-before');

    await history.getByRole('button', { name: 'Process my whole history' }).click();
    const firstDay = addDays(todayIn(TIMEZONE), -FIRST_RECORDING_DAYS_AGO);
    const status = history.getByRole('status').filter({ hasText: /days? done/ });
    await expect.poll(() => status.textContent()).toMatch(new RegExp(`^Processing your history: 0 of ${FIRST_RECORDING_DAYS_AGO} days done`));
    await expect.poll(() => history.locator('progress').getAttribute('max')).toBe(String(FIRST_RECORDING_DAYS_AGO));
    const backfill = (await user.agent.get('/api/backfill').expect(200)).body.backfill;
    expect(backfill).toMatchObject({ from: firstDay, to: addDays(todayIn(TIMEZONE), -1), state: 'active' });

    // Three days get processed (yesterday with four laughs, an empty day, a day with a failed window):
    // the card follows without a reload.
    await seedDays(stack.sql, stack.clipDir, { userId: user.userId, timezone: TIMEZONE });
    await expect.poll(() => history.getByRole('definition').nth(2).textContent()).toBe('4');
    await expect.poll(() => status.textContent()).toMatch(/[1-9] of 12 days done/);
    expect(await history.getByRole('definition').nth(1).textContent()).toMatch(/^\d+(\.\d)? h$/);
    await look(w, 'phone', 'history-progress');
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await look(w, 'phone', 'history-progress-dark');
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }

    await history.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => status.textContent()).toMatch(/^Paused:/);
    expect((await user.agent.get('/api/backfill').expect(200)).body.backfill.state).toBe('paused');
    await look(w, 'phone', 'history-paused');

    await history.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => status.textContent()).toMatch(/^Processing your history/);
    expect((await user.agent.get('/api/backfill').expect(200)).body.backfill.state).toBe('active');
  });

  it('at desktop size: the same card, and the home page says when Limitless is unreachable (not "invalid key")', async () => {
    desktop = await openPage(browser, stack.baseUrl, 'desktop');
    await signIn(desktop);
    await desktop.page.goto('/settings');
    await expect.poll(() => card(desktop.page).getByRole('status').filter({ hasText: /days? done/ }).textContent()).toMatch(/of 12 days done/);
    await look(desktop, 'desktop', 'history-progress');

    // What the scheduler does once Limitless has not answered for SCHEDULER_API_OUTAGE_PAUSE_AFTER: persistence's own query.
    const nc = await connect({ servers: stack.harness.natsUrl! });
    try {
      await ask(nc, HISTORY_QUERIES.apiOutageSet, { userId: user.userId, action: 'pause', reason: 'Limitless unreachable — downloads paused' }, { timeoutMs: 10_000 });
    } finally {
      await nc.close();
    }
    for (const [pageOf, viewport] of [
      [page, 'phone'],
      [desktop.page, 'desktop'],
    ] as const) {
      await pageOf.goto('/');
      const banner = pageOf.getByRole('status', { name: 'Limitless can’t be reached' });
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/Your key is\s+fine/);
      expect(await pageOf.getByRole('alert', { name: 'Limitless stopped accepting your key' }).count()).toBe(0);
      await look(viewport === 'phone' ? w : desktop, viewport, 'history-home-unreachable');
    }
  });
});
