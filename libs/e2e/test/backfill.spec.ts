/**
 * Backfill through the real pipeline (persistence, ingestion, inference as processes; real NATS,
 * Postgres, PostgREST; the Limitless simulator serving a short history), the scheduler in this
 * process on the real clock with its timers off:
 *   - `giggles backfill` without --from finds the first day through the lifelogs endpoint;
 *   - every day from there to yesterday is processed once, oldest first, as registered 'backfill'
 *     jobs (the day the nightly run took is not run again), beside another user's nightly run;
 *   - progress (days, audio hours, laughs) is read back through the backfill-status command.
 * Then the API goes away (the simulator stopped: connection refused) → a day due again runs once
 * (under a fresh job id: its plain id ran minutes ago, inside JetStream's duplicate window) and
 * records api_unreachable gaps with one window's worth of requests (counted at the proxy); the
 * scheduler pauses the user — one state in the scheduler's status and the gateway's
 * /api/status/limitless —; a simulated week of hourly ticks plans no job for them and makes one
 * probe request an hour; what is stored stays readable through the gateway; and the first probe
 * after the simulator is back resumes them by itself, the missed day's gaps retried.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { HISTORY_COMMANDS, HISTORY_QUERIES, QUERIES, SUBJECTS, type DayJob } from '@giggles/contracts';
import { addDays, localDateOf, localDayRange, startService, startStack, type ServiceProcess, type Stack, type StackUser } from '@giggles/e2e';
import { request } from '@giggles/messaging';
import { createSchedulerApp, type SchedulerApp } from '@giggles/scheduler';
import { freePort, mintJwt, repoRoot, startLimitlessSimulator, type LimitlessSimulator } from '@giggles/testing';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog } from './support/settings';

const HOUR = 3_600_000;
const RECORDING = join(EVAL_DIR, 'long_d1.ogg');
const today = localDateOf(Date.now(), 'UTC');
/** History of the backfilling user (UTC): audio on these days, 10 minutes from 10:00. */
const HISTORY_DAYS = [addDays(today, -6), addDays(today, -5), addDays(today, -3)];

describe('backfill end to end', () => {
  let stack: Stack;
  let scheduler: SchedulerApp;
  let backfiller: StackUser;
  let nightly: StackUser;
  let setupCompleted = false;
  let revived: LimitlessSimulator | undefined;
  let gateway: ServiceProcess | undefined;
  let gatewayUrl = '';
  const now = { offsetMs: 0 };

  beforeAll(async () => {
    stack = await startStack({
      users: [
        { timezone: 'UTC', localDate: HISTORY_DAYS[0], hours: 0 },
        { timezone: 'Europe/Berlin', localDate: addDays(localDateOf(Date.now(), 'Europe/Berlin'), -1), hours: 0.1 },
      ],
      recordings: [RECORDING],
      env: { ...SUITE_ENV, INGESTION_WINDOW_MINUTES: '120', LIMITLESS_MAX_ATTEMPTS: '3' },
      only: ['persistence', 'ingestion', 'inference'],
      log: suiteLog,
    });
    [backfiller, nightly] = stack.users;
    for (const day of HISTORY_DAYS) stack.simulator.addRecording(backfiller.apiKey, localDayRange(day, 'UTC').startMs + 10 * HOUR, RECORDING);
    scheduler = await startScheduler({});
    setupCompleted = true;
  });

  /** The scheduler in this process: real time shifted by `now.offsetMs`, timers off (the test ticks). */
  async function startScheduler(env: Record<string, string>): Promise<SchedulerApp> {
    return createSchedulerApp({
      env: {
        NATS_URL: stack.harness.natsUrl,
        HEALTH_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        SCHEDULER_CATCH_UP_DAYS: '1',
        SCHEDULER_SETTLE_DELAY: '0s',
        SCHEDULER_API_OUTAGE_PAUSE_AFTER: '1m',
        SCHEDULER_API_PROBE_INTERVAL: '1m',
        SCHEDULER_RETRY_BASE: '1m',
        ...env,
      },
      logger: pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() })),
      clock: { now: () => Date.now() + now.offsetMs },
      timers: false,
      host: '127.0.0.1',
    });
  }

  /** The gateway as a process beside the stack (its status and days routes, a minted access token). */
  async function startGateway(): Promise<ServiceProcess> {
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    const { harness } = stack;
    const process = startService({
      name: 'gateway',
      repoRoot: repoRoot(__dirname),
      mode: 'source',
      healthPort: await freePort(),
      logFile: join(stack.logDir, 'gateway.log'),
      env: {
        NATS_URL: harness.natsUrl!,
        LOG_LEVEL: 'info',
        MEMORY_LIMIT_MB: '512',
        GATEWAY_PORT: String(port),
        GATEWAY_HOST: '127.0.0.1',
        SUPABASE_URL: harness.supabaseUrl!,
        SUPABASE_ANON_KEY: harness.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: harness.serviceRoleKey,
        SUPABASE_JWT_SECRET: harness.jwtKeys.secret,
        GIGGLES_ENCRYPTION_KEY: stack.encryptionKey,
        LIMITLESS_API_URL: stack.limitless.url,
      },
    });
    await process.waitReady(240_000);
    return process;
  }

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    await gateway?.stop();
    await scheduler?.close();
    await revived?.stop();
    await stack?.stop();
    cleanLogs(stack?.logDir, setupCompleted);
  });

  const published = () => stack.tap.payloads<DayJob>(SUBJECTS.dayJob);
  const inFlight = async () => Number((await stack.query<{ n: string }>("SELECT count(*) AS n FROM public.jobs WHERE status IN ('planned', 'running')"))[0]!.n);

  /**
   * Ticks, then backfill rounds until one finds nothing in flight and publishes nothing (then
   * nothing can happen until time passes). In-flight is read before the round, and what the round
   * published is its own report (the tap sees a publish a moment after its ack): read otherwise, a
   * job finishing in between would look like quiet while its successor was just published.
   */
  async function runUntilQuiet(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await scheduler.tick();
    for (;;) {
      stack.assertServicesAlive();
      const idle = (await inFlight()) === 0;
      const round = await scheduler.backfillTick();
      if (idle && round !== undefined && round.published.length === 0) return;
      if (Date.now() > deadline) throw new Error(`not quiet after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('finds the first day, processes every day to yesterday once, oldest first, beside a nightly run', async () => {
    const reply = await request(stack.nc, HISTORY_COMMANDS.backfill, { email: backfiller.email }, { timeoutMs: 60_000 });
    expect(reply.firstAudio).toMatchObject({ method: 'lifelogs', requests: 1, atMs: localDayRange(HISTORY_DAYS[0], 'UTC').startMs + 10 * HOUR });
    expect(reply.backfill).toMatchObject({ from: HISTORY_DAYS[0], to: addDays(today, -1), totalDays: 6, state: 'active' });

    await runUntilQuiet();

    const mine = published().filter((j) => j.userId === backfiller.userId);
    const backfillDays = mine.filter((j) => j.trigger === 'backfill').map((j) => j.localDate);
    expect(backfillDays).toEqual([...backfillDays].sort());
    const allDays = mine.map((j) => j.localDate).sort();
    // Every day of the range exactly once: yesterday by the nightly run, the rest by the backfill.
    expect(allDays).toEqual(Array.from({ length: 6 }, (_, i) => addDays(HISTORY_DAYS[0], i)));
    expect(mine.find((j) => j.localDate === addDays(today, -1))?.trigger).toBe('nightly');
    // The other user's night ran too.
    expect(published().some((j) => j.userId === nightly.userId && j.trigger === 'nightly')).toBe(true);

    const rows = await stack.query<{ local_date: string; status: string }>(
      "SELECT to_char(local_date, 'YYYY-MM-DD') AS local_date, status FROM public.jobs WHERE user_id = $1",
      [backfiller.userId],
    );
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    const status = await request(stack.nc, HISTORY_COMMANDS.backfillStatus, { email: backfiller.email }, { timeoutMs: 15_000 });
    const [progress] = status.backfills;
    expect(progress).toMatchObject({ state: 'done', daysDone: 6, totalDays: 6, daysFailed: 0 });
    expect(progress!.audioSeconds).toBeGreaterThanOrEqual(3 * 599);
    expect(progress!.audioSeconds).toBeLessThanOrEqual(3 * 601);
    expect(progress!.laughs).toBeGreaterThan(0);
    // Asking again changes nothing: the days are done.
    await runUntilQuiet(30_000);
    expect(published().filter((j) => j.userId === backfiller.userId)).toHaveLength(mine.length);
  });

  /**
   * The API goes away for a simulated week: the scheduler's clock jumps ahead an hour per tick
   * while ingestion and the database run on real time (the week's days are future days for
   * ingestion and plan no windows), so what reaches Limitless is what the outage logic asks for.
   */
  it('Limitless gone: api_unreachable with bounded requests, one paused state, data readable, resumes when it is back', async () => {
    gateway = await startGateway();
    const token = await mintJwt({ role: 'authenticated', sub: backfiller.userId, email: backfiller.email, keys: stack.harness.jwtKeys, issuer: `${stack.harness.supabaseUrl}/auth/v1`, expiresIn: '2h' });
    const api = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${gatewayUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
      expect(res.status, `${path}: ${res.status}`).toBe(200);
      return (await res.json()) as T;
    };
    expect(await api('/api/status/limitless')).toEqual({ state: 'reachable' });
    const daysBefore = await api<{ days: Array<{ localDate: string }> }>('/api/days');

    const simulatorPort = stack.simulator.port;
    await stack.simulator.stop(); // connection refused from now on
    const requestsAtStop = stack.limitless.requests(backfiller.apiKey);
    // Yesterday is due again (as after a reprocess): its nightly job cannot reach Limitless at all.
    // The same plain nightly id ran minutes ago, inside JetStream's duplicate window: the scheduler
    // must run it under a fresh id, or the job would wait 'planned' for the stalled-job sweep.
    const day = addDays(today, -1);
    await request(stack.nc, QUERIES.clearDays, { userId: backfiller.userId, from: day, to: day }, { timeoutMs: 15_000 });
    await runUntilQuiet();
    const dayJobs = () =>
      stack.query<{ trigger: string; status: string }>(
        "SELECT trigger, status FROM public.jobs WHERE user_id = $1 AND local_date = $2 ORDER BY created_at",
        [backfiller.userId, day],
      );
    expect(await dayJobs()).toEqual([{ trigger: 'nightly', status: 'done' }]);
    const windows = await stack.query<{ code: string }>("SELECT error ->> 'code' AS code FROM public.audio_segments WHERE user_id = $1 AND date = $2", [backfiller.userId, day]);
    expect(windows).toHaveLength(12); // 2-hour windows
    expect(windows.every((w) => w.code === 'api_unreachable')).toBe(true);
    // One window's attempts (LIMITLESS_MAX_ATTEMPTS = 3), none for the other eleven.
    expect(stack.limitless.requests(backfiller.apiKey) - requestsAtStop).toBe(3);

    // Two more users that must never get a download job: one who never saved a Limitless key (they
    // use Giggles from imports) and one whose key was removed — each with a backfill asked for.
    const keyless = randomUUID();
    await stack.query('INSERT INTO public.users (id, email, timezone) VALUES ($1, $2, $3)', [keyless, 'no-key@example.test', 'UTC']);
    const removedKey = nightly.userId;
    for (const userId of [keyless, removedKey]) {
      await request(stack.nc, HISTORY_QUERIES.backfillStart, { userId, from: addDays(today, -20), to: addDays(today, -10) }, { timeoutMs: 15_000 });
    }
    await stack.query('UPDATE public.limitless_keys SET is_active = false WHERE user_id = $1', [removedKey]);
    const jobsOf = async (userId: string) => Number((await stack.query<{ n: string }>('SELECT count(*) AS n FROM public.jobs WHERE user_id = $1', [userId]))[0]!.n);
    const removedKeyJobs = await jobsOf(removedKey);
    const removedKeyRequests = stack.limitless.requests(nightly.apiKey);

    // The scheduler restarts with this case's outage settings: a catch-up long enough that the day
    // missed is still due after the week, and an hourly probe as in production.
    await scheduler.close();
    scheduler = await startScheduler({ SCHEDULER_CATCH_UP_DAYS: '9', SCHEDULER_API_OUTAGE_PAUSE_AFTER: '1h', SCHEDULER_API_PROBE_INTERVAL: '1h' });

    // Past SCHEDULER_API_OUTAGE_PAUSE_AFTER (1 h here): paused, one clear state.
    now.offsetMs = 61 * 60_000;
    const paused = await scheduler.tick();
    expect(paused.outages?.paused).toContain(backfiller.userId);
    const status = await request(stack.nc, HISTORY_COMMANDS.backfillStatus, {}, { timeoutMs: 15_000 });
    expect(status.outages.filter((o) => o.userId === backfiller.userId)).toEqual([
      expect.objectContaining({ pausedAt: expect.any(String), pauseReason: expect.stringContaining('unreachable') }),
    ]);
    expect(await api('/api/status/limitless')).toMatchObject({ state: 'unreachable', pausedAt: expect.any(String), message: expect.stringContaining('paused') });

    // A week of connection refused, one tick per simulated hour: no job for the user (no nightly,
    // no gap retry — SCHEDULER_RETRY_BASE is 1 min here), one probe request per probe interval.
    const jobsAtPause = (await stack.query<{ n: string }>('SELECT count(*) AS n FROM public.jobs WHERE user_id = $1', [backfiller.userId]))[0]!.n;
    const requestsAtPause = stack.limitless.requests(backfiller.apiKey);
    let probes = 0;
    for (let hour = 1; hour <= 7 * 24; hour++) {
      now.offsetMs += 60 * 60_000;
      const tick = await scheduler.tick();
      expect(tick.published.filter((j) => j.userId === backfiller.userId)).toEqual([]);
      expect(tick.backfill?.published.filter((j) => j.userId === backfiller.userId) ?? []).toEqual([]);
      if (tick.outages?.probed.includes(backfiller.userId)) probes += 1;
      await scheduler.probesSettled();
    }
    expect(probes).toBeGreaterThanOrEqual(7 * 24 - 1);
    expect(probes).toBeLessThanOrEqual(7 * 24);
    expect(stack.limitless.requests(backfiller.apiKey) - requestsAtPause).toBe(probes);
    expect((await stack.query<{ n: string }>('SELECT count(*) AS n FROM public.jobs WHERE user_id = $1', [backfiller.userId]))[0]!.n).toBe(jobsAtPause);
    expect((await request(stack.nc, HISTORY_QUERIES.apiOutages, {}, { timeoutMs: 15_000 })).outages.find((o) => o.userId === backfiller.userId)?.pausedAt).toBeDefined();
    // No key, no downloads: not one job or request for either of the other two in the whole week.
    expect(await jobsOf(keyless)).toBe(0);
    expect(await jobsOf(removedKey)).toBe(removedKeyJobs);
    expect(stack.limitless.requests(nightly.apiKey)).toBe(removedKeyRequests);
    stack.assertServicesAlive();

    // What is stored stays readable, through the gateway as the user sees it.
    const daysDuring = await api<{ days: Array<{ localDate: string }> }>('/api/days');
    expect(daysDuring.days.map((d) => d.localDate)).toEqual(expect.arrayContaining(HISTORY_DAYS));
    expect(daysDuring.days.length).toBeGreaterThanOrEqual(daysBefore.days.length - 1);
    const laughs = await api<{ total: number }>(`/api/days/${HISTORY_DAYS[0]}/laughs`);
    expect(laughs.total).toBeGreaterThan(0);

    // The API is back (same port): the next probe resumes the user by itself, and the day missed
    // is retried (its gaps) — the week's days are future days for ingestion's real clock.
    revived = await startLimitlessSimulator({ port: simulatorPort, keys: [backfiller.apiKey, nightly.apiKey] });
    now.offsetMs += 60 * 60_000;
    const probed = await scheduler.tick();
    expect(probed.outages?.probed).toContain(backfiller.userId);
    await scheduler.probesSettled();
    const outages = await request(stack.nc, HISTORY_QUERIES.apiOutages, {}, { timeoutMs: 15_000 });
    expect(outages.outages.filter((o) => o.pausedAt)).toEqual([]);
    expect(await api('/api/status/limitless')).toEqual({ state: 'reachable' });
    now.offsetMs += 2 * 60_000;
    const resumedAt = published().length;
    await runUntilQuiet();
    const retries = published().slice(resumedAt).filter((j) => j.userId === backfiller.userId && j.localDate === day);
    expect(retries.map((j) => j.trigger)).toEqual(['gap-retry']);
    const retried = await stack.query<{ code: string | null }>("SELECT error ->> 'code' AS code FROM public.audio_segments WHERE user_id = $1 AND date = $2", [backfiller.userId, day]);
    expect(retried.some((w) => w.code === 'api_unreachable')).toBe(false);
  });
});
