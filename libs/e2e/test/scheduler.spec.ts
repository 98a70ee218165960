/**
 * The scheduler against the real pipeline (persistence, ingestion, inference as processes; real
 * NATS, Postgres, PostgREST; the Limitless simulator), with the scheduler in this process on a
 * fake clock so days pass in seconds:
 *   1. a simulated week across both 2026 DST changes (Europe 25 Oct, US 1 Nov) for users in three
 *      timezones → exactly one nightly job per user-day, each over its DST-correct local day;
 *   2. two days of downtime → the missed days are caught up, oldest first;
 *   3. "today so far" then the nightly run → the same laughs as the nightly run alone;
 *   4. reprocess → equals a fresh run (a laugh the user deleted stays deleted);
 *   5. reconciliation repairs planted orphans and reports them in one summary line;
 *   6. a gap left by Limitless 503s is retried after 60 min, again after 120 min, and filled;
 *   7. `giggles status` (the real CLI) reports it all.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { BUCKETS, COMMANDS, SUBJECTS, type DayJob, type StatusReply } from '@giggles/contracts';
import { addDays, localDateOf, localDayRange, startStack, type Stack, type StackUser } from '@giggles/e2e';
import { request } from '@giggles/messaging';
import { createSchedulerApp, type SchedulerApp } from '@giggles/scheduler';
import { Objm } from '@nats-io/obj';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from '@giggles/testing';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog } from './support/settings';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SETTLE_MS = 2 * HOUR;
const CATCH_UP_DAYS = 3;
/** The simulated week: from Saturday 24 Oct 2026 00:00 UTC to Monday 2 Nov 12:00 UTC. */
const WEEK_START = Date.UTC(2026, 9, 24, 0, 0);
const WEEK_END = Date.UTC(2026, 10, 2, 12, 0);
const TICK_MS = 30 * 60_000;

/** Recordings of the today/reprocess pair: d1 then d2 (600 s each); "today" stops at 00:10, the file boundary. */
const PAIR_DAY = '2026-11-05';
const PAIR_TZ = 'Europe/Berlin';
const TODAY_CUT_MS = 600_000;

interface FakeClock {
  now(): number;
  set(ms: number): void;
}

function fakeClock(start: number): FakeClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms) };
}

describe('scheduler end to end: nightly, catch-up, today, reprocess, reconciliation', () => {
  let stack: Stack;
  let scheduler: SchedulerApp;
  const clock = fakeClock(WEEK_START);
  const logLines: Array<Record<string, unknown>> = [];
  let setupCompleted = false;
  let weekUsers: StackUser[];
  /** The user the gap-retry test gave a gap (and saw filled). */
  let gapUser: StackUser;
  let pairA: StackUser;
  let pairB: StackUser;

  beforeAll(async () => {
    stack = await startStack({
      users: [
        { timezone: 'Europe/Berlin', localDate: '2026-10-25', hours: 0.2 },
        { timezone: 'America/New_York', localDate: '2026-11-01', hours: 0.2 },
        { timezone: 'Asia/Kolkata', localDate: '2026-10-28', hours: 0.2 },
        { timezone: PAIR_TZ, localDate: PAIR_DAY, hours: 0.5 },
        { timezone: PAIR_TZ, localDate: PAIR_DAY, hours: 0.5 },
      ],
      recordings: [join(EVAL_DIR, 'long_d1.ogg'), join(EVAL_DIR, 'long_d2.ogg')],
      env: { ...SUITE_ENV, INGESTION_WINDOW_MINUTES: '120' },
      only: ['persistence', 'ingestion', 'inference'],
      log: suiteLog,
    });
    weekUsers = stack.users.slice(0, 3);
    [pairA, pairB] = stack.users.slice(3);
    // The pair joins later (phase 3): until then their keys are switched off.
    await stack.query('UPDATE public.limitless_keys SET is_active = false WHERE user_id = ANY($1)', [[pairA.userId, pairB.userId]]);

    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    scheduler = await createSchedulerApp({
      env: {
        NATS_URL: stack.harness.natsUrl,
        HEALTH_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        SCHEDULER_CATCH_UP_DAYS: String(CATCH_UP_DAYS),
        SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER: '2',
        RECONCILE_STALE_AUDIO_MINUTES: '60',
      },
      logger: pino({ level: 'info' }, sink),
      clock,
      timers: false,
      host: '127.0.0.1',
    });
    setupCompleted = true;
  });

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    await scheduler?.close();
    await stack?.stop();
    cleanLogs(stack?.logDir, setupCompleted);
  });

  const published = () => stack.tap.payloads<DayJob>(SUBJECTS.dayJob);
  const nightlyOf = (user: StackUser) => published().filter((j) => j.userId === user.userId && j.trigger === 'nightly');

  /** Ticks at the current fake time until nothing is in flight and a tick publishes nothing. */
  async function tickUntilQuiet(timeoutMs = 240_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      stack.assertServicesAlive();
      const before = published().length;
      await scheduler.tick();
      const inFlight = await stack.query<{ n: string }>("SELECT count(*) AS n FROM public.jobs WHERE status IN ('planned', 'running')");
      if (published().length === before && Number(inFlight[0].n) === 0) return;
      if (Date.now() > deadline) throw new Error(`scheduler not quiet after ${timeoutMs} ms (${inFlight[0].n} jobs in flight)`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Days of a user the scheduler must have run by `until`, having started at `from` with the catch-up horizon. */
  function expectedDays(user: StackUser, from: number, until: number): string[] {
    const days: string[] = [];
    for (let d = addDays(localDateOf(from, user.timezone), -CATCH_UP_DAYS); ; d = addDays(d, 1)) {
      if (localDayRange(d, user.timezone).endMs + SETTLE_MS > until) return days;
      days.push(d);
    }
  }

  it('runs a simulated week across both DST changes: one nightly job per user-day over its local day', async () => {
    for (let t = WEEK_START; t <= WEEK_END; t += TICK_MS) {
      clock.set(t);
      await scheduler.tick();
    }
    await tickUntilQuiet();

    for (const user of weekUsers) {
      const jobs = nightlyOf(user);
      const days = jobs.map((j) => j.localDate);
      expect(days.slice().sort()).toEqual(expectedDays(user, WEEK_START, WEEK_END));
      expect(new Set(days).size).toBe(days.length); // published once each
      for (const job of jobs) {
        expect({ startMs: job.startMs, endMs: job.endMs }).toEqual(localDayRange(job.localDate, user.timezone));
        expect(job.timezone).toBe(user.timezone);
      }
      const rows = await stack.query<{ local_date: string; status: string }>(
        "SELECT to_char(local_date, 'YYYY-MM-DD') AS local_date, status FROM public.jobs WHERE user_id = $1 AND trigger = 'nightly'",
        [user.userId],
      );
      expect(rows.map((r) => r.local_date).sort()).toEqual(days.slice().sort());
      expect(rows.every((r) => r.status === 'done')).toBe(true);
    }
    const hoursOf = (user: StackUser, day: string) => {
      const job = nightlyOf(user).find((j) => j.localDate === day)!;
      return (job.endMs - job.startMs) / HOUR;
    };
    const [berlin, newYork, kolkata] = weekUsers;
    expect(hoursOf(berlin, '2026-10-25')).toBe(25);
    expect(hoursOf(berlin, '2026-10-26')).toBe(24);
    expect(hoursOf(newYork, '2026-10-25')).toBe(24);
    expect(hoursOf(newYork, '2026-11-01')).toBe(25);
    expect(nightlyOf(kolkata).every((j) => j.endMs - j.startMs === DAY)).toBe(true);
    // The days with audio were processed and found laughs.
    for (const user of weekUsers) {
      const laughs = await stack.query<{ n: string }>(
        'SELECT count(*) AS n FROM public.laughter_detections d JOIN public.audio_segments s ON s.id = d.audio_segment_id WHERE d.user_id = $1 AND s.date = $2',
        [user.userId, user.localDate],
      );
      expect(Number(laughs[0].n)).toBeGreaterThan(0);
    }
  });

  it('catches up two days of downtime, oldest first', async () => {
    const before = new Map(weekUsers.map((u) => [u.userId, nightlyOf(u).length]));
    const back = WEEK_END + 2 * DAY + 6 * HOUR;
    clock.set(back);
    await tickUntilQuiet();
    for (const user of weekUsers) {
      const caughtUp = nightlyOf(user).slice(before.get(user.userId));
      expect(caughtUp.length).toBeGreaterThanOrEqual(2);
      const days = caughtUp.map((j) => j.localDate);
      expect(days).toEqual(days.slice().sort());
      expect(nightlyOf(user).map((j) => j.localDate).sort()).toEqual(expectedDays(user, WEEK_START, back));
    }
  });

  it('"today so far" then the nightly run stores the same laughs as the nightly run alone', async () => {
    await stack.query('UPDATE public.limitless_keys SET is_active = true WHERE user_id = ANY($1)', [[pairA.userId, pairB.userId]]);
    const day = localDayRange(PAIR_DAY, PAIR_TZ);
    clock.set(day.startMs + TODAY_CUT_MS);
    const today = await request(stack.nc, COMMANDS.processToday, { email: pairA.email }, { timeoutMs: 15_000 });
    expect(today.job).toMatchObject({ userId: pairA.userId, localDate: PAIR_DAY, startMs: day.startMs, endMs: day.startMs + TODAY_CUT_MS, state: 'queued' });
    const again = await request(stack.nc, COMMANDS.processToday, { userId: pairA.userId }, { timeoutMs: 15_000 });
    expect(again.job.jobId).toBe(today.job.jobId);
    expect(['already_queued', 'already_done']).toContain(again.job.state);
    await stack.waitForJobs([today.job.jobId], { timeoutMs: 180_000 });
    const afterToday = await laughsOf(pairA);
    expect(afterToday.length).toBeGreaterThan(0);
    expect(afterToday.every((l) => l.endS <= TODAY_CUT_MS / 1000)).toBe(true);

    clock.set(day.endMs + SETTLE_MS + 10 * 60_000);
    await tickUntilQuiet();
    const a = await laughsOf(pairA);
    const b = await laughsOf(pairB);
    expect(b.length).toBeGreaterThan(afterToday.length);
    expect(a.length).toBe(b.length);
    for (const [i, la] of a.entries()) {
      expect(la.classId).toBe(b[i].classId);
      expect(Math.abs(la.startS - b[i].startS)).toBeLessThan(1);
      expect(Math.abs(la.endS - b[i].endS)).toBeLessThan(1);
    }
    // Audio downloaded once: the nightly run left out what "today" had stored.
    const windows = await stack.query<{ start_ms: string; end_ms: string; status: string }>(
      "SELECT (extract(epoch FROM start_time) * 1000)::bigint AS start_ms, (extract(epoch FROM end_time) * 1000)::bigint AS end_ms, status FROM public.audio_segments WHERE user_id = $1 AND date = $2 AND status = 'processed' ORDER BY start_time",
      [pairA.userId, PAIR_DAY],
    );
    expect(windows.map((w) => [Number(w.start_ms) - day.startMs, Number(w.end_ms) - day.startMs])).toEqual([
      [0, TODAY_CUT_MS],
      [TODAY_CUT_MS, 2 * HOUR],
    ]);
  });

  it('reprocess removes the range and runs it again: the result equals a fresh run, deleted laughs stay deleted', async () => {
    const [deleted] = await stack.query<{ id: string }>(
      'SELECT d.id FROM public.laughter_detections d JOIN public.audio_segments s ON s.id = d.audio_segment_id WHERE d.user_id = $1 AND s.date = $2 ORDER BY d."timestamp" LIMIT 1',
      [pairA.userId, PAIR_DAY],
    );
    // What persistence's delete does: tombstone the row, then remove its clip file.
    const [gone] = await stack.query<{ r: { deleted: boolean; clipPath: string | null } }>('SELECT public.giggles_delete_detection($1, $2) AS r', [pairA.userId, deleted.id]);
    expect(gone.r.deleted).toBe(true);
    if (gone.r.clipPath) rmSync(join(stack.clipDir, gone.r.clipPath), { force: true });
    const oldClips = (await clipsOf(pairA)).filter((p): p is string => p !== null);

    const reply = await request(stack.nc, COMMANDS.reprocess, { email: pairA.email, from: PAIR_DAY, to: PAIR_DAY }, { timeoutMs: 30_000 });
    expect(reply.jobs).toHaveLength(1);
    expect(reply.removed.detectionsRemoved).toBeGreaterThan(0);
    expect(reply.removed.windowsRemoved).toBeGreaterThan(0);
    await stack.waitForJobs(reply.jobs.map((j) => j.jobId), { timeoutMs: 180_000 });

    const a = await laughsOf(pairA);
    const b = await laughsOf(pairB);
    // B is a fresh run of the same audio; A is B without the laugh A's user deleted.
    const key = (l: Laugh) => `${l.classId}@${l.startS.toFixed(3)}-${l.endS.toFixed(3)}:${l.probability}`;
    const fresh = b.map(key);
    const reprocessed = a.map(key);
    expect(fresh.length - reprocessed.length).toBe(1);
    expect(fresh.filter((k) => !reprocessed.includes(k))).toHaveLength(1);
    expect(reprocessed.every((k) => fresh.includes(k))).toBe(true);
    // Old clip files of removed detections are gone; the new ones exist.
    for (const path of oldClips) if (!(await clipsOf(pairA)).includes(path)) expect(stack.clipExists(path)).toBe(false);
    for (const path of await clipsOf(pairA)) if (path) expect(stack.clipExists(path)).toBe(true);
    const segs = await stack.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM public.audio_segments WHERE user_id = $1 AND date = $2 GROUP BY status ORDER BY status',
      [pairA.userId, PAIR_DAY],
    );
    const segsB = await stack.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM public.audio_segments WHERE user_id = $1 AND date = $2 GROUP BY status ORDER BY status',
      [pairB.userId, PAIR_DAY],
    );
    expect(segs).toEqual(segsB);
  });

  it('reconciliation repairs planted orphans and logs one summary line', async () => {
    // An orphan clip file, a detection whose clip file is missing, a stuck job, a stale audio object.
    const orphan = join(stack.clipDir, pairB.userId, PAIR_DAY, 'orphan-planted.wav');
    mkdirSync(dirname(orphan), { recursive: true });
    writeFileSync(orphan, Buffer.alloc(64));
    const [missing] = await stack.query<{ id: string; clip_path: string }>(
      'SELECT id, clip_path FROM public.laughter_detections WHERE user_id = $1 AND clip_path IS NOT NULL AND deleted_at IS NULL ORDER BY "timestamp" LIMIT 1',
      [pairB.userId],
    );
    rmSync(join(stack.clipDir, missing.clip_path));
    await stack.query(
      "INSERT INTO public.jobs (job_id, user_id, local_date, trigger, status, created_at, updated_at) VALUES ('day:planted-stuck', $1, '2026-10-01', 'manual', 'running', '2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z')",
      [pairB.userId],
    );
    const audio = await new Objm(stack.nc).open(BUCKETS.audio);
    await audio.putBlob({ name: `${pairB.userId}/planted-stale.ogg` }, new Uint8Array(128));

    clock.set(Date.now() + 2 * DAY);
    logLines.length = 0;
    const summary = await scheduler.reconcile();
    expect(summary).toBeDefined();
    expect(summary!.deleted.orphanClips).toBe(1);
    expect(summary!.repaired.detectionsMissingClip).toBe(1);
    expect(summary!.repaired.stuckJobs).toBe(1);
    expect(summary!.deleted.staleAudioObjects).toBeGreaterThanOrEqual(1);
    expect(summary!.stoppedBy).toBeUndefined();

    expect(stack.clipExists(`${pairB.userId}/${PAIR_DAY}/orphan-planted.wav`)).toBe(false);
    const [repaired] = await stack.query<{ clip_path: string | null }>('SELECT clip_path FROM public.laughter_detections WHERE id = $1', [missing.id]);
    expect(repaired.clip_path).toBeNull();
    const [stuck] = await stack.query<{ status: string }>("SELECT status FROM public.jobs WHERE job_id = 'day:planted-stuck'");
    expect(stuck.status).toBe('failed');
    const summaryLines = logLines.filter((l) => /reconcil/i.test(String(l.msg)) && l.level === 30);
    expect(summaryLines).toHaveLength(1);

    // A second run finds nothing left to do.
    const again = await scheduler.reconcile();
    expect(again!.deleted.orphanClips + again!.repaired.detectionsMissingClip + again!.repaired.stuckJobs).toBe(0);
  });

  it("retries a gap with growing intervals until it is filled, and the day's log says when", async () => {
    // Retries wait from real registration times, so the fake clock runs up to ~2 h ahead of the
    // real one here and makes due a day whose end is that close: a day that ended minutes ago in
    // real time has windows ingestion cannot settle yet (extra gaps); and a local midnight within
    // those ~2 h moves the catch-up horizon past the gap day before retry 2 (it failed so from
    // ~21:00 UTC, Berlin's midnight ahead). Use a user whose local midnight is neither within the
    // last nor the next three real hours (the three zones' midnights — 23:00, 05:00, 18:30 UTC —
    // never fit in one 6-hour span, so one always qualifies): the test passes at any time of day.
    const clear = (u: StackUser) => {
      const { startMs, endMs } = localDayRange(localDateOf(Date.now(), u.timezone), u.timezone);
      return Date.now() - startMs > 3 * HOUR && endMs - Date.now() > 3 * HOUR;
    };
    const user = weekUsers.find(clear)!;
    gapUser = user;
    const others = stack.users.filter((u) => u !== user).map((u) => u.userId);
    await stack.query('UPDATE public.limitless_keys SET is_active = false WHERE user_id = ANY($1)', [others]);
    // The first window of the oldest day in the catch-up horizon answers 503 however often it is asked.
    clock.set(Date.now());
    const gapDay = addDays(localDateOf(clock.now(), user.timezone), -CATCH_UP_DAYS);
    stack.limitless.corruptWindow(localDayRange(gapDay, user.timezone).startMs, user.apiKey, 'unavailable');
    await tickUntilQuiet();
    expect(await openGapDay(user.userId)).toBe(gapDay);

    const retriesPublished = () => published().filter((j) => j.userId === user.userId && j.trigger === 'gap-retry' && j.localDate === gapDay);
    // Retry 1 waits the base interval (60 min) after the day's last run; retry 2 twice that.
    for (const [run, waitMinutes] of [[1, 60], [2, 120]] as const) {
      if (run === 2) stack.limitless.clearRules(); // retry 1 finds the gap still there; retry 2 fills it
      const lastRun = await lastRunMs(user.userId, gapDay);
      clock.set(lastRun + (waitMinutes - 1) * 60_000);
      await scheduler.tick();
      expect(retriesPublished()).toHaveLength(run - 1);
      clock.set(lastRun + (waitMinutes + 1) * 60_000);
      await tickUntilQuiet();
      expect(retriesPublished()).toHaveLength(run);
    }
    expect(await openGapDay(user.userId)).toBeUndefined();
    const logs = await stack.query<{ trigger: string; last_gap_filled_at: Date | null; windows_gap: number }>(
      'SELECT trigger, last_gap_filled_at, windows_gap FROM public.processing_logs WHERE user_id = $1 AND date = $2 ORDER BY trigger',
      [user.userId, gapDay],
    );
    const retryLog = logs.find((l) => l.trigger === 'gap-retry');
    expect(retryLog?.last_gap_filled_at).toBeInstanceOf(Date);
    expect(retryLog?.windows_gap).toBe(0);
  });

  it('answers `giggles status` from the real services', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [join(repoRoot(), 'libs', 'cli', 'bin', 'giggles.js'), 'status', '--json', '--nats', stack.harness.natsUrl!], { timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const status = JSON.parse(out) as StatusReply;
    expect(status.jobsInFlight).toEqual([]);
    const berlin = status.users.find((u) => u.userId === weekUsers[0].userId)!;
    expect(berlin).toMatchObject({ email: weekUsers[0].email, timezone: 'Europe/Berlin' });
    expect(berlin.lastProcessedDay).toBeDefined();
    expect(status.users.find((u) => u.userId === gapUser.userId)!.gapDays).toEqual([]);
    expect(status.deadLetters.count).toBeGreaterThanOrEqual(0);
    expect(status.scheduler.lastTickAt).toBeDefined();
    expect(status.scheduler.lastReconcileSummary).toMatch(/orphan|deleted|scanned/i);
  });

  /** The user's one day with gap windows, if any. */
  async function openGapDay(userId: string): Promise<string | undefined> {
    const rows = await stack.query<{ date: string }>(
      "SELECT DISTINCT to_char(date, 'YYYY-MM-DD') AS date FROM public.audio_segments WHERE user_id = $1 AND status = 'gap'",
      [userId],
    );
    expect(rows.length).toBeLessThanOrEqual(1);
    return rows[0]?.date;
  }

  async function lastRunMs(userId: string, localDate: string): Promise<number> {
    const [row] = await stack.query<{ at: Date }>('SELECT max(created_at) AS at FROM public.jobs WHERE user_id = $1 AND local_date = $2', [userId, localDate]);
    return row.at.getTime();
  }

  interface Laugh {
    startS: number;
    endS: number;
    classId: number;
    probability: number;
  }

  /** A user's live laughs on the pair day, in seconds from the day's start, in time order. */
  async function laughsOf(user: StackUser): Promise<Laugh[]> {
    const day = localDayRange(PAIR_DAY, PAIR_TZ);
    const rows = await stack.query<{ start_ms: string; end_ms: string; class_id: number; probability: string }>(
      `SELECT (extract(epoch FROM d."timestamp") * 1000)::bigint AS start_ms, (extract(epoch FROM d.event_end) * 1000)::bigint AS end_ms,
              d.class_id, d.probability
         FROM public.laughter_detections d
        WHERE d.user_id = $1 AND d.deleted_at IS NULL AND d."timestamp" >= to_timestamp($2 / 1000.0) AND d."timestamp" < to_timestamp($3 / 1000.0)
        ORDER BY d."timestamp", d.class_id`,
      [user.userId, day.startMs, day.endMs],
    );
    return rows.map((r) => ({ startS: (Number(r.start_ms) - day.startMs) / 1000, endS: (Number(r.end_ms) - day.startMs) / 1000, classId: r.class_id, probability: Number(r.probability) }));
  }

  async function clipsOf(user: StackUser): Promise<Array<string | null>> {
    const rows = await stack.query<{ clip_path: string | null }>('SELECT clip_path FROM public.laughter_detections WHERE user_id = $1 AND deleted_at IS NULL', [user.userId]);
    return rows.map((r) => r.clip_path);
  }
});
