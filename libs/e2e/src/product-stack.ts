import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, repoRoot as findRepoRoot } from '@giggles/testing';
import { startService, type ServiceMode, type ServiceProcess } from './service-process';
import { SERVICE_MEMORY_LIMIT_MB, startStack, type Stack, type StackOptions } from './stack';

/**
 * docker-compose.yml's memory limit for the gateway container (MEMORY_LIMIT_MB, which its
 * readiness compares RSS against); the pipeline services' limits are SERVICE_MEMORY_LIMIT_MB.
 */
export const GATEWAY_MEMORY_LIMIT_MB = 192;
/**
 * What running from source adds to a process's resident set (tsx's or SWC's loader and the
 * compiled sources in memory: ~40–50 MiB measured, see README), added to MEMORY_LIMIT_MB of the
 * scheduler and the gateway in source mode so their readiness judges the service, not the loader.
 */
export const SOURCE_LOADER_ALLOWANCE_MB = 64;

export interface ProductStackOptions {
  /** Public port of the gateway (default: a free port). */
  port?: number;
  /** Interface the gateway listens on (default 127.0.0.1: the demo is for this machine only). */
  host?: string;
  /** source (tsx) or dist for the five services; see service-process.ts. */
  mode?: ServiceMode;
  /** The gateway alone from its build (`npx nx run gateway:build` first) while the others run as `mode` says. */
  gatewayMode?: ServiceMode;
  logDir?: string;
  log?: (line: string) => void;
  /** Extra environment for every service, then per service (wins). */
  env?: Record<string, string>;
  schedulerEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Per pipeline service (e.g. persistence's NODE_OPTIONS), as startStack's serviceEnv. */
  pipelineEnv?: StackOptions['serviceEnv'];
  /** Which of the pipeline services to start (default all three; bench:gateway needs persistence only). */
  pipeline?: StackOptions['only'];
  /** Whether to start the scheduler (default true). */
  scheduler?: boolean;
  readyTimeoutMs?: number;
}

/** The whole product on this machine: the pipeline stack (startStack, with no users of its own) plus the scheduler and the gateway. */
export interface ProductStack {
  readonly stack: Stack;
  readonly gateway: ServiceProcess;
  readonly scheduler?: ServiceProcess;
  /** Where the gateway serves the API and the web app, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly natsUrl: string;
  /** The cipher key every service shares (GIGGLES_ENCRYPTION_KEY). */
  readonly encryptionKey: string;
  /** Every service process (pipeline, scheduler, gateway). */
  processes(): ServiceProcess[];
  /** Throws with the log tail when any service died on its own. */
  assertServicesAlive(): void;
  /** Stops the gateway, the scheduler, then the pipeline stack and the harness (NATS, Postgres, PostgREST, simulators). */
  stop(): Promise<void>;
}

/**
 * Starts everything Giggles is on one machine: startStack (private NATS, Postgres migrated by
 * persistence, PostgREST + Supabase Auth and Storage simulators behind the router, the Limitless
 * simulator behind its proxy, persistence, ingestion and inference as processes), then the
 * scheduler and the gateway as processes against the same NATS, database and simulators.
 * Users come later, through the gateway's API (the stack creates none).
 */
export async function startProductStack(options: ProductStackOptions = {}): Promise<ProductStack> {
  const log = options.log ?? (() => undefined);
  const root = findRepoRoot(__dirname);
  const mode: ServiceMode = options.mode ?? (process.env.E2E_SERVICE_MODE === 'dist' ? 'dist' : 'source');
  const encryptionKey = randomBytes(32).toString('hex');
  const stack = await startStack({
    users: [],
    mode,
    logDir: options.logDir,
    log,
    only: options.pipeline,
    serviceEnv: options.pipelineEnv,
    readyTimeoutMs: options.readyTimeoutMs,
    env: { ...options.env, GIGGLES_ENCRYPTION_KEY: encryptionKey },
  });
  const started: ServiceProcess[] = [];
  const stopStarted = async () => {
    for (const p of started.splice(0).reverse()) await p.stop().catch(() => undefined);
  };
  try {
    const { harness } = stack;
    const common: Record<string, string> = {
      NATS_URL: harness.natsUrl!,
      LOG_LEVEL: 'info',
      ...options.env,
    };
    let scheduler: ServiceProcess | undefined;
    if (options.scheduler !== false) {
      scheduler = startService({
        name: 'scheduler',
        repoRoot: root,
        mode,
        healthPort: await freePort(),
        logFile: join(stack.logDir, 'scheduler.log'),
        env: { ...common, MEMORY_LIMIT_MB: String(SERVICE_MEMORY_LIMIT_MB.scheduler + allowance(mode)), ...options.schedulerEnv },
      });
      started.push(scheduler);
    }
    const port = options.port ?? (await freePort());
    const host = options.host ?? '127.0.0.1';
    const gateway = startService({
      name: 'gateway',
      repoRoot: root,
      mode: options.gatewayMode ?? mode,
      healthPort: await freePort(),
      logFile: join(stack.logDir, 'gateway.log'),
      env: {
        ...common,
        MEMORY_LIMIT_MB: String(GATEWAY_MEMORY_LIMIT_MB + allowance(options.gatewayMode ?? mode)),
        GATEWAY_PORT: String(port),
        GATEWAY_HOST: host,
        SUPABASE_URL: harness.supabaseUrl!,
        SUPABASE_ANON_KEY: harness.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: harness.serviceRoleKey,
        SUPABASE_JWT_SECRET: harness.jwtKeys.secret,
        GIGGLES_ENCRYPTION_KEY: encryptionKey,
        LIMITLESS_API_URL: stack.limitless.url,
        GATEWAY_WEB_DIR: join(root, 'apps', 'web', 'dist'),
        ...options.gatewayEnv,
      },
    });
    started.push(gateway);
    const bootStarted = Date.now();
    await Promise.all(started.map((p) => p.waitReady(options.readyTimeoutMs ?? 180_000)));
    log(`${started.map((p) => p.name).join(' and ')} ready in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s`);

    const all = () => [...Object.values(stack.services), ...stack.extraInference, ...started];
    return {
      stack,
      gateway,
      scheduler,
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      natsUrl: harness.natsUrl!,
      encryptionKey,
      processes: all,
      assertServicesAlive() {
        stack.assertServicesAlive();
        for (const p of started) if (p.crashed()) throw new Error(`${p.name} exited unexpectedly (see ${p.logFile})`);
      },
      async stop() {
        await stopStarted();
        await stack.stop();
      },
    };
  } catch (error) {
    await stopStarted();
    await stack.stop();
    throw error;
  }
}

function allowance(mode: ServiceMode): number {
  return mode === 'source' ? SOURCE_LOADER_ALLOWANCE_MB : 0;
}
