import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack, type TestUser } from '../../../services/gateway/test/support/gateway-stack';
import { HOUR, PipelineResults } from '../../../services/gateway/test/support/pipeline-results';
import { addDays, startOfLocalDay, todayIn } from '../src/lib/format';
import { buildApp } from './support/build-app';
import { launchChromium, openPage, screenshot, seriousAxeViolations, TIMEZONES, type ViewportName, type WatchedPage } from './support/browser';

/**
 * "Keep my audio" as a person uses it, in real Chromium against the real gateway and persistence
 * (AUDIO_ARCHIVE=filesystem): the settings card off and empty, switched on, the size once a day is
 * kept; the day page's "Download this day's audio" (a zip download) only on a day with kept audio.
 * The "server keeps no audio" and error states are the real page with the archive route's answer
 * replaced. Screenshots at phone and desktop size go to test/artifacts/*-archive-*.png.
 */

const PASSWORD = 'keep the giggles 42';

let stack: GatewayStack;
let pipeline: PipelineResults;
let browser: Browser;
let webDir: string;
let archiveDir: string;

beforeAll(async () => {
  webDir = await buildApp();
  archiveDir = await mkdtemp(join(tmpdir(), 'giggles-web-archive-'));
  stack = await startGatewayStack({
    env: { GATEWAY_WEB_DIR: webDir },
    persistenceEnv: { AUDIO_ARCHIVE: 'filesystem', AUDIO_ARCHIVE_DIR: archiveDir, AUDIO_ARCHIVE_RETENTION_DAYS: '365' },
  });
  await stack.harness.reloadSchema('audio_archive');
  pipeline = await PipelineResults.open(stack.harness.natsUrl!);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await pipeline?.close();
  await stack?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

async function signIn(w: WatchedPage, user: TestUser): Promise<void> {
  await w.page.goto('/');
  await w.page.getByLabel('E-mail').fill(user.email);
  await w.page.getByLabel('Password').fill(PASSWORD);
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.getByRole('link', { name: 'Settings' }).waitFor();
}

async function look(w: WatchedPage, viewport: ViewportName, name: string): Promise<void> {
  await w.page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  const violations = await seriousAxeViolations(w.page);
  expect(violations, `axe on ${viewport} ${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await screenshot(w.page, viewport, name);
  expect(w.takeProblems(), `console errors / failed requests during "${name}"`).toEqual([]);
}

function card(page: Page) {
  return page.getByRole('region', { name: 'Keep my audio' });
}

/** Two processed windows of yesterday (08:00 and 20:00 local) with their Ogg audio. */
async function processYesterday(user: TestUser): Promise<{ date: string; bytes: number }> {
  const date = addDays(todayIn(user.timezone), -1);
  const start = startOfLocalDay(date, user.timezone);
  const audio = [Buffer.alloc(900_000, 1), Buffer.alloc(350_000, 2)];
  for (const [i, hour] of [8, 20].entries()) {
    audio[i].write('OggS', 0, 'latin1');
    await pipeline.processedWindow({ userId: user.userId, localDate: date, windowStartMs: start + hour * HOUR, windowEndMs: start + (hour + 2) * HOUR, laughs: [{ startMs: start + hour * HOUR + 600_000 }], audio: audio[i] });
  }
  return { date, bytes: audio[0].length + audio[1].length };
}

describe.each(['phone', 'desktop'] as const)('keeping the audio at %s size', (viewport) => {
  let w: WatchedPage;
  let user: TestUser;

  beforeAll(async () => {
    user = await stack.register(`archive-${viewport}-${Date.now()}@example.test`, PASSWORD, TIMEZONES[viewport]);
    w = await openPage(browser, stack.baseUrl, viewport);
    await signIn(w, user);
  });
  afterAll(() => w?.context.close());

  it('the settings card: off and empty, switched on, then the size of what is kept', async () => {
    await w.page.goto('/settings');
    const archive = card(w.page);
    const toggle = archive.getByRole('switch', { name: /Keep the recordings of processed days/ });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    expect(await archive.textContent()).toContain('Nothing is kept yet.');
    expect(await archive.textContent()).toContain('for 365 days');
    await archive.scrollIntoViewIfNeeded();
    await look(w, viewport, 'archive-settings-off');

    await toggle.click();
    await expect.poll(() => archive.getByRole('status').textContent()).toMatch(/^On:/);
    expect(await toggle.isChecked()).toBe(true);
    expect((await user.agent.get('/api/archive').expect(200)).body.enabled).toBe(true);
    await look(w, viewport, 'archive-settings-on-empty');

    await processYesterday(user);
    await w.page.reload();
    await expect.poll(() => card(w.page).locator('.archive__size').textContent()).toMatch(/^1\.3 MB kept over 1 day \(/);
    await look(w, viewport, 'archive-settings-size');
  });

  it("the day page offers the day's audio as a zip only when it is kept", async () => {
    const date = addDays(todayIn(user.timezone), -1);
    await w.page.goto(`/day/${date}`);
    const link = w.page.getByRole('link', { name: "Download this day's audio" });
    await link.waitFor();
    expect(await w.page.getByText(/2 recordings, 1\.3 MB/).count()).toBe(1);
    await look(w, viewport, 'archive-day-download');
    const [download] = await Promise.all([w.page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`giggles-audio-${date}.zip`);
    const zip = await readFile((await download.path())!);
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(zip.length).toBeGreaterThan(1_250_000);

    // A day without kept audio shows no download.
    await w.page.goto(`/day/${addDays(date, -3)}`);
    await w.page.getByRole('heading', { name: 'This day' }).waitFor().catch(() => undefined);
    await w.page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    expect(await w.page.getByRole('link', { name: "Download this day's audio" }).count()).toBe(0);
    w.takeProblems(); // a day with nothing recorded answers 404 to its summary: the page's own empty state
  });

  it('says so when this server keeps no audio, and when the archive cannot be read', async () => {
    await w.page.route('**/api/archive', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ mode: 'off', enabled: false, retentionDays: 0, windows: 0, bytes: 0, days: 0 }) }),
    );
    await w.page.goto('/settings');
    await card(w.page).getByText('This Giggles server keeps no audio').waitFor();
    expect(await card(w.page).getByRole('switch').count()).toBe(0);
    await look(w, viewport, 'archive-settings-server-off');

    await w.page.unroute('**/api/archive');
    await w.page.route('**/api/archive', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, message: 'Giggles is not reachable right now — try again in a moment.' }) }));
    await w.page.goto('/settings');
    await card(w.page).getByRole('alert').waitFor();
    await card(w.page).getByRole('button', { name: 'Try again' }).waitFor();
    w.takeProblems(); // the 503 is the point here
    await screenshot(w.page, viewport, 'archive-settings-error');
    await w.page.unroute('**/api/archive');
  });
});
