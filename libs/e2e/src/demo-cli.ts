/** The body of `npm run demo` (libs/e2e/scripts/demo.ts): the whole product on this machine until Ctrl-C. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connectNats } from '@giggles/messaging';
import { repoRoot, sharedDir } from '@giggles/testing';
import { DemoHelpRequested, machineTimezone, parseDemoArgs, type DemoArgs } from './demo-args';
import { demoRecordings, placeDemoDay, processDemoNight } from './demo-night';
import { ensureWebBuild } from './demo-web-build';
import { GatewayClient } from './gateway-client';
import { startProductStack, type ProductStack } from './product-stack';
import { defaultRecordingsDir } from './stack';
import { addDays, localDateOf } from './time';

/** The demo account (example.com: reserved, never a real mailbox). */
export const DEMO_EMAIL = 'demo@example.com';
/**
 * The demo scheduler looks back one day only (SCHEDULER_CATCH_UP_DAYS=1), so the demo user's
 * home page shows the demo night rather than a week of "no audio" days before it.
 */
const DEMO_SCHEDULER_ENV = { SCHEDULER_CATCH_UP_DAYS: '1' };
/**
 * The simulated pendant has uploaded all of yesterday before the demo starts, so ingestion need
 * not wait INGESTION_SETTLE_TIME (2 h) before it believes a window without audio is empty: run
 * right after the user's midnight, the demo night is whole, not "partial, retrying later".
 */
const DEMO_INGESTION_ENV = { INGESTION_SETTLE_TIME: '0' };
/** How often a running demo checks that its services are still alive. */
const WATCH_INTERVAL_MS = 5_000;

/** Something about the inputs or this machine the person running the demo can fix; printed without a stack. */
export class DemoSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoSetupError';
  }
}

export interface DemoReady {
  url: string;
  email: string;
  password: string;
  natsUrl: string;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv, { timezone: machineTimezone() });
  } catch (error) {
    if (error instanceof DemoHelpRequested) {
      process.stdout.write(`${error.message}\n`);
      process.exit(0);
    }
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = (line: string) => process.stderr.write(`demo: ${line}\n`);
  // With --json, stdout carries exactly one line: anything a library prints goes to stderr.
  if (args.json) console.log = (...parts: unknown[]) => process.stderr.write(`${parts.map(String).join(' ')}\n`);

  const root = repoRoot(__dirname);
  // Everything that can be wrong with the inputs is found before anything starts.
  let recordings: string[];
  try {
    recordings = demoRecordings(args.recordings ?? defaultRecordingsDir());
  } catch (error) {
    throw new DemoSetupError((error as Error).message);
  }
  const model = process.env.GIGGLES_MODEL ?? join(sharedDir(), 'models', 'yamnet.tflite');
  if (!existsSync(model)) throw new DemoSetupError(`the YAMNet model ${model} is missing: put yamnet.tflite (and yamnet_class_map.csv) there or set GIGGLES_MODEL`);
  if (args.port !== 0) await assertPortFree(args.port);
  const webDir = await ensureWebBuild(root, log);

  let product: ProductStack | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    stopping ??= (async () => {
      log(`${why}: stopping everything`);
      await product?.stop();
      log('stopped');
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: still stopping (services get up to 10 s each)`);
      return;
    }
    void stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stopping failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `npm run demo` starts this through a launcher; if the launcher goes away (killed), so does the demo.
  const parentPid = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid !== parentPid) onSignal('SIGHUP');
  }, 1_000);
  parentWatch.unref();

  try {
    product = await startProductStack({
      port: args.port === 0 ? undefined : args.port,
      mode: args.mode,
      logDir: args.logDir,
      log,
      schedulerEnv: DEMO_SCHEDULER_ENV,
      pipelineEnv: { ingestion: DEMO_INGESTION_ENV },
      gatewayEnv: {
        // Plain http on localhost: browsers drop Secure cookies there (see services/gateway/README.md).
        GATEWAY_COOKIE_SECURE: 'false',
        ...(webDir ? { GATEWAY_WEB_DIR: webDir } : {}),
      },
    });
    if (stopping) return;
    const ready = await prepareDemoUser(product, args, recordings, log);
    if (stopping) return;
    announce(ready, args.json, product.stack.logDir);
  } catch (error) {
    await stop('start-up failed');
    throw error;
  }

  const watch = setInterval(() => {
    try {
      product?.assertServicesAlive();
    } catch (error) {
      log(`a service stopped on its own: ${(error as Error).message.split('\n')[0]}`);
      clearInterval(watch);
    }
  }, WATCH_INTERVAL_MS);
  watch.unref();
  // Stays up until a signal: the signal handler exits the process.
  await new Promise<never>(() => undefined);
}

/**
 * The demo user: the pendant's recordings placed on yesterday (the user's zone) in the Limitless
 * simulator, an account registered and the key saved through the gateway's API (as a person would
 * in the web app), then that night processed through the scheduler's process-day command.
 */
async function prepareDemoUser(product: ProductStack, args: DemoArgs, recordings: string[], log: (line: string) => void): Promise<DemoReady> {
  const { stack } = product;
  const yesterday = addDays(localDateOf(Date.now(), args.timezone), -1);
  const apiKey = `sk-demo-${randomBytes(12).toString('hex')}`;
  const password = `giggles-${randomBytes(6).toString('hex')}`;
  const placed = placeDemoDay(stack.simulator, apiKey, recordings, yesterday, args.timezone);
  const audioMinutes = placed.reduce((sum, p) => sum + (p.endMs - p.startMs), 0) / 60_000;
  log(`the demo pendant recorded ${placed.length} recordings (${audioMinutes.toFixed(1)} min) on ${yesterday} (${args.timezone})`);

  const client = new GatewayClient(product.url);
  const me = await client.register(DEMO_EMAIL, password, args.timezone);
  await client.saveLimitlessKey(apiKey);
  log(`registered ${DEMO_EMAIL} and saved its Limitless key through ${product.url}/api`);

  const nc = await connectNats(product.natsUrl, 'giggles-demo');
  try {
    const started = Date.now();
    const { jobIds } = await processDemoNight(stack, nc, me.id, yesterday);
    const [{ laughs }] = await stack.query<{ laughs: string }>(
      'SELECT count(*) AS laughs FROM public.laughter_detections WHERE user_id = $1 AND deleted_at IS NULL',
      [me.id],
    );
    log(`processed ${yesterday} in ${((Date.now() - started) / 1000).toFixed(1)} s (job ${jobIds.join(', ')}): ${laughs} laughs`);
  } finally {
    await nc.close();
  }
  return { url: product.url, email: DEMO_EMAIL, password, natsUrl: product.natsUrl };
}

function announce(ready: DemoReady, json: boolean, logDir: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ url: ready.url, email: ready.email, password: ready.password, natsUrl: ready.natsUrl })}\n`);
    return;
  }
  process.stdout.write(
    [
      '',
      `Giggles is running: open ${ready.url}`,
      `  sign in as  ${ready.email}`,
      `  password    ${ready.password}`,
      `  operator    npm run giggles -- status --nats ${ready.natsUrl}`,
      `  logs        ${logDir}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () => reject(new DemoSetupError(`port ${port} on 127.0.0.1 is in use: pass --port N (or --port 0 for any free port)`)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
