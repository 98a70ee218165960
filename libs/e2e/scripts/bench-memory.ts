/**
 * `npm run bench:memory [-- --users 5 --hours 16 --sample-ms 500 --settle-ms 5000]`
 *
 * Memory under a real load: five users with a 16-hour day each, processed one after another
 * through ingestion, inference and persistence running from `dist/` (what the images run, with
 * docker-compose.yml's NODE_OPTIONS heap caps), each process inside a cgroup-v1 memory cgroup of
 * its compose `mem_limit` — so an over-budget service is OOM-killed here as it would be in its
 * container. For each user: every service's peak RSS while the user's day was processed (VmRSS
 * sampled every --sample-ms) and its RSS once the user was done and the services had been idle
 * for --settle-ms ("between users": the original app kept ~500 MB more after each user).
 * Targets: inference ≤ 400 MB peak, the others ≤ 200 MB, no growth from user to user.
 * Prints a table, then the figures as JSON on the last line. Needs root (cgroups) and
 * `npx nx run-many -t build -p ingestion inference persistence` first. About 15–25 minutes.
 */
import { relaunchedWithDecorators } from '../src/relaunch';
import type { ServiceProcess } from '../src/service-process';

/** docker-compose.yml's NODE_OPTIONS per service (README "Memory budget"); inference has none. */
const COMPOSE_NODE_OPTIONS = {
  persistence: '--max-old-space-size=144 --max-semi-space-size=4',
  ingestion: '--max-old-space-size=104 --max-semi-space-size=4',
  inference: '',
} as const;

/** The targets of issue 9 ("Memory, measured"), MiB. */
const TARGET_PEAK_MB = { inference: 400, ingestion: 200, persistence: 200 } as const;
/**
 * RSS between users may drift this much without counting as growth (allocator noise). Growth is
 * measured from the second user on: the first one includes warm-up (onnxruntime's arenas, V8's
 * code and heap reaching their working size), which is paid once per process.
 */
const GROWTH_TOLERANCE_MB = 15;

const CGROUP_V1_MEMORY = '/sys/fs/cgroup/memory';

type Service = keyof typeof COMPOSE_NODE_OPTIONS;
const SERVICES: Service[] = ['ingestion', 'inference', 'persistence'];

interface Args {
  users: number;
  hours: number;
  sampleMs: number;
  settleMs: number;
}

interface UserFigures {
  user: number;
  audioHours: number;
  wallSeconds: number;
  peakRssMb: Record<Service, number>;
  rssAfterMb: Record<Service, number>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { users: 5, hours: 16, sampleMs: 500, settleMs: 5_000 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[++i]);
    const bad = () => new Error(`bench:memory: ${flag} needs a positive number (got ${JSON.stringify(argv[i])})`);
    if (!Number.isFinite(value) || value <= 0) throw bad();
    if (flag === '--users') args.users = Math.round(value);
    else if (flag === '--hours') args.hours = value;
    else if (flag === '--sample-ms') args.sampleMs = value;
    else if (flag === '--settle-ms') args.settleMs = value;
    else throw new Error(`bench:memory: unknown flag ${flag} (--users N --hours H --sample-ms MS --settle-ms MS)`);
  }
  if (args.hours > 24) throw new Error('bench:memory: --hours is at most 24 (one local day)');
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } = await import('node:fs');
  const { randomBytes } = await import('node:crypto');
  const { join } = await import('node:path');
  const { KeyCipher } = await import('@giggles/crypto');
  const { freePort, repoRoot, sharedDir } = await import('@giggles/testing');
  const { startService, startStack, SERVICE_MEMORY_LIMIT_MB, procMemory } = await import('../src/index.js');
  const log = (line: string) => process.stderr.write(`bench:memory: ${line}\n`);

  // Services are started inside their cgroups from the first instruction: this process joins the
  // service's cgroup just for the (synchronous) spawn, so the child is born there. (Moving a running
  // process would leave its boot-time memory charged outside: move_charge_at_immigrate is gone from
  // current kernels.) The cgroups are children of this process's own, so its limits still apply.
  const ownLine = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => /^\d+:memory:/.test(l));
  if (!ownLine || !existsSync(join(CGROUP_V1_MEMORY, 'cgroup.procs'))) {
    throw new Error(`no cgroup-v1 memory hierarchy at ${CGROUP_V1_MEMORY}: the limits cannot be applied on this machine`);
  }
  const home = join(CGROUP_V1_MEMORY, ownLine.slice(ownLine.indexOf(':memory:') + ':memory:'.length));
  const cgroups: string[] = [];
  const cgroupFor = (name: string, limitMb: number) => {
    const dir = join(home, `giggles-bench-${process.pid}-${name}`);
    mkdirSync(dir);
    cgroups.push(dir);
    writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitMb * 1024 * 1024));
    return dir;
  };
  const bornIn = <T>(dir: string, spawn: () => T): T => {
    writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
    try {
      return spawn();
    } finally {
      writeFileSync(join(home, 'cgroup.procs'), String(process.pid));
    }
  };
  const oomKills = (dir: string) => Number(/oom_kill (\d+)/.exec(readFileSync(join(dir, 'memory.oom_control'), 'utf8'))?.[1] ?? 0);

  // The stack without its services (harness, simulator, users); the services are started below.
  const stack = await startStack({ users: Array.from({ length: args.users }, () => ({ timezone: 'UTC', hours: args.hours })), only: [], log });
  const processes = {} as Record<Service, ServiceProcess>;
  const figures: UserFigures[] = [];
  const groups = {} as Record<Service, string>;
  const cleanUp = async () => {
    for (const s of SERVICES) await processes[s]?.stop();
    await stack.stop();
    for (const dir of cgroups.splice(0)) {
      try {
        rmdirSync(dir);
      } catch (error) {
        log(`could not remove ${dir}: ${(error as Error).message}`);
      }
    }
  };
  // Ctrl-C mid-run: stop the services and the harness and remove the cgroups, then exit
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const encryptionKey = randomBytes(32).toString('hex');
    const cipher = KeyCipher.fromHex(encryptionKey);
    for (const user of stack.users) await stack.query('SELECT public.giggles_set_user_key($1, $2)', [user.userId, cipher.encrypt(user.apiKey, user.userId)]);
    const env: Record<string, string> = {
      NATS_URL: stack.harness.natsUrl!,
      LOG_LEVEL: 'info',
      SUPABASE_URL: stack.harness.supabaseUrl!,
      SUPABASE_SERVICE_ROLE_KEY: stack.harness.serviceRoleKey,
      DATABASE_URL: stack.databaseUrl,
      GIGGLES_ENCRYPTION_KEY: encryptionKey,
      LIMITLESS_API_URL: stack.limitless.url,
      GIGGLES_MODEL: process.env.GIGGLES_MODEL ?? join(sharedDir(), 'models', 'yamnet.tflite'),
      CLIP_STORAGE_DIR: stack.clipDir,
      ...(process.env.GIGGLES_MODEL_CACHE_DIR ? { GIGGLES_MODEL_CACHE_DIR: process.env.GIGGLES_MODEL_CACHE_DIR } : {}),
    };
    for (const service of SERVICES) {
      groups[service] = cgroupFor(service, SERVICE_MEMORY_LIMIT_MB[service]);
      const healthPort = await freePort();
      processes[service] = bornIn(groups[service], () =>
        startService({
          name: service,
          repoRoot: repoRoot(__dirname),
          mode: 'dist',
          healthPort,
          logFile: join(stack.logDir, `${service}.log`),
          env: {
            ...env,
            MEMORY_LIMIT_MB: String(SERVICE_MEMORY_LIMIT_MB[service]),
            ...(COMPOSE_NODE_OPTIONS[service] ? { NODE_OPTIONS: COMPOSE_NODE_OPTIONS[service] } : {}),
            ...(service === 'inference' ? { YAMNET_THREADS: '2' } : {}),
          },
        }),
      );
    }
    await Promise.all(SERVICES.map((s) => processes[s].waitReady(180_000)));
    log(`services ready, each in its cgroup: ${SERVICES.map((s) => `${s} ${SERVICE_MEMORY_LIMIT_MB[s]} MB`).join(', ')}`);
    const alive = () => {
      for (const s of SERVICES) if (processes[s].crashed()) throw new Error(`${s} died (OOM kills in its cgroup: ${oomKills(groups[s])}); see ${processes[s].logFile}`);
    };
    const rss = (service: Service) => procMemory(processes[service].pid)?.rssMb ?? NaN;

    for (const user of stack.users) {
      const peak = Object.fromEntries(SERVICES.map((s) => [s, rss(s)])) as Record<Service, number>;
      const sampler = setInterval(() => {
        for (const s of SERVICES) peak[s] = Math.max(peak[s], rss(s));
        alive();
      }, args.sampleMs);
      const started = Date.now();
      try {
        const [job] = await stack.publishDayJobs([user]);
        await stack.waitForJobs([job.jobId], { timeoutMs: 3_600_000 });
      } finally {
        clearInterval(sampler);
      }
      const wallSeconds = (Date.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, args.settleMs));
      for (const s of SERVICES) peak[s] = Math.max(peak[s], rss(s));
      const after = Object.fromEntries(SERVICES.map((s) => [s, round1(rss(s))])) as Record<Service, number>;
      const row: UserFigures = {
        user: user.index + 1,
        audioHours: round1(user.audioSeconds / 3600),
        wallSeconds: round1(wallSeconds),
        peakRssMb: Object.fromEntries(SERVICES.map((s) => [s, round1(peak[s])])) as Record<Service, number>,
        rssAfterMb: after,
      };
      figures.push(row);
      log(
        `user ${row.user}: ${row.audioHours} h in ${row.wallSeconds} s — peak ${SERVICES.map((s) => `${s} ${row.peakRssMb[s]}`).join(', ')} MB; after ${SERVICES.map((s) => `${s} ${after[s]}`).join(', ')} MB`,
      );
    }
    alive();
    const kills = Object.fromEntries(SERVICES.map((s) => [s, oomKills(groups[s])])) as Record<Service, number>;
    const lifetimePeak = Object.fromEntries(SERVICES.map((s) => [s, round1(processes[s].peakRssMb())])) as Record<Service, number>;
    report(figures, lifetimePeak, kills, readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '));
  } finally {
    await cleanUp();
  }
}

function report(figures: UserFigures[], lifetimePeak: Record<Service, number>, oomKills: Record<Service, number>, load: string): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`user  audio h  wall s  ${SERVICES.map((s) => `${s} peak/after MB`.padStart(26)).join('')}`);
  for (const f of figures) {
    out(`${String(f.user).padStart(4)}  ${String(f.audioHours).padStart(7)}  ${String(f.wallSeconds).padStart(6)}  ${SERVICES.map((s) => `${f.peakRssMb[s]} / ${f.rssAfterMb[s]}`.padStart(26)).join('')}`);
  }
  const verdicts = SERVICES.map((s) => {
    const peak = Math.max(...figures.map((f) => f.peakRssMb[s]), lifetimePeak[s]);
    const afters = figures.map((f) => f.rssAfterMb[s]);
    const warm = afters.length > 2 ? afters.slice(1) : afters;
    const growth = round1(warm[warm.length - 1] - warm[0]);
    const warmUp = round1(afters.length > 1 ? afters[1] - afters[0] : 0);
    const ok = peak <= TARGET_PEAK_MB[s] && growth <= GROWTH_TOLERANCE_MB && oomKills[s] === 0;
    return { service: s, peakMb: round1(peak), targetMb: TARGET_PEAK_MB[s], warmUpMb: warmUp, growthAfterWarmUpMb: growth, oomKills: oomKills[s], ok };
  });
  for (const v of verdicts) {
    out(
      `${v.service}: peak ${v.peakMb} MB (target ≤ ${v.targetMb}); RSS after user 2 − after user 1 (warm-up) ${v.warmUpMb} MB, after the last − after user 2 ${v.growthAfterWarmUpMb} MB (≤ ${GROWTH_TOLERANCE_MB}); OOM kills ${v.oomKills} → ${v.ok ? 'ok' : 'MISSED'}`,
    );
  }
  out(`load average ${load}`);
  out(JSON.stringify({ users: figures, verdicts, lifetimePeakRssMb: lifetimePeak }));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

if (!relaunchedWithDecorators()) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench:memory: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
