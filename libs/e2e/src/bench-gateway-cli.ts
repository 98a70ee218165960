/** The body of `npm run bench:gateway` (libs/e2e/scripts/bench-gateway.ts; see there for what it measures). */
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { runLoad, type LoadKind, type LoadResult } from './gateway-load';
import { startProductStack, type ProductStack } from './product-stack';
import type { ServiceMode } from './service-process';
import { addDays, localDateOf } from './time';
import { cloneSeededUser, seedYear, type SeedUser } from './year-seed';

/** Time zones of the bench users (half-hour offsets and both hemispheres' DST included). */
const TIMEZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
/** The read mix: the home page's day list, a day's laughs, trends, playing a clip. */
const MIX = { days: 0.3, dayLaughs: 0.3, trends: 0.15, clip: 0.25 } as const;
/** Detections sampled per user for clip downloads. */
const CLIPS_PER_USER = 200;
/** Gateway settings for the bench: every request comes from 127.0.0.1, so the per-IP rate limits would answer 429 to the load itself. */
const BENCH_GATEWAY_ENV = { GATEWAY_THROTTLE_LIMIT: '1000000', GATEWAY_AUTH_THROTTLE_LIMIT: '100000' };
/** docker-compose.yml's NODE_OPTIONS (V8 heap caps under the containers' limits), so peak RSS is what the containers would see. */
const COMPOSE_NODE_OPTIONS = { gateway: '--max-old-space-size=104 --max-semi-space-size=4', persistence: '--max-old-space-size=144 --max-semi-space-size=4' };

interface Args {
  users: number;
  days: number;
  /** Users written through the write functions; the others are copies of them (year-seed.ts). */
  templates: number;
  rate: number;
  durationS: number;
  p99TargetMs: number;
  stepDurationS: number;
  maxRate: number;
  warmupS: number;
  mode: ServiceMode;
  logDir?: string;
  quiet: boolean;
}

const USAGE = `usage: npm run bench:gateway [-- --duration 60] [--rate 200] [--users 50] [--days 365]
  --users N          users, each with --days of processed nights (default 50)
  --days N           nights per user, ending yesterday in the user's zone (default 365)
  --templates N      users written through persistence's write functions; the rest are copies (default 5)
  --rate R           the fixed rate of the main run, requests/s (default 200)
  --duration S       length of the main run (default 60)
  --p99-target MS    the search looks for the highest rate whose p99 stays under this (default 100)
  --step-duration S  length of each search step (default 10)
  --max-rate R       the search stops here (default 3000)
  --warmup S         unmeasured load before the main run (default 5)
  --mode source|dist gateway and persistence from source (tsx, default) or from their builds
  --log-dir DIR      service logs and the clip store (default a new temp dir)
  --quiet            no progress lines`;

function parseArgs(argv: string[]): Args {
  const args: Args = { users: 50, days: 365, templates: 5, rate: 200, durationS: 60, p99TargetMs: 100, stepDurationS: 10, maxRate: 3000, warmupS: 5, mode: process.env.E2E_SERVICE_MODE === 'dist' ? 'dist' : 'source', quiet: false };
  const num = (flag: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min || n > max) throw new Error(`${flag}: a number from ${min} to ${max} (got ${JSON.stringify(v)})\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[i + 1];
    switch (flag) {
      case '--users': args.users = Math.round(num(flag, v, 1, 10_000)); i++; break;
      case '--days': args.days = Math.round(num(flag, v, 1, 3660)); i++; break;
      case '--templates': args.templates = Math.round(num(flag, v, 1, 1000)); i++; break;
      case '--rate': args.rate = num(flag, v, 1, 100_000); i++; break;
      case '--duration': args.durationS = Math.round(num(flag, v, 1, 3600)); i++; break;
      case '--p99-target': args.p99TargetMs = num(flag, v, 1, 60_000); i++; break;
      case '--step-duration': args.stepDurationS = Math.round(num(flag, v, 1, 600)); i++; break;
      case '--max-rate': args.maxRate = num(flag, v, 1, 100_000); i++; break;
      case '--warmup': args.warmupS = Math.round(num(flag, v, 0, 600)); i++; break;
      case '--mode':
        if (v !== 'source' && v !== 'dist') throw new Error(`--mode: source or dist (got ${JSON.stringify(v)})`);
        args.mode = v;
        i++;
        break;
      case '--log-dir': args.logDir = v; i++; break;
      case '--quiet': args.quiet = true; break;
      case '--help': case '-h': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  args.templates = Math.min(args.templates, args.users);
  return args;
}

interface BenchUser extends SeedUser {
  token: string;
  dates: string[];
  laughIds: string[];
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = args.quiet ? () => undefined : (line: string) => process.stderr.write(`bench:gateway: ${line}\n`);
  const product = await startProductStack({
    mode: args.mode,
    logDir: args.logDir,
    log,
    pipeline: ['persistence'],
    pipelineEnv: { persistence: { NODE_OPTIONS: COMPOSE_NODE_OPTIONS.persistence } },
    gatewayEnv: { ...BENCH_GATEWAY_ENV, NODE_OPTIONS: COMPOSE_NODE_OPTIONS.gateway },
  });
  let pool: Pool | undefined;
  try {
    pool = new Pool({ connectionString: product.stack.databaseUrl, max: 2 });
    const users = await makeUsers(product, pool, args, log);
    const load = (rate: number, durationS: number) => runLoad({ url: product.url, rate, durationS, kinds: mixOf(users) });

    if (args.warmupS > 0) {
      log(`warm-up: ${args.warmupS} s at ${Math.round(args.rate / 2)}/s (not measured)`);
      await load(Math.max(1, Math.round(args.rate / 2)), args.warmupS);
    }
    log(`main run: ${args.rate}/s for ${args.durationS} s`);
    const main = await load(args.rate, args.durationS);
    product.assertServicesAlive();
    log(`  p50 ${main.p50Ms} ms, p95 ${main.p95Ms} ms, p99 ${main.p99Ms} ms, ${main.errors} errors of ${main.requests}`);

    const search = await searchHighestRate(load, args, log);
    product.assertServicesAlive();
    const summary = {
      users: args.users,
      days: args.days,
      detections: users.length ? Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM public.laughter_detections')).rows[0].n) : 0,
      mix: MIX,
      main,
      search: { p99TargetMs: args.p99TargetMs, highestRate: search.best?.achievedRate ?? 0, steps: search.steps },
      peakRssMb: { gateway: round1(product.gateway.peakRssMb()), persistence: round1(product.stack.services.persistence.peakRssMb()) },
      mode: args.mode,
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    };
    printTable(summary);
    await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(summary)}\n`, () => resolve()));
  } finally {
    await pool?.end().catch(() => undefined);
    await product.stop();
  }
}

/**
 * Users as the product has them: signed up at the Supabase Auth simulator (whose access tokens the
 * gateway verifies), a `users` row as the gateway's first sign-in makes, and a year of nights.
 */
async function makeUsers(product: ProductStack, pool: Pool, args: Args, log: (line: string) => void): Promise<BenchUser[]> {
  const { harness } = product.stack;
  const users: BenchUser[] = [];
  for (let i = 0; i < args.users; i++) {
    const email = `bench-${i + 1}@example.com`;
    const res = await fetch(`${harness.supabaseUrl}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: harness.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: `bench-password-${i + 1}` }),
    });
    if (!res.ok) throw new Error(`auth simulator sign-up ${res.status}: ${await res.text()}`);
    const session = (await res.json()) as { access_token: string; user: { id: string } };
    // A copy shares its template's zone (its nights are the template's local days).
    const timezone = TIMEZONES[(i % args.templates) % TIMEZONES.length];
    users.push({ userId: session.user.id, email, timezone, token: session.access_token, dates: [], laughIds: [] });
    await pool.query('INSERT INTO public.users (id, email, timezone) VALUES ($1, $2, $3)', [session.user.id, email, timezone]);
  }
  const templates = users.slice(0, args.templates);
  log(`seeding ${args.days} nights for ${templates.length} users through persistence's write functions`);
  const seeded = await seedYear(pool, {
    users: templates,
    days: args.days,
    clipDir: product.stack.clipDir,
    onProgress: (done, total) => {
      if (done === total || Math.floor(done / 500) !== Math.floor((done - 31) / 500)) log(`  ${done}/${total} user-days`);
    },
  });
  log(`  ${seeded.detections} laughs, ${seeded.windows} windows, ${seeded.clipFiles} clip files in ${seeded.seconds} s`);
  const started = Date.now();
  let copied = 0;
  for (const [t, template] of templates.entries()) {
    const copies = users.slice(args.templates).filter((_, i) => (i + args.templates) % args.templates === t);
    copied += (await cloneSeededUser(pool, template.userId, copies.map((u) => u.userId), product.stack.clipDir)).clipFiles;
  }
  if (users.length > templates.length) log(`copied to ${users.length - templates.length} more users (${copied} clip files) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await pool.query('ANALYZE');

  for (const user of users) {
    const yesterday = addDays(localDateOf(Date.now(), user.timezone), -1);
    user.dates = Array.from({ length: args.days }, (_, i) => addDays(yesterday, -i));
    const { rows } = await pool.query<{ id: string }>(
      'SELECT id FROM public.laughter_detections WHERE user_id = $1 AND clip_path IS NOT NULL AND deleted_at IS NULL ORDER BY random() LIMIT $2',
      [user.userId, CLIPS_PER_USER],
    );
    user.laughIds = rows.map((r) => r.id);
  }
  return users;
}

/** The mix over random users (each request with that user's bearer token), random days of their year. */
function mixOf(users: BenchUser[]): LoadKind[] {
  const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
  const auth = (u: BenchUser) => ({ authorization: `Bearer ${u.token}` });
  return [
    { kind: 'days', weight: MIX.days, next: () => { const u = pick(users); return { path: '/api/days?limit=30', headers: auth(u) }; } },
    { kind: 'dayLaughs', weight: MIX.dayLaughs, next: () => { const u = pick(users); return { path: `/api/days/${pick(u.dates)}/laughs`, headers: auth(u) }; } },
    { kind: 'trends', weight: MIX.trends, next: () => { const u = pick(users); return { path: `/api/trends?days=${pick([30, 90, 365])}`, headers: auth(u) }; } },
    { kind: 'clip', weight: MIX.clip, next: () => { const u = pick(users.filter((x) => x.laughIds.length > 0)); return { path: `/api/laughs/${pick(u.laughIds)}/clip`, headers: auth(u) }; } },
  ];
}

/**
 * The highest rate whose p99 stays under the target without errors (and with ≥ 90 % of the asked
 * rate achieved): from the main run's rate up ×1.5 while it holds, or down by halves until it
 * holds, then two bisections between the last good and the first bad rate. At most 12 steps.
 */
async function searchHighestRate(
  load: (rate: number, durationS: number) => Promise<LoadResult>,
  args: Args,
  log: (line: string) => void,
): Promise<{ best?: LoadResult; steps: Array<Pick<LoadResult, 'targetRate' | 'achievedRate' | 'p50Ms' | 'p95Ms' | 'p99Ms' | 'errors'>> }> {
  const steps: Array<Pick<LoadResult, 'targetRate' | 'achievedRate' | 'p50Ms' | 'p95Ms' | 'p99Ms' | 'errors'>> = [];
  let best: LoadResult | undefined;
  const tryRate = async (rate: number) => {
    const r = await load(Math.round(rate), args.stepDurationS);
    const ok = r.p99Ms < args.p99TargetMs && r.errors === 0 && r.achievedRate >= 0.9 * r.targetRate;
    steps.push({ targetRate: r.targetRate, achievedRate: r.achievedRate, p50Ms: r.p50Ms, p95Ms: r.p95Ms, p99Ms: r.p99Ms, errors: r.errors });
    log(`  search ${r.targetRate}/s: achieved ${r.achievedRate}/s, p99 ${r.p99Ms} ms, ${r.errors} errors → ${ok ? 'holds' : 'too much'}`);
    if (ok && (!best || r.achievedRate > best.achievedRate)) best = r;
    return ok;
  };
  log(`search: the highest rate with p99 < ${args.p99TargetMs} ms (${args.stepDurationS} s steps)`);
  let good = 0;
  let bad: number | undefined;
  let rate = args.rate;
  if (await tryRate(rate)) {
    good = rate;
    // Up by half again while it holds.
    while (steps.length < 8 && rate * 1.5 <= args.maxRate) {
      rate *= 1.5;
      if (!(await tryRate(rate))) {
        bad = rate;
        break;
      }
      good = rate;
    }
  } else {
    // Down by halves until it holds (a machine busy with other work).
    bad = rate;
    while (steps.length < 8 && rate / 2 >= 1) {
      rate /= 2;
      if (await tryRate(rate)) {
        good = rate;
        break;
      }
      bad = rate;
    }
  }
  for (let i = 0; i < 2 && bad !== undefined && good > 0 && steps.length < 12; i++) {
    const mid = Math.round((good + bad) / 2);
    if (mid <= good || mid >= bad) break;
    if (await tryRate(mid)) good = mid;
    else bad = mid;
  }
  return { best, steps };
}

function printTable(s: {
  users: number;
  days: number;
  detections: number;
  main: LoadResult;
  search: { p99TargetMs: number; highestRate: number };
  peakRssMb: { gateway: number; persistence: number };
  loadAverage: number[];
}): void {
  const m = s.main;
  const rows: Array<[string, string]> = [
    ['data', `${s.users} users × ${s.days} nights, ${s.detections} laughs`],
    [`fixed rate ${m.targetRate}/s`, `achieved ${m.achievedRate}/s, ${m.requests} requests`],
    ['latency p50 / p95 / p99 / max', `${m.p50Ms} / ${m.p95Ms} / ${m.p99Ms} / ${m.maxMs} ms`],
    ['p99 by kind', Object.entries(m.p99MsByKind).map(([k, v]) => `${k} ${v} ms`).join(', ')],
    ['errors', `${m.errors} (statuses ${Object.entries(m.statusCounts).map(([k, v]) => `${k}×${v}`).join(', ')})`],
    [`highest rate with p99 < ${s.search.p99TargetMs} ms`, `${s.search.highestRate}/s`],
    ['peak RSS gateway / persistence', `${s.peakRssMb.gateway} / ${s.peakRssMb.persistence} MiB`],
    ['load average', s.loadAverage.join(' ')],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
