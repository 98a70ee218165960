/**
 * npm run bench:web [-- --runs N] [-- --url URL --email E --password P]
 *
 * Builds the web app (apps/web/dist), then in headless Chromium measures
 *  1. the first page's transferred size: every response the sign-in page loads, raw and gzipped
 *     (zlib level 6, what a compressing proxy sends; the gateway itself sends files as they are);
 *  2. the time to show the home page with data: navigation start → day cards and the trend
 *     chart on screen, signed in, cold (empty cache) and warm (assets cached), median of N runs.
 * Without --url it starts the product stack (harness + persistence + gateway as processes) with a
 * user whose last 30 days are processed; with --url it measures a running stack (`npm run demo`)
 * with the given account.
 */
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startProductStack, type ProductStack } from '@giggles/e2e';
import { Pool } from 'pg';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import { buildApp, WEB_ROOT } from '../test/support/build-app';
import { seedRecentDays } from '../test/support/seed-day';

/** Goal for the first page, gzipped (issue 8). */
const FIRST_PAGE_BUDGET_BYTES = 150 * 1024;
/** Days of data the bench's own user gets. */
const SEEDED_DAYS = 30;
const PHONE = { width: 390, height: 844 };

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    runs: { type: 'string', default: '5' },
  },
});
const runs = Number(args.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  process.stderr.write('bench:web: --runs must be an integer from 1 to 50\n');
  process.exit(2);
}
if (args.url && (!args.email || !args.password)) {
  process.stderr.write('bench:web: --url needs --email and --password of an account with processed days\n');
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`bench:web: ${line}\n`);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startOwnStack(): Promise<{ stack: ProductStack; email: string; password: string }> {
  log('starting the stack (harness, persistence, gateway)…');
  const stack = await startProductStack({ pipeline: ['persistence'], scheduler: false, log });
  const email = `bench-web-${Date.now()}@example.test`;
  const password = 'bench web password 1';
  const res = await fetch(`${stack.url}/api/account`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, timezone: 'UTC' }),
  });
  if (res.status !== 201) throw new Error(`registering the bench user failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string } };
  const pool = new Pool({ connectionString: stack.stack.databaseUrl, max: 1 });
  try {
    await seedRecentDays(async (text, params) => (await pool.query(text, params)).rows, stack.stack.clipDir, { userId: user.id, timezone: 'UTC' }, SEEDED_DAYS);
  } finally {
    await pool.end();
  }
  log(`seeded ${SEEDED_DAYS} processed days for ${email}`);
  return { stack, email, password };
}

async function firstPage(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const files: Array<{ path: string; raw: number; gzip: number; encoding?: string }> = [];
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    if (!res.url().startsWith(url)) return;
    pending.push(
      res
        .body()
        .then((body) => {
          files.push({ path: new URL(res.url()).pathname, raw: body.length, gzip: gzipSync(body, { level: 6 }).length, encoding: res.headers()['content-encoding'] });
        })
        .catch(() => undefined),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await Promise.all(pending);
  await context.close();
  const raw = files.reduce((s, f) => s + f.raw, 0);
  const gz = files.reduce((s, f) => s + f.gzip, 0);
  console.log('first page (sign-in, nothing cached):');
  for (const f of files.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.path.padEnd(40)} ${kb(f.raw).padStart(9)} raw ${kb(f.gzip).padStart(9)} gzip${f.encoding ? ` (served ${f.encoding})` : ''}`);
  console.log(`  total: ${files.length} files, ${kb(raw)} raw, ${kb(gz)} gzipped — goal ≤ ${kb(FIRST_PAGE_BUDGET_BYTES)}: ${gz <= FIRST_PAGE_BUDGET_BYTES ? 'met' : 'MISSED'}`);
}

async function homeWithData(browser: Browser, url: string, email: string, password: string): Promise<void> {
  const measure = async (context: Awaited<ReturnType<Browser['newContext']>>) => {
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('.day-card').first().waitFor({ timeout: 30_000 });
    await page.locator('.chart canvas').first().waitFor({ timeout: 30_000 });
    // performance.now() counts from this navigation's start; resource timings say where it went.
    const timing = await page.evaluate(() => {
      const g = globalThis as unknown as {
        performance: { now(): number; getEntriesByType(type: string): Array<{ name: string; duration: number }> };
      };
      const api = g.performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/'))
        .map((e) => ({ path: new URL(e.name).pathname, ms: e.duration }));
      return { ms: g.performance.now(), api };
    });
    for (const call of timing.api) (apiTimes[call.path] ??= []).push(call.ms);
    await page.close();
    return timing.ms;
  };
  const apiTimes: Record<string, number[]> = {};
  const signedIn = async () => {
    const context = await browser.newContext({ viewport: PHONE, baseURL: url });
    const res = await context.request.post(`${url}/api/session`, { data: { email, password } });
    if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
    return context;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await signedIn();
    cold.push(await measure(context));
    warm.push(await measure(context));
    await context.close();
  }
  const line = (name: string, xs: number[]) =>
    `  ${name}: median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, ${xs.length} runs)`;
  console.log('home page with data (navigation start → day cards and trend chart drawn), phone viewport:');
  console.log(line('cold (nothing cached)', cold));
  console.log(line('warm (assets cached)', warm));
  console.log('  of which API calls (median over all loads):');
  for (const [path, xs] of Object.entries(apiTimes)) console.log(`    ${path.padEnd(20)} ${median(xs).toFixed(0)} ms`);
}

async function main(): Promise<void> {
  const started = Date.now();
  await buildApp(join(WEB_ROOT, 'dist'));
  log(`built apps/web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let own: Awaited<ReturnType<typeof startOwnStack>> | undefined;
  let browser: Browser | undefined;
  try {
    if (!args.url) own = await startOwnStack();
    const url = (args.url ?? own!.stack.url).replace(/\/$/, '');
    browser = await launchChromium();
    console.log(`bench:web against ${url} (load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    await firstPage(browser, url);
    await homeWithData(browser, url, args.email ?? own!.email, args.password ?? own!.password);
  } finally {
    await browser?.close();
    await own?.stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
