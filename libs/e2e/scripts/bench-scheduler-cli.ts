/** The body of bench-scheduler.ts (see there for what it measures). */
import { fork, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STREAMS, SUBJECTS } from '@giggles/contracts';
import ts from 'typescript';
import { procMemory, SERVICE_MEMORY_LIMIT_MB, startStack, type Stack } from '@giggles/e2e';
import { freePort, repoRoot } from '@giggles/testing';
import { SERVICES_TSCONFIG } from '../src/relaunch';
import type { BenchReply, BenchRequest } from './bench-scheduler-protocol';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The catch-up tick's "now": fixed, so every run plans the same days. 13:00 UTC: yesterday has settled in every zone from UTC−11 to UTC+14 (UTC−11 just). */
const FAKE_NOW = Date.UTC(2026, 5, 15, 13, 0);
/** SCHEDULER_CATCH_UP_DAYS and SCHEDULER_SETTLE_DELAY as in production (the defaults). */
const CATCH_UP_DAYS = 7;
const SETTLE_HOURS = 2;
/** docker-compose.yml's memory limits. */
const LIMIT_MB = { scheduler: SERVICE_MEMORY_LIMIT_MB.scheduler, persistence: SERVICE_MEMORY_LIMIT_MB.persistence };
/** docker-compose.yml's NODE_OPTIONS (the V8 heap caps under those limits; README "Memory budget"). */
const COMPOSE_NODE_OPTIONS = { scheduler: '--max-old-space-size=80 --max-semi-space-size=2', persistence: '--max-old-space-size=144 --max-semi-space-size=4' };
/** A spread from UTC−11 to UTC+14, half-hour and 45-minute offsets, both hemispheres' DST. */
const TIMEZONES = [
  'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney',
  'Pacific/Auckland', 'America/Sao_Paulo', 'Africa/Lagos', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'Pacific/Pago_Pago',
];
/** Share of the planted clips that are orphans (file, no row), and of rows whose file is missing. */
const DAMAGE_SHARE = 0.01;

interface Args {
  users: number[];
  clips: number[];
  steadyRepeats: number;
  /** Run the scheduler from its built JavaScript (services/scheduler/dist, libs' dist) as the image does. */
  schedulerDist: boolean;
  /** Persistence from its build too (also E2E_SERVICE_MODE=dist); default from source through tsx. */
  persistenceDist: boolean;
  /** NODE_OPTIONS of each measured process ('' = none: V8 sizes its heap itself). */
  nodeOptions: { scheduler: string; persistence: string };
  logDir?: string;
  quiet: boolean;
}

const USAGE = `usage: npm run bench:scheduler [-- --users 100,1000] [--clips 1000] [--steady-repeats 3] [--scheduler-dist] [--log-dir DIR] [--quiet]
  --users N[,N...]   user counts, each measured on a fresh set of users (default 100,1000)
  --clips K[,K...]   clip files + detections planted for the reconciliation (default 1000; e.g. 1000,10000)
  --steady-repeats R steady-state ticks per user count, the median is reported (default 3)
  --scheduler-dist   the scheduler from its build (npx nx run scheduler:build first), as in the image;
                     default from source through tsx, whose loader adds ~40-50 MiB of resident memory
  --persistence-dist persistence from its build too (npx nx run persistence:build first; or E2E_SERVICE_MODE=dist)
  --scheduler-node-options STR, --persistence-node-options STR
                     NODE_OPTIONS of that process (default: docker-compose.yml's, "${COMPOSE_NODE_OPTIONS.scheduler}" /
                     "${COMPOSE_NODE_OPTIONS.persistence}"); "none" for none (V8 sizes the heap itself)`;

function parseArgs(argv: string[]): Args {
  const args: Args = { users: [100, 1000], clips: [1000], steadyRepeats: 3, schedulerDist: false, persistenceDist: process.env.E2E_SERVICE_MODE === 'dist', nodeOptions: { ...COMPOSE_NODE_OPTIONS }, quiet: false };
  const nodeOptions = (flag: string, value: string | undefined) => {
    if (value === undefined || (value !== 'none' && !value.startsWith('--'))) throw new Error(`${flag}: node flags such as "--max-old-space-size=96", or "none" (got ${JSON.stringify(value)})`);
    return value === 'none' ? '' : value;
  };
  const counts = (flag: string, value: string | undefined) => {
    const list = (value ?? '').split(',').map((v) => Number(v.trim()));
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) throw new Error(`${flag}: positive integers up to 100000, comma-separated (got ${JSON.stringify(value)})`);
    return list;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--users': args.users = counts(flag, value); i++; break;
      case '--clips': args.clips = counts(flag, value); i++; break;
      case '--steady-repeats': args.steadyRepeats = counts(flag, value)[0]; i++; break;
      case '--scheduler-dist': args.schedulerDist = true; break;
      case '--persistence-dist': args.persistenceDist = true; break;
      case '--scheduler-node-options': args.nodeOptions.scheduler = nodeOptions(flag, value); i++; break;
      case '--persistence-node-options': args.nodeOptions.persistence = nodeOptions(flag, value); i++; break;
      case '--log-dir': args.logDir = value; i++; break;
      case '--quiet': args.quiet = true; break;
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  return args;
}

/** The scheduler process: one request at a time, answered in order. */
class SchedulerChild {
  private pending?: { resolve: (r: BenchReply) => void; reject: (e: Error) => void };

  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (reply: BenchReply) => {
      const p = this.pending;
      this.pending = undefined;
      if (!p) return;
      if (reply.type === 'error') p.reject(new Error(`scheduler process: ${reply.message}`));
      else p.resolve(reply);
    });
    proc.on('exit', (code, signal) => this.pending?.reject(new Error(`scheduler process exited (${code ?? signal})`)));
  }

  /**
   * `dist`: plain node on the built JavaScript, as the image runs it — this file transpiled to
   * libs/e2e/dist (git-ignored; from there `@giggles/*` resolve to their dist), because tsx's
   * loader alone adds ~40 MiB of resident memory. Otherwise from source through tsx.
   */
  static start(logFile: string, dist: boolean, nodeOptions: string): SchedulerChild {
    const root = repoRoot();
    const source = join(__dirname, 'bench-scheduler-child.ts');
    const out = openSync(logFile, 'a');
    const stdio: StdioOptions = ['ignore', out, out, 'ipc'];
    let proc: ChildProcess;
    if (dist) {
      const built = join(root, 'libs', 'e2e', 'dist', 'bench-scheduler-child.js');
      mkdirSync(dirname(built), { recursive: true });
      const js = ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      writeFileSync(built, js);
      const { TSX_TSCONFIG_PATH: _tsx, NODE_OPTIONS: _options, ...env } = process.env;
      proc = fork(built, [], { execArgv: [], env: { ...env, ...withNodeOptions(nodeOptions) }, stdio });
    } else {
      const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
      proc = fork(source, [], {
        execArgv: ['--conditions=@giggles/source', '--import', tsx],
        // Nest's parameter decorators need legacy decorators for every service source (see src/relaunch.ts).
        env: { ...process.env, NODE_OPTIONS: undefined, ...withNodeOptions(nodeOptions), TSX_TSCONFIG_PATH: SERVICES_TSCONFIG },
        stdio,
      });
    }
    closeSync(out);
    return new SchedulerChild(proc);
  }

  get pid(): number {
    return this.proc.pid!;
  }

  send<T extends BenchReply['type']>(request: BenchRequest, expect: T): Promise<Extract<BenchReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (reply) => (reply.type === expect ? resolve(reply as Extract<BenchReply, { type: T }>) : reject(new Error(`expected ${expect}, got ${reply.type}`))),
        reject,
      };
      this.proc.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await this.send({ type: 'close', nowMs: FAKE_NOW }, 'closed').catch(() => undefined);
    this.proc.disconnect();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => (this.proc.kill('SIGKILL'), resolve()), 5_000);
      this.proc.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }
}

/** Counts every request persistence's queries get, and every day job published, by subject. */
function startCounter(stack: Stack) {
  const counts = new Map<string, number>();
  const sub = stack.nc.subscribe('giggles.>', {
    callback: (err, msg) => {
      if (!err && (msg.subject.startsWith('giggles.query.') || msg.subject === SUBJECTS.dayJob)) counts.set(msg.subject, (counts.get(msg.subject) ?? 0) + 1);
    },
  });
  return {
    reset: () => counts.clear(),
    /** After a flush: the server routed every message of the tick to us before the tick's replies. */
    async read(): Promise<Record<string, number>> {
      await stack.nc.flush();
      return Object.fromEntries([...counts.entries()].sort().map(([s, n]) => [s.replace('giggles.query.', ''), n]));
    },
    stop: () => sub.unsubscribe(),
  };
}

/**
 * Resident set during a stretch of work: the peak counter (VmHWM) of each process is reset first
 * where the kernel allows it (clear_refs 5), and VmRSS is also sampled every 50 ms as a fallback.
 */
function watchMemory(pids: Record<string, number>) {
  const resetOk: Record<string, boolean> = {};
  for (const [name, pid] of Object.entries(pids)) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      resetOk[name] = true;
    } catch {
      resetOk[name] = false;
    }
  }
  const sampled: Record<string, number> = {};
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) sampled[name] = Math.max(sampled[name] ?? 0, procMemory(pid)?.rssMb ?? 0);
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    /** MiB: the reset peak where it worked, else the sampled maximum. */
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      return Object.fromEntries(
        Object.entries(pids).map(([name, pid]) => [name, round1(resetOk[name] ? Math.max(procMemory(pid)?.peakMb ?? 0, sampled[name]) : sampled[name])]),
      );
    },
  };
}

interface TickFigure {
  users: number;
  kind: 'catch-up' | 'steady' | 'nightly';
  ms: number;
  msPerUser: number;
  published: number;
  requests: Record<string, number>;
  requestsTotal: number;
  peakRssMb: Record<string, number>;
  /** V8 heap in use right after the tick (before any further collection), MiB. */
  heapUsedMb: Record<string, number>;
  load1: number;
}

interface ReconcileFigure {
  clips: number;
  detections: number;
  ms: number;
  persistenceMs: number;
  usPerClip: number;
  orphansDeleted: number;
  missingRepaired: number;
  stoppedBy?: string;
  peakRssMb: Record<string, number>;
  heapUsedMb: Record<string, number>;
  load1: number;
}

export async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = args.quiet ? () => undefined : (line: string) => process.stderr.write(`bench:scheduler: ${line}\n`);
  const loadBefore = loadavg();
  log(`load average before: ${loadBefore.join(' ')} (${os.cpus().length} cores)`);
  if (loadBefore[0] > 0.5 * os.cpus().length) log('warning: the machine is busy; figures will be high');

  const stack = await startStack({
    users: [],
    only: ['persistence'],
    mode: args.persistenceDist ? 'dist' : 'source',
    logDir: args.logDir,
    serviceEnv: { persistence: { LOG_LEVEL: 'warn', ...withNodeOptions(args.nodeOptions.persistence) } },
    log,
  });
  const counter = startCounter(stack);
  const child = SchedulerChild.start(join(stack.logDir, 'scheduler.log'), args.schedulerDist, args.nodeOptions.scheduler);
  const ticks: TickFigure[] = [];
  const reconciles: ReconcileFigure[] = [];
  let persistenceBootPeak = 0;
  try {
    await child.send(
      {
        type: 'start',
        nowMs: FAKE_NOW,
        env: {
          NATS_URL: stack.harness.natsUrl!,
          HEALTH_PORT: String(await freePort()),
          LOG_LEVEL: 'info',
          MEMORY_LIMIT_MB: String(LIMIT_MB.scheduler),
          SCHEDULER_CATCH_UP_DAYS: String(CATCH_UP_DAYS),
          SCHEDULER_SETTLE_DELAY: `${SETTLE_HOURS}h`,
        },
      },
      'started',
    );
    const bootMemory = { scheduler: round1(procMemory(child.pid)?.peakMb ?? 0), persistence: stack.peakRssMb().persistence };
    persistenceBootPeak = bootMemory.persistence;
    log(`scheduler process ready (pid ${child.pid}); boot peak RSS scheduler ${bootMemory.scheduler} MiB, persistence ${bootMemory.persistence} MiB`);
    const pids = { scheduler: child.pid, persistence: stack.services.persistence.pid };

    const measureTick = async (users: number, kind: TickFigure['kind'], nowMs: number): Promise<TickFigure> => {
      counter.reset();
      const memory = watchMemory(pids);
      const reply = await child.send({ type: 'tick', nowMs }, 'ticked');
      const peakRssMb = memory.stop();
      const requests = await counter.read();
      const figure: TickFigure = {
        users,
        kind,
        ms: round1(reply.ms),
        msPerUser: Math.round((reply.ms / users) * 1000) / 1000,
        published: reply.published,
        requests,
        requestsTotal: Object.entries(requests).filter(([s]) => s !== SUBJECTS.dayJob).reduce((n, [, c]) => n + c, 0),
        peakRssMb,
        heapUsedMb: { scheduler: reply.heapMb, persistence: await persistenceHeapUsedMb(stack) },
        load1: loadavg()[0],
      };
      if (reply.failedUsers > 0) log(`warning: ${reply.failedUsers} users failed in the ${kind} tick (see ${stack.logDir}/scheduler.log)`);
      log(`${users} users, ${kind} tick: ${figure.ms} ms, ${figure.published} published, ${figure.requestsTotal} queries, peak RSS scheduler ${peakRssMb.scheduler} / persistence ${peakRssMb.persistence} MiB, heap used after ${figure.heapUsedMb.scheduler} / ${figure.heapUsedMb.persistence} MiB`);
      return figure;
    };

    for (const n of args.users) {
      await freshUsers(stack, n);
      // (a) the first tick: every user's catch-up window is due (at most SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER published each).
      ticks.push(await measureTick(n, 'catch-up', FAKE_NOW));
      // (b) steady state: every due day covered by a finished job, nothing new due.
      await coverDueDays(stack, FAKE_NOW);
      const steady: TickFigure[] = [];
      for (let r = 0; r < args.steadyRepeats; r++) steady.push(await measureTick(n, 'steady', FAKE_NOW + (r + 1) * 60_000));
      ticks.push(median(steady));
      // (c) the next night: one new day per user.
      ticks.push(await measureTick(n, 'nightly', FAKE_NOW + DAY));
    }

    for (const k of args.clips) {
      const planted = await plantClips(stack, k, log);
      counter.reset();
      const memory = watchMemory(pids);
      const reply = await child.send({ type: 'reconcile', nowMs: Date.now() }, 'reconciled');
      const peakRssMb = memory.stop();
      if (!reply.reply) throw new Error(`reconciliation failed (see ${stack.logDir}/scheduler.log)`);
      const r = reply.reply;
      const figure: ReconcileFigure = {
        clips: r.scanned.clips,
        detections: r.scanned.detections,
        ms: round1(reply.ms),
        persistenceMs: r.durationMs,
        usPerClip: Math.round((reply.ms * 1000) / Math.max(1, planted.files)),
        orphansDeleted: r.deleted.orphanClips,
        missingRepaired: r.repaired.detectionsMissingClip,
        ...(r.stoppedBy ? { stoppedBy: r.stoppedBy } : {}),
        peakRssMb,
        heapUsedMb: { scheduler: reply.heapMb, persistence: await persistenceHeapUsedMb(stack) },
        load1: loadavg()[0],
      };
      reconciles.push(figure);
      log(`reconcile over ${k} clips: ${figure.ms} ms (${figure.usPerClip} µs per clip), ${figure.orphansDeleted} orphans deleted, ${figure.missingRepaired} missing repaired`);
    }
  } finally {
    counter.stop();
    await child.stop();
    await stack.stop();
  }
  if (!args.logDir) rmSync(stack.logDir, { recursive: true, force: true });

  const loadAfter = loadavg();
  const persistenceMode = args.persistenceDist ? 'dist' : 'source';
  const big = ticks.filter((t) => t.users === Math.max(...args.users));
  const peakDuring = (name: 'scheduler' | 'persistence') => Math.max(0, ...big.map((t) => t.peakRssMb[name]));
  const lines = [
    '',
    `scheduler ticks (scheduler in its own process from ${args.schedulerDist ? 'dist' : 'source (tsx)'}; persistence from ${persistenceMode === 'dist' ? 'dist' : 'source (tsx)'}, NATS, Postgres, PostgREST real; catch-up ${CATCH_UP_DAYS} days, settle ${SETTLE_HOURS} h, ${TIMEZONES.length} time zones)`,
    `NODE_OPTIONS: scheduler ${JSON.stringify(args.nodeOptions.scheduler || 'none')}, persistence ${JSON.stringify(args.nodeOptions.persistence || 'none')}`,
    `  ${pad('users', 6)}${pad('tick', 9)}${pad('wall ms', 10)}${pad('ms/user', 9)}${pad('jobs', 6)}${pad('queries', 9)}${pad('RSS MiB sch/per', 16)}${pad('heap MiB sch/per', 17)}load1  queries by subject`,
    ...ticks.map(
      (t) =>
        `  ${pad(t.users, 6)}${pad(t.kind, 9)}${pad(t.ms, 10)}${pad(t.msPerUser, 9)}${pad(t.published, 6)}${pad(t.requestsTotal, 9)}${pad(`${t.peakRssMb.scheduler}/${t.peakRssMb.persistence}`, 16)}${pad(`${t.heapUsedMb.scheduler}/${t.heapUsedMb.persistence}`, 17)}${pad(t.load1, 7)}${Object.entries(t.requests).filter(([s]) => s !== SUBJECTS.dayJob).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    ),
    '',
    'reconciliation (scheduler.reconcile() → persistence lists the clip store and the database, deletes orphans, clears missing)',
    `  ${pad('clips', 8)}${pad('rows', 8)}${pad('wall ms', 10)}${pad('µs/clip', 9)}${pad('orphans', 9)}${pad('missing', 9)}${pad('RSS MiB sch/per', 16)}${pad('heap MiB sch/per', 17)}load1`,
    ...reconciles.map(
      (r) => `  ${pad(r.clips, 8)}${pad(r.detections, 8)}${pad(r.ms, 10)}${pad(r.usPerClip, 9)}${pad(r.orphansDeleted, 9)}${pad(r.missingRepaired, 9)}${pad(`${r.peakRssMb.scheduler}/${r.peakRssMb.persistence}`, 16)}${pad(`${r.heapUsedMb.scheduler}/${r.heapUsedMb.persistence}`, 17)}${r.load1}${r.stoppedBy ? `  stopped by ${r.stoppedBy}` : ''}`,
    ),
    '',
    `memory at ${Math.max(...args.users)} users: scheduler peak ${peakDuring('scheduler')} MiB of ${LIMIT_MB.scheduler} (VmHWM of the scheduler process, reset before each tick); persistence peak ${peakDuring('persistence')} MiB during the ticks, ${persistenceBootPeak} MiB at boot, of ${LIMIT_MB.persistence}`,
    `load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} (${os.cpus().length} cores, shared machine: figures are upper bounds)`,
    '',
  ];
  process.stderr.write(lines.join('\n'));
  const figures = `${JSON.stringify({
    ticks,
    reconcile: reconciles,
    schedulerMode: args.schedulerDist ? 'dist' : 'source',
    persistenceMode,
    nodeOptions: args.nodeOptions,
    memoryLimitsMb: LIMIT_MB,
    persistenceBootPeakMb: persistenceBootPeak,
    catchUpDays: CATCH_UP_DAYS,
    timezones: TIMEZONES.length,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAfter,
    cores: os.cpus().length,
  })}\n`;
  await new Promise<void>((resolve) => process.stdout.write(figures, () => resolve()));
}

/** Removes every user (keys, jobs, detections go with them) and queued day job, then adds `n` users with an active key. */
async function freshUsers(stack: Stack, n: number): Promise<void> {
  await stack.query('DELETE FROM public.jobs');
  await stack.query('DELETE FROM public.users');
  await stack.jsm.streams.purge(STREAMS.dayJobs.name);
  await stack.query(
    `INSERT INTO public.users (id, email, timezone)
     SELECT gen_random_uuid(), 'bench-' || i || '@example.test', ($2::text[])[1 + i % array_length($2::text[], 1)]
       FROM generate_series(0, $1::int - 1) AS i`,
    [n, TIMEZONES],
  );
  // The scheduler never decrypts a key: any ciphertext will do.
  await stack.query("SELECT public.giggles_set_user_key(id, 'bench-ciphertext-' || id) FROM public.users");
}

/**
 * Steady state: every registered job finished, and every day of the due window — the local days
 * whose end + settle delay passed by `nowMs`, back to the catch-up horizon — covered by a finished
 * nightly job over that day's range in the user's zone (what a caught-up deployment has).
 */
async function coverDueDays(stack: Stack, nowMs: number): Promise<void> {
  await stack.query("UPDATE public.jobs SET status = 'done', completed_at = now()");
  await stack.query(
    `INSERT INTO public.jobs (job_id, user_id, local_date, timezone, trigger, status, range_start, range_end, completed_at)
     SELECT 'bench:' || u.id || ':' || d.day, u.id, d.day, u.timezone, 'nightly', 'done',
            d.day::timestamp AT TIME ZONE u.timezone, (d.day + 1)::timestamp AT TIME ZONE u.timezone, now()
       FROM public.users u
       CROSS JOIN LATERAL (
         SELECT (timezone(u.timezone, to_timestamp($1 / 1000.0))::date - k) AS day FROM generate_series(0, $2::int + 1) AS k
       ) d
      WHERE (d.day + 1)::timestamp AT TIME ZONE u.timezone + make_interval(hours => $3) <= to_timestamp($1 / 1000.0)
        AND NOT EXISTS (
          SELECT 1 FROM public.jobs j WHERE j.user_id = u.id AND j.local_date = d.day AND j.trigger = 'nightly'
        )`,
    [nowMs, CATCH_UP_DAYS, SETTLE_HOURS],
  );
}

/**
 * K clip files and their detections, spread over up to 100 users and a week of dates, plus the
 * damage a reconciliation exists for: 1 % orphan files (no row) and 1 % rows whose file is gone.
 */
async function plantClips(stack: Stack, k: number, log: (line: string) => void): Promise<{ files: number }> {
  await stack.query('DELETE FROM public.laughter_detections');
  rmSync(stack.clipDir, { recursive: true, force: true });
  mkdirSync(stack.clipDir, { recursive: true });
  const users = (await stack.query<{ id: string }>('SELECT id FROM public.users ORDER BY id LIMIT 100')).map((u) => u.id);
  if (users.length === 0) throw new Error('no users to plant clips for');
  const damaged = Math.max(1, Math.round(k * DAMAGE_SHARE));
  const started = Date.now();
  const rows = await stack.query<{ clip_path: string }>(
    `INSERT INTO public.laughter_detections (user_id, "timestamp", event_end, probability, class_id, class_name, clip_path, created_at)
     SELECT u.id, t.at, t.at + interval '2 seconds', 0.9, 16, 'Laughter',
            u.id || '/' || to_char(t.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '/' || ((extract(epoch FROM t.at) * 1000)::bigint) || '-16.wav',
            now() - interval '1 hour'
       FROM generate_series(0, $1::int - 1) AS i
       CROSS JOIN LATERAL (SELECT ($2::uuid[])[1 + i % array_length($2::uuid[], 1)] AS id) u
       CROSS JOIN LATERAL (SELECT to_timestamp($3 / 1000.0) + (i * interval '47 seconds') AS at) t
     RETURNING clip_path`,
    [k, users, FAKE_NOW - 7 * DAY],
  );
  // Every row's file except the last `damaged` ones (missing), and `damaged` orphan files.
  const paths = rows.map((r) => r.clip_path).sort();
  const withFile = paths.slice(0, paths.length - damaged);
  const orphans = Array.from({ length: damaged }, (_, i) => `${users[i % users.length]}/2026-01-01/${i}-16.wav`);
  const dirs = new Set([...withFile, ...orphans].map((p) => p.slice(0, p.lastIndexOf('/'))));
  for (const dir of dirs) await mkdir(join(stack.clipDir, dir), { recursive: true });
  const clip = Buffer.alloc(64);
  const files = [...withFile, ...orphans];
  for (let i = 0; i < files.length; i += 64) await Promise.all(files.slice(i, i + 64).map((p) => writeFile(join(stack.clipDir, p), clip)));
  log(`planted ${rows.length} detections and ${files.length} clip files (${damaged} orphans, ${damaged} missing) in ${Date.now() - started} ms`);
  return { files: files.length };
}

/** `{ NODE_OPTIONS }` when there are options, else nothing (the process gets no NODE_OPTIONS). */
function withNodeOptions(options: string): Record<string, string> {
  return options ? { NODE_OPTIONS: options } : {};
}

/** Persistence's V8 heap in use (MiB) from its /metrics (prom-client's process defaults); NaN when unreadable. */
async function persistenceHeapUsedMb(stack: Stack): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${stack.services.persistence.healthPort}/metrics`, { signal: AbortSignal.timeout(2_000) });
    const value = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(await res.text())?.[1];
    return value === undefined ? NaN : round1(Number(value) / 1048576);
  } catch {
    return NaN;
  }
}

function median(figures: TickFigure[]): TickFigure {
  const sorted = figures.slice().sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function loadavg(): number[] {
  // /proc/loadavg is what os.loadavg() reads; read it directly so the figure is the file's.
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return os.loadavg().map((x) => Math.round(x * 100) / 100);
  }
}

function pad(value: string | number, width: number): string {
  return String(value).padEnd(width);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
