import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { messageIds, STREAMS, SUBJECTS, type DayJob, type JobTrigger } from '@giggles/contracts';
import { KeyCipher } from '@giggles/crypto';
import { connectNats, ensureTopology, publishDurable } from '@giggles/messaging';
import { freePort, oggFilesIn, repoRoot as findRepoRoot, sharedDir, startHarness, type FaultRates, type Harness, type LimitlessSimulator } from '@giggles/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { startLimitlessProxy, type LimitlessProxy } from './limitless-proxy';
import { startMessageTap, type MessageTap } from './message-tap';
import { readDeadLetters, readUserDay, type DeadLetterRecord, type UserDayRecord } from './readback';
import { SERVICE_NAMES, startService, tail, type ServiceMode, type ServiceName, type ServiceProcess } from './service-process';
import { addDays, localDateOf, localDayRange } from './time';

const execFileAsync = promisify(execFile);

/** One simulated user: a Limitless key with a day of recordings, and a row in the database. */
export interface E2eUserSpec {
  userId?: string;
  email?: string;
  timezone?: string;
  apiKey?: string;
  /** Hours of audio from 00:00 local time (default: the stack's `hours`). */
  hours?: number;
  /** Ogg files (or a directory of them, name order) placed back to back (default: the stack's). */
  recordings?: string | string[];
  /** The processed local day (default: the stack's `localDate`, else two days ago in the user's timezone). */
  localDate?: string;
}

export interface StackOptions {
  /** A number of users (timezones cycle through DEFAULT_TIMEZONES) or each user spelled out. Default 2. */
  users?: number | E2eUserSpec[];
  /** Hours of audio per user, from 00:00 local time of the processed day (default 2). */
  hours?: number;
  /** Directory of .ogg files (name order) or a list of files; default ../shared/eval. */
  recordings?: string | string[];
  localDate?: string;
  /** Random simulator faults for every key from the start (e.g. { serverErrorRate: 0.3 }). */
  faults?: FaultRates;
  /** Extra environment for all three services, then per service (wins). */
  env?: Record<string, string>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** source (tsx, default) or dist (built JavaScript); see service-process.ts. E2E_SERVICE_MODE overrides the default. */
  mode?: ServiceMode;
  /** Where service logs go (default: a new temp dir, kept after stop). */
  logDir?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Seed of the simulator's fault RNG (default 1). */
  seed?: number;
  readyTimeoutMs?: number;
  /** Which services to start (default all three; fewer only for debugging a stack by hand). */
  only?: ServiceName[];
  /**
   * Inference processes (default 1, as in docker-compose.yml). More share the durable consumer
   * the way extra machines on the NATS cluster would; extra ones log to inference-<n>.log.
   */
  inferenceReplicas?: number;
}

export const DEFAULT_TIMEZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'] as const;

/**
 * docker-compose.yml's per-container limits (mem_limit = MEMORY_LIMIT_MB), so readiness's memory
 * check sees the same budget; `scheduler` is for bench:scheduler, which runs it outside the stack.
 */
export const SERVICE_MEMORY_LIMIT_MB: Record<ServiceName | 'scheduler', number> = { persistence: 256, ingestion: 192, inference: 512, scheduler: 160 };

export interface PlacedRecording {
  file: string;
  startMs: number;
  endMs: number;
}

export interface StackUser {
  index: number;
  userId: string;
  email: string;
  timezone: string;
  apiKey: string;
  localDate: string;
  dayStartMs: number;
  dayEndMs: number;
  placements: PlacedRecording[];
  /** Seconds of audio placed inside the processed day. */
  audioSeconds: number;
}

export interface Stack {
  readonly harness: Harness;
  readonly simulator: LimitlessSimulator;
  /** What the services talk to (LIMITLESS_API_URL): the simulator behind a window-fault proxy. */
  readonly limitless: LimitlessProxy;
  readonly users: StackUser[];
  readonly services: Record<ServiceName, ServiceProcess>;
  /** Inference processes beyond the first (`inferenceReplicas` − 1). */
  readonly extraInference: ServiceProcess[];
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Every pipeline message since the stack started. */
  readonly tap: MessageTap;
  readonly logDir: string;
  /** FsClipStore root given to persistence (CLIP_STORAGE_DIR). */
  readonly clipDir: string;
  readonly databaseUrl: string;
  /** GIGGLES_ENCRYPTION_KEY the services share (a gateway started beside them needs it too). */
  readonly encryptionKey: string;
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The day job of a user (deterministic id: contracts' messageIds.dayJob). */
  dayJob(user: StackUser, trigger?: JobTrigger): DayJob;
  /** Publishes day jobs (publishDurable with the contract's message id); returns them. */
  publishDayJobs(users?: StackUser[], trigger?: JobTrigger): Promise<DayJob[]>;
  /** Waits until every job row is terminal (done, key_invalid, failed) and the work streams are empty. */
  waitForJobs(jobIds: string[], options?: { timeoutMs?: number }): Promise<void>;
  /** Waits until the three work streams hold no message (everything acked). */
  waitForDrain(options?: { timeoutMs?: number }): Promise<void>;
  /** Everything stored for a user's processed day, read from Postgres. */
  readUser(user: StackUser, jobId?: string): Promise<UserDayRecord>;
  deadLetters(): Promise<DeadLetterRecord[]>;
  /** Whether persistence stored this clip (clip directory, or the Storage simulator's buckets). */
  clipExists(clipPath: string): boolean;
  /** Peak RSS (VmHWM, MiB) of each service so far (the largest process when inference has replicas). */
  peakRssMb(): Record<ServiceName, number>;
  /** CPU seconds each service has used so far (all processes of a service together). */
  cpuSeconds(): Record<ServiceName, number>;
  /** Throws with the log tail when a service process died on its own. */
  assertServicesAlive(): void;
  stop(): Promise<void>;
}

/**
 * Starts the whole pipeline on this machine: private nats-server, Postgres (DATABASE_URL's
 * server, else a private cluster) migrated by persistence's own entry point, PostgREST + auth +
 * storage behind the router, the Limitless simulator with each user's day of recordings behind a
 * fault proxy, users and encrypted keys in the database, and the three services as child
 * processes (logs in `logDir`), each waited for until ready.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const root = findRepoRoot(__dirname);
  const logDir = options.logDir ?? mkdtempSync(join(tmpdir(), 'giggles-e2e-'));
  mkdirSync(logDir, { recursive: true });
  const clipDir = join(logDir, 'clips');
  mkdirSync(clipDir, { recursive: true });
  const mode: ServiceMode = options.mode ?? (process.env.E2E_SERVICE_MODE === 'dist' ? 'dist' : 'source');
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  };

  try {
    const started = Date.now();
    const harness = await startHarness({
      nats: { mode: 'private' },
      migrate: (url) => migrate(root, url, mode),
      storageBuckets: ['clips'],
      limitless: { seed: options.seed ?? 1 },
    });
    cleanups.push(() => harness.stop());
    const simulator = harness.limitless!;
    log(`harness up in ${((Date.now() - started) / 1000).toFixed(1)} s (nats ${harness.natsUrl}, postgres ${harness.postgres?.database}${harness.postgres?.server.private ? ' private' : ''})`);

    const proxy = await startLimitlessProxy(simulator.url);
    cleanups.push(() => proxy.stop());
    if (options.faults) simulator.setFaultRates(options.faults);

    const pool = new Pool({ connectionString: harness.databaseUrl, max: 3 });
    pool.on('error', () => undefined); // the database is dropped WITH (FORCE) on stop
    cleanups.push(() => pool.end());
    const query = async <T extends object>(sql: string, params?: unknown[]) => (await pool.query<T>(sql, params)).rows;

    const encryptionKey = randomBytes(32).toString('hex');
    const cipher = KeyCipher.fromHex(encryptionKey);
    const users = planUsers(options);
    for (const user of users) {
      const placed = simulator.placeRecordings(user.apiKey, recordingFiles(user.recordingsSpec), user.dayStartMs, user.hours);
      user.placements = placed.map((p) => ({ file: p.recording.path, startMs: p.startMs, endMs: p.endMs }));
      user.audioSeconds = placed.reduce((s, p) => s + (Math.min(p.endMs, user.dayEndMs) - Math.max(p.startMs, user.dayStartMs)) / 1000, 0);
      await query('INSERT INTO public.users (id, email, timezone) VALUES ($1, $2, $3)', [user.userId, user.email, user.timezone]);
      await query('SELECT public.giggles_set_user_key($1, $2)', [user.userId, cipher.encrypt(user.apiKey, user.userId)]);
    }
    log(`${users.length} users: ${users.map((u) => `${u.timezone} ${u.localDate} ${+(u.audioSeconds / 3600).toFixed(2)} h`).join(', ')}`);

    const env: Record<string, string> = {
      NATS_URL: harness.natsUrl!,
      LOG_LEVEL: 'info',
      SUPABASE_URL: harness.supabaseUrl!,
      SUPABASE_SERVICE_ROLE_KEY: harness.serviceRoleKey,
      DATABASE_URL: harness.databaseUrl!,
      GIGGLES_ENCRYPTION_KEY: encryptionKey,
      LIMITLESS_API_URL: proxy.url,
      GIGGLES_MODEL: process.env.GIGGLES_MODEL ?? join(sharedDir(), 'models', 'yamnet.tflite'),
      CLIP_STORAGE_DIR: clipDir,
      ...(process.env.GIGGLES_MODEL_CACHE_DIR ? { GIGGLES_MODEL_CACHE_DIR: process.env.GIGGLES_MODEL_CACHE_DIR } : {}),
      ...options.env,
    };
    const perService: Record<ServiceName, Record<string, string>> = {
      persistence: {},
      ingestion: {},
      inference: { YAMNET_THREADS: '2' },
    };
    const services = {} as Record<ServiceName, ServiceProcess>;
    const names = SERVICE_NAMES.filter((n) => !options.only || options.only.includes(n));
    for (const name of names) {
      services[name] = startService({
        name,
        repoRoot: root,
        mode,
        healthPort: await freePort(),
        logFile: join(logDir, `${name}.log`),
        env: { ...env, MEMORY_LIMIT_MB: String(SERVICE_MEMORY_LIMIT_MB[name]), ...perService[name], ...options.serviceEnv?.[name] },
      });
      cleanups.push(() => services[name].stop());
    }
    const extraInference: ServiceProcess[] = [];
    for (let n = 2; names.includes('inference') && n <= (options.inferenceReplicas ?? 1); n++) {
      const replica = startService({
        name: 'inference',
        repoRoot: root,
        mode,
        healthPort: await freePort(),
        logFile: join(logDir, `inference-${n}.log`),
        env: { ...env, MEMORY_LIMIT_MB: String(SERVICE_MEMORY_LIMIT_MB.inference), ...perService.inference, ...options.serviceEnv?.inference },
      });
      extraInference.push(replica);
      cleanups.push(() => replica.stop());
    }
    const allProcesses = [...names.map((name) => services[name]), ...extraInference];
    const bootStarted = Date.now();
    await Promise.all(allProcesses.map((p) => p.waitReady(options.readyTimeoutMs ?? 180_000)));
    log(`services ready in ${((Date.now() - bootStarted) / 1000).toFixed(1)} s (${mode}; logs in ${logDir})`);

    const nc = await connectNats(harness.natsUrl, 'giggles-e2e');
    cleanups.push(() => nc.close());
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const tap = startMessageTap(nc);
    cleanups.push(async () => tap.stop());
    await ensureStreams(jsm);

    const assertServicesAlive = () => {
      for (const s of allProcesses) {
        if (s.crashed()) throw new Error(`${s.name} exited unexpectedly (${s.logFile}):\n${tail(s.proc.logs(), 4000)}`);
      }
    };

    const processesOf = (name: ServiceName) => [...(services[name] ? [services[name]] : []), ...(name === 'inference' ? extraInference : [])];

    const workStreams = [STREAMS.dayJobs.name, STREAMS.segments.name, STREAMS.results.name];
    const waitForDrain = async ({ timeoutMs = 600_000 } = {}) => {
      await poll('the work streams to drain', timeoutMs, assertServicesAlive, async () => {
        for (const stream of workStreams) if ((await jsm.streams.info(stream)).state.messages > 0) return false;
        return true;
      });
    };

    const stack: Stack = {
      harness,
      simulator,
      limitless: proxy,
      users: users.map(({ hours: _h, recordingsSpec: _r, ...u }) => u),
      services,
      extraInference,
      nc,
      js,
      jsm,
      tap,
      logDir,
      clipDir,
      databaseUrl: harness.databaseUrl!,
      encryptionKey,
      query,
      dayJob(user, trigger = 'nightly') {
        return {
          jobId: messageIds.dayJob(user.userId, user.localDate, trigger, user.dayStartMs, user.dayEndMs),
          userId: user.userId,
          localDate: user.localDate,
          timezone: user.timezone,
          startMs: user.dayStartMs,
          endMs: user.dayEndMs,
          trigger,
          requestedAt: new Date().toISOString(),
        };
      },
      async publishDayJobs(list = stack.users, trigger) {
        const jobs = list.map((u) => stack.dayJob(u, trigger));
        for (const job of jobs) await publishDurable(js, SUBJECTS.dayJob, job, job.jobId);
        return jobs;
      },
      async waitForJobs(jobIds, { timeoutMs = 600_000 } = {}) {
        const deadline = Date.now() + timeoutMs;
        await poll(`jobs ${jobIds.join(', ')} to finish`, timeoutMs, assertServicesAlive, async () => {
          const rows = await query<{ job_id: string; status: string }>('SELECT job_id, status FROM public.jobs WHERE job_id = ANY($1)', [jobIds]);
          return rows.length === jobIds.length && rows.every((r) => ['done', 'key_invalid', 'failed'].includes(r.status));
        });
        await waitForDrain({ timeoutMs: Math.max(10_000, deadline - Date.now()) });
      },
      waitForDrain,
      readUser: (user, jobId) => readUserDay(query, user, jobId ?? stack.dayJob(user).jobId),
      deadLetters: () => readDeadLetters(jsm),
      clipExists(clipPath) {
        if (existsSync(join(clipDir, clipPath))) return true;
        const storage = harness.storage;
        if (!storage) return false;
        for (const bucket of ['clips', 'laughter-clips']) {
          try {
            storage.store.info(bucket, clipPath);
            return true;
          } catch {
            // not in this bucket
          }
        }
        return false;
      },
      peakRssMb: () =>
        Object.fromEntries(SERVICE_NAMES.map((n) => [n, round1(Math.max(0, ...processesOf(n).map((p) => p.peakRssMb())))])) as Record<ServiceName, number>,
      cpuSeconds: () =>
        Object.fromEntries(SERVICE_NAMES.map((n) => [n, round1(processesOf(n).reduce((sum, p) => sum + p.cpuSeconds(), 0))])) as Record<ServiceName, number>,
      assertServicesAlive,
      stop: cleanup,
    };
    cleanups.push(async () => void stack.peakRssMb()); // samples VmHWM before the services stop
    return stack;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

interface PlannedUser extends StackUser {
  hours: number;
  recordingsSpec: string | string[];
}

function planUsers(options: StackOptions): PlannedUser[] {
  const specs: E2eUserSpec[] = typeof options.users === 'object' ? options.users : Array.from({ length: options.users ?? 2 }, () => ({}));
  return specs.map((spec, index) => {
    const timezone = spec.timezone ?? DEFAULT_TIMEZONES[index % DEFAULT_TIMEZONES.length];
    const localDate = spec.localDate ?? options.localDate ?? addDays(localDateOf(Date.now(), timezone), -2);
    const { startMs, endMs } = localDayRange(localDate, timezone);
    const userId = spec.userId ?? randomUUID();
    return {
      index,
      userId,
      email: spec.email ?? `e2e-user-${index + 1}-${userId.slice(0, 8)}@example.test`,
      timezone,
      apiKey: spec.apiKey ?? `sk-e2e-${index + 1}-${randomBytes(12).toString('hex')}`,
      localDate,
      dayStartMs: startMs,
      dayEndMs: endMs,
      placements: [],
      audioSeconds: 0,
      hours: spec.hours ?? options.hours ?? 2,
      recordingsSpec: spec.recordings ?? options.recordings ?? defaultRecordingsDir(),
    };
  });
}

export function defaultRecordingsDir(): string {
  return join(sharedDir(), 'eval');
}

function recordingFiles(spec: string | string[]): string[] {
  const files = typeof spec === 'string' ? oggFilesIn(resolve(spec)) : spec.map((f) => resolve(f));
  if (files.length === 0) throw new Error(`no .ogg recordings in ${String(spec)}`);
  return files;
}

/** Applies persistence's migrations with its own entry point (what deployments run). */
async function migrate(root: string, databaseUrl: string, mode: ServiceMode): Promise<void> {
  const args =
    mode === 'dist'
      ? [join(root, 'services', 'persistence', 'dist', 'database', 'migrate.js')]
      : ['--conditions=@giggles/source', '--import', pathToFileURL(require.resolve('tsx', { paths: [root] })).href, join(root, 'services', 'persistence', 'src', 'database', 'migrate.ts')];
  try {
    await execFileAsync(process.execPath, args, { env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl }, cwd: root });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`migrations failed (${basename(args[args.length - 1])}): ${e.stderr || e.stdout || e.message}`);
  }
}

/** The services create the topology at boot; make sure of it before publishing (no-op when present). */
async function ensureStreams(jsm: JetStreamManager): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const names: string[] = [];
    for await (const s of jsm.streams.list()) names.push(s.config.name);
    if (names.includes(STREAMS.dayJobs.name) && names.includes(STREAMS.segments.name) && names.includes(STREAMS.results.name)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await ensureTopology(jsm);
}

async function poll(what: string, timeoutMs: number, guard: () => void, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    guard();
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

