import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser build). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', 'artifacts');

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
} as const;
/** Each size runs in another zone, so local days are checked away from UTC (and across the date line from the server's UTC). */
export const TIMEZONES: Record<keyof typeof VIEWPORTS, string> = { phone: 'Europe/Berlin', desktop: 'America/Los_Angeles' };
export type ViewportName = keyof typeof VIEWPORTS;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A console error or uncaught exception the page produced, with where it came from. */
export interface PageProblem {
  kind: 'console' | 'pageerror' | 'requestfailed';
  text: string;
}

/** A page that records every console error, uncaught exception and failed request. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: PageProblem[];
  /** Problems since the last call (and forgets them): tests assert this is empty after each step. */
  takeProblems(): PageProblem[];
}

export async function openPage(browser: Browser, baseURL: string, viewport: ViewportName): Promise<WatchedPage> {
  const phone = viewport === 'phone';
  const context = await browser.newContext({
    baseURL,
    viewport: VIEWPORTS[viewport],
    timezoneId: TIMEZONES[viewport],
    locale: 'en-US',
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: PageProblem[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push({ kind: 'console', text: `${msg.text()} (${msg.location().url})` });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'pageerror', text: err.message }));
  page.on('requestfailed', (req) => {
    // A request the browser cancels itself — a navigation leaving a page mid-fetch, a media
    // element seeking or pausing — is not a failure of the app.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push({ kind: 'requestfailed', text: `${req.method()} ${req.url()}: ${req.failure()?.errorText}` });
  });
  return {
    context,
    page,
    problems,
    takeProblems: () => problems.splice(0),
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the page as it is; returns the serious and critical violations. */
/** What the page's axe-core exposes (typed here: the test code compiles without the DOM library). */
interface AxeGlobal {
  axe?: {
    run: (context: unknown, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>;
  };
  document: unknown;
}

/** Runs axe-core on the page as it is; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => (globalThis as unknown as AxeGlobal).axe !== undefined);
  // Evaluated over the DevTools protocol, not as a <script> tag, which the app's CSP would refuse.
  if (!loaded) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as AxeGlobal;
    const r = await g.axe!.run(g.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Saves a full-page screenshot under test/artifacts/<viewport>-<name>.png. */
export async function screenshot(page: Page, viewport: ViewportName, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${viewport}-${name}.png`);
  // From the top, so the sticky header is drawn where it belongs in the full-page picture.
  await page.evaluate(() => (globalThis as unknown as { scrollTo: (x: number, y: number) => void }).scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}
