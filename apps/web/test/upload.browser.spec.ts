import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferenceApp, createLogger as createInferenceLogger, loadInferenceConfig } from '@giggles/inference';
import { createIngestionApp, createLogger as createIngestionLogger, loadIngestionConfig } from '@giggles/ingestion';
import { freePort, sharedDir } from '@giggles/testing';
import { startGatewayStack, type GatewayStack, type TestUser } from '../../../services/gateway/test/support/gateway-stack';
import { buildApp } from './support/build-app';
import { launchChromium, openPage, screenshot, seriousAxeViolations, type ViewportName, type WatchedPage } from './support/browser';

/**
 * "Upload recordings" as a person without a Limitless key uses it, in real Chromium against the
 * real gateway, persistence, ingestion and inference (YAMNet): pick files, see where each lands
 * before anything is sent, upload with progress, reload midway and go on, then the laughs on the
 * right day at the right times — and clear per-file errors (cannot place, not audio, too large).
 * Files are generated here with ffmpeg from the eval recording (laughs at 82–86 s, 108–111 s and
 * 123–124 s of long_d1 → 12–54 s into the 70–130 s slice). Screenshots (phone and desktop) go to
 * test/artifacts/*-upload-*.png.
 */

const PASSWORD = 'laughing out loud 42';
const TIMEZONE = 'Europe/Berlin';
const CHUNK = 64 * 1024;
const MAX_BYTES = 4 * 1024 * 1024;
const EVAL = join(sharedDir(), 'eval', 'long_d1.ogg');

let stack: GatewayStack;
let ingestion: INestApplication;
let inference: INestApplication;
let browser: Browser;
let webDir: string;
let files: string;
let uploads: string;
let user: TestUser;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'giggles-upload-files-'));
  uploads = mkdtempSync(join(tmpdir(), 'giggles-upload-dir-'));
  ffmpeg(['-ss', '70', '-t', '60', '-i', EVAL, '-ac', '1', '-c:a', 'libopus', '-b:a', '24k', join(files, '20261201_141500.ogg')]);
  // 60 s of 16 kHz 16-bit WAV: ~1.9 MB, ~30 chunks — time to reload in the middle.
  ffmpeg(['-ss', '70', '-t', '60', '-i', EVAL, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', join(files, 'REC_20261201-160000.wav')]);
  ffmpeg(['-ss', '0', '-t', '5', '-i', EVAL, '-ac', '1', '-c:a', 'libopus', join(files, 'voice memo.ogg')]);
  // A phone memo whose name says nothing: its own recording time (MP4 creation_time, UTC) places it
  // at 17:30 Berlin time — shown before upload by the browser's reading of the file.
  ffmpeg(['-ss', '0', '-t', '5', '-i', EVAL, '-ac', '1', '-c:a', 'aac', '-metadata', 'creation_time=2026-12-01T16:30:00Z', join(files, 'New Recording 7.m4a')]);
  writeFileSync(join(files, '20261201_180000.mp3'), randomBytes(20_000)); // not audio
  writeFileSync(join(files, '20261201_190000.wav'), randomBytes(MAX_BYTES + 1)); // too large

  webDir = await buildApp();
  stack = await startGatewayStack({
    env: { GATEWAY_WEB_DIR: webDir, UPLOAD_DIR: uploads, UPLOAD_CHUNK_MAX_BYTES: String(CHUNK), UPLOAD_MAX_BYTES: String(MAX_BYTES) },
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  ingestion = await createIngestionApp(
    loadIngestionConfig({
      NATS_URL: stack.harness.natsUrl!,
      LIMITLESS_API_URL: stack.harness.limitless!.url,
      GIGGLES_ENCRYPTION_KEY: stack.encryptionKey,
      HEALTH_PORT: String(await freePort()),
      MEMORY_LIMIT_MB: '8192',
    }),
    createIngestionLogger('warn', quiet),
    { host: '127.0.0.1' },
  );
  inference = await createInferenceApp(
    loadInferenceConfig({
      NATS_URL: stack.harness.natsUrl!,
      GIGGLES_MODEL: process.env.GIGGLES_MODEL ?? join(sharedDir(), 'models', 'yamnet.tflite'),
      HEALTH_PORT: String(await freePort()),
      MEMORY_LIMIT_MB: '8192',
    }),
    createInferenceLogger('warn', quiet),
  );
  user = await stack.register(`upload-${Date.now()}@example.test`, PASSWORD, TIMEZONE);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await inference?.close();
  await ingestion?.close();
  await stack?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
  for (const dir of [files, uploads]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(w: WatchedPage): Promise<void> {
  await w.page.goto('/');
  await w.page.getByLabel('E-mail').fill(user.email);
  await w.page.getByLabel('Password').fill(PASSWORD);
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.getByRole('link', { name: 'Upload', exact: true }).waitFor();
}

async function look(w: WatchedPage, viewport: ViewportName, name: string): Promise<void> {
  await w.page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  const violations = await seriousAxeViolations(w.page);
  expect(violations, `axe on ${viewport} ${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  await screenshot(w.page, viewport, name);
  expect(w.takeProblems(), `console errors / failed requests during "${name}"`).toEqual([]);
}

// The picked files' cards (the list of past uploads below names the same files).
const item = (page: Page, name: string) => page.locator('ul.uploads > li').filter({ hasText: name });

describe('the upload page', () => {
  let w: WatchedPage;
  let page: Page;

  beforeAll(async () => {
    w = await openPage(browser, stack.baseUrl, 'phone');
    page = w.page;
    await signIn(w);
  });
  afterAll(async () => {
    await w?.context.close();
  });

  it('offers uploads to a user without a key, shows where files land before sending, resumes after a reload, and shows the laughs on the right day', async () => {
    // Home: no key, and uploads are offered next to adding one.
    await expect.poll(() => page.getByText('upload recordings').count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { name: 'Upload recordings' }).waitFor();
    await expect.poll(() => page.getByText('Nothing uploaded yet').count()).toBe(1);
    await look(w, 'phone', 'upload-empty');

    // The WAV first, alone: start it, reload in the middle, pick it again, it goes on.
    await page.locator('input[type=file]').setInputFiles(join(files, 'REC_20261201-160000.wav'));
    const wav = item(page, 'REC_20261201-160000.wav');
    await expect.poll(() => wav.textContent()).toMatch(/Dec 1, 2026, 16:00–16:01/);
    await page.getByRole('button', { name: /Upload and find laughs/ }).click();
    await expect.poll(async () => Number((await wav.locator('progress').getAttribute('value')) ?? 0), { timeout: 60_000 }).toBeGreaterThan(10 * CHUNK);
    await look(w, 'phone', 'upload-uploading');
    await page.reload();
    await page.getByRole('heading', { name: 'Upload recordings' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(join(files, 'REC_20261201-160000.wav'));
    await expect.poll(() => item(page, 'REC_20261201-160000.wav').textContent()).toMatch(/% already uploaded — it goes on from there/);
    const partial = (await user.agent.get('/api/imports').expect(200)).body.imports;
    expect(partial).toEqual([]); // nothing imported yet: the upload is unfinished

    // Add the rest: the Ogg with its time in the name, one without a time, one not audio, one too large.
    await page
      .locator('input[type=file]')
      .setInputFiles(['20261201_141500.ogg', 'New Recording 7.m4a', 'voice memo.ogg', '20261201_180000.mp3', '20261201_190000.wav'].map((f) => join(files, f)));
    await expect.poll(() => item(page, '20261201_141500.ogg').textContent()).toMatch(/Dec 1, 2026, 14:15–14:16.*from its name/);
    await expect.poll(() => item(page, 'New Recording 7.m4a').textContent()).toMatch(/Dec 1, 2026, 17:30–17:30.*from its recording time/);
    expect(await item(page, 'New Recording 7.m4a').locator('input[type=datetime-local]').inputValue()).toBe('2026-12-01T17:30'); // the input drops zero seconds
    await expect.poll(() => item(page, 'voice memo.ogg').textContent()).toMatch(/Cannot tell when this was recorded — set/);
    await look(w, 'phone', 'upload-chosen');

    await page.getByRole('button', { name: /Upload and find laughs \(6 files\)/ }).click();
    const ogg = item(page, '20261201_141500.ogg');
    await expect.poll(() => ogg.textContent(), { timeout: 240_000 }).toMatch(/[1-9]\d* laughs? on Tue, Dec 1/);
    await expect.poll(() => item(page, 'REC_20261201-160000.wav').textContent(), { timeout: 240_000 }).toMatch(/[1-9]\d* laughs? on/);
    await expect.poll(() => item(page, 'voice memo.ogg').textContent()).toMatch(/Cannot tell when this was recorded/);
    // The server placed the memo where the page said, without being sent a start.
    await expect.poll(() => item(page, 'New Recording 7.m4a').textContent(), { timeout: 240_000 }).toMatch(/laughs? on Tue, Dec 1.*17:30–17:30/);
    const memo = ((await user.agent.get('/api/imports').expect(200)).body.imports as { fileName: string; placedBy?: string; startMs?: number }[]).find((i) => i.fileName === 'New Recording 7.m4a');
    expect(memo?.placedBy).toBe('embedded');
    expect(memo?.startMs).toBe(Date.parse('2026-12-01T16:30:00Z'));
    await expect.poll(() => item(page, '20261201_180000.mp3').textContent()).toMatch(/Not an audio file Giggles can read|The audio is damaged/);
    await expect.poll(() => item(page, '20261201_190000.wav').textContent()).toMatch(/Too large: .*at most 4194304 bytes/);
    w.takeProblems(); // the too-large file's 413 is logged by the browser; it is the expected answer
    await look(w, 'phone', 'upload-done');

    // The day: the laughs at the right local times (14:15:12 … 14:15:54, and 16:00:12 … 16:00:54).
    await ogg.getByRole('link', { name: /Dec 1/ }).click();
    await page.waitForURL(/\/day\/2026-12-01$/);
    const laughs = (await user.agent.get('/api/days/2026-12-01/laughs').expect(200)).body.laughs as { startMs: number }[];
    expect(laughs.length).toBeGreaterThanOrEqual(2);
    const local = laughs.map((l) => new Intl.DateTimeFormat('en-GB', { timeZone: TIMEZONE, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(l.startMs));
    for (const t of local) expect(t).toMatch(/^(14:15|16:00):\d\d$/);
    await expect.poll(() => page.getByText(/14:15/).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await look(w, 'phone', 'upload-day');
  }, 600_000);

  it('at desktop size: the list of uploads with laughs per day and the refusals', async () => {
    const d = await openPage(browser, stack.baseUrl, 'desktop');
    try {
      await signIn(d);
      await d.page.goto('/upload');
      await expect.poll(() => d.page.locator('.imports__item').count()).toBeGreaterThanOrEqual(4);
      await look(d, 'desktop', 'upload-history');
      await d.page.locator('input[type=file]').setInputFiles([join(files, '20261201_141500.ogg'), join(files, 'New Recording 7.m4a'), join(files, 'voice memo.ogg')]);
      const memo = d.page.locator('ul.uploads > li').filter({ hasText: 'voice memo.ogg' });
      await expect.poll(() => memo.textContent()).toMatch(/Cannot tell when this was recorded/);
      // A start the user sets is what the page shows (and what it sends).
      await memo.locator('input[type=datetime-local]').fill('2026-12-02T09:05:00');
      await expect.poll(() => memo.textContent()).toMatch(/Dec 2, 2026, 09:05–09:05.*set by you/);
      await expect.poll(() => d.page.locator('ul.uploads > li').filter({ hasText: 'New Recording 7.m4a' }).textContent()).toMatch(/17:30.*from its recording time/);
      await look(d, 'desktop', 'upload-chosen');
    } finally {
      await d.context.close();
    }
  });
});
