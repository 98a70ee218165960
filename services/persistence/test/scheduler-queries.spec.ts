/**
 * The queries the scheduler asks persistence (migrations/0009), over NATS against the running
 * app: job registration and stalled jobs, time-zone-aware due days with retries, giving up gaps,
 * clearing days before a reprocess, the operator's status, users by e-mail, and the windows
 * ingestion's planner reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES, QUERY_ERROR_CODES, type RegisterJobRequest } from '@giggles/contracts';
import { request } from '@giggles/messaging';
import { clipPath, detectionKey } from '../src/clips/clip-path';
import { KeysRepository } from '../src/repositories/keys.repository';
import { DetectionsService } from '../src/services/detections.service';
import { startApp, type RunningApp } from './support/app';
import { BERLIN_DAY_START, event, HOUR, jid, jobProgress, segmentResult, windowOutcome } from './support/fixtures';

const DAY = 24 * HOUR;

describe('scheduler queries', () => {
  let a: RunningApp;

  beforeAll(async () => {
    a = await startApp();
  });
  afterAll(() => a?.stop());

  function berlinJob(user: string, overrides: Partial<RegisterJobRequest> = {}): RegisterJobRequest {
    return {
      jobId: jid(user, overrides.jobId ?? 'job-1'),
      userId: user,
      localDate: '2024-03-01',
      timezone: 'Europe/Berlin',
      trigger: 'nightly',
      startMs: BERLIN_DAY_START,
      endMs: BERLIN_DAY_START + DAY,
      ...overrides,
      ...(overrides.jobId ? { jobId: jid(user, overrides.jobId) } : {}),
    };
  }

  async function job(jobId: string) {
    const [row] = await a.sql<{ status: string; windows_done: number; range_start: Date | null }>(
      'SELECT status, windows_done, range_start FROM jobs WHERE job_id = $1',
      [jobId],
    );
    return row;
  }

  describe('registerJob', () => {
    it('inserts a planned job once; a repeat changes nothing and says how far it got', async () => {
      const user = await a.newUser();
      const registered = berlinJob(user);
      expect(await request(a.nc, QUERIES.registerJob, registered)).toEqual({ created: true, status: 'planned' });
      expect(await request(a.nc, QUERIES.registerJob, { ...registered, timezone: 'UTC' })).toEqual({ created: false, status: 'planned' });
      const [row] = await a.sql('SELECT timezone, trigger, range_start, range_end, windows_planned FROM jobs WHERE job_id = $1', [registered.jobId]);
      expect(row).toEqual({
        timezone: 'Europe/Berlin',
        trigger: 'nightly',
        range_start: new Date(BERLIN_DAY_START),
        range_end: new Date(BERLIN_DAY_START + DAY),
        windows_planned: null,
      });

      // The pipeline's writes then find the row and complete it as before.
      await a.results.recordJobProgress(jobProgress(user, { windowsPlanned: 2 }));
      await a.results.recordSegmentResult(segmentResult(user));
      expect((await job(registered.jobId)).status).toBe('running');
      await a.results.recordWindowOutcome(windowOutcome(user));
      expect(await job(registered.jobId)).toMatchObject({ status: 'done', windows_done: 2 });
      const [log] = await a.jobs.dayLogs(user, '2024-03-01');
      expect(log).toMatchObject({ status: 'completed', job_id: registered.jobId, windows_planned: 2 });
      expect(await request(a.nc, QUERIES.registerJob, registered)).toEqual({ created: false, status: 'done' });
    });

    it('completes a registered job with nothing to download (zero windows, or all skipped)', async () => {
      const user = await a.newUser();
      for (const [name, planned, skipped] of [['empty', 0, 0], ['skipped', 12, 12]] as const) {
        await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: name }));
        await a.results.recordJobProgress(jobProgress(user, { jobId: name, windowsPlanned: planned, windowsSkipped: skipped }));
        expect((await job(jid(user, name))).status).toBe('done');
      }
      const logs = await a.jobs.dayLogs(user, '2024-03-01');
      expect(logs.map((l) => l.status)).toEqual(['completed']);
    });
  });

  describe('stalledJobs', () => {
    it('returns registered jobs ingestion never planned, with their range', async () => {
      const user = await a.newUser();
      const silent = berlinJob(user, { jobId: 'silent' });
      const planned = berlinJob(user, { jobId: 'planned', trigger: 'manual' });
      await request(a.nc, QUERIES.registerJob, silent);
      await request(a.nc, QUERIES.registerJob, planned);
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'planned', trigger: 'manual', windowsPlanned: 12 }));

      const later = Date.now() + 60_000;
      const { jobs } = await request(a.nc, QUERIES.stalledJobs, { olderThanMs: later, limit: 1000 });
      const mine = jobs.filter((j) => j.userId === user);
      expect(mine).toEqual([
        {
          jobId: silent.jobId,
          userId: user,
          localDate: '2024-03-01',
          timezone: 'Europe/Berlin',
          trigger: 'nightly',
          startMs: silent.startMs,
          endMs: silent.endMs,
          registeredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        },
      ]);
      const earlier = await request(a.nc, QUERIES.stalledJobs, { olderThanMs: Date.now() - 60_000 });
      expect(earlier.jobs.filter((j) => j.userId === user)).toEqual([]);
    });
  });

  describe('dueDays', () => {
    it('with a time zone, counts a whole-day job only over that zone\'s day; rows without a range still count', async () => {
      const user = await a.newUser();
      await request(a.nc, QUERIES.registerJob, berlinJob(user));
      await a.results.recordJobProgress(jobProgress(user, { windowsPlanned: 0 }));
      // 03-02 ran before jobs had ranges (its row was made by a result).
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'legacy', localDate: '2024-03-02', windowsPlanned: 0 }));

      const ask = (timezone?: string) =>
        request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-02', ...(timezone ? { timezone } : {}) });
      expect(await ask()).toEqual({ days: [], jobsInFlight: 0 });
      expect(await ask('Europe/Berlin')).toEqual({ days: [], jobsInFlight: 0 });
      // The user moved to New York: 03-01 there is a different range.
      const moved = await ask('America/New_York');
      expect(moved.days).toEqual([
        { localDate: '2024-03-01', reason: 'unprocessed', retries: 0, lastRunAt: expect.stringMatching(/Z$/) },
      ]);
    });

    it('reports retries, the last run and the jobs in flight', async () => {
      const user = await a.newUser();
      // 03-01: a nightly run failed, then a manual run left a gap; one gap-retry finished without filling it.
      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: 'n1' }));
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'n1', status: 'failed', windowsPlanned: 12, error: { code: 'boom', message: 'crashed' } }));
      expect((await request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-01', timezone: 'Europe/Berlin' })).days).toEqual([
        { localDate: '2024-03-01', reason: 'unprocessed', retries: 1, lastRunAt: expect.any(String) },
      ]);

      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: 'm1', trigger: 'manual' }));
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'm1', trigger: 'manual', windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'm1', trigger: 'manual', status: 'gap' }));
      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: 'g1', trigger: 'gap-retry' }));
      let due = await request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-01', timezone: 'Europe/Berlin' });
      expect(due).toEqual({ days: [], jobsInFlight: 1 }); // the gap retry is in flight
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'g1', trigger: 'gap-retry', windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'g1', trigger: 'gap-retry', status: 'gap' }));

      due = await request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-01', timezone: 'Europe/Berlin' });
      const [newest] = await a.sql<{ created_at: Date }>('SELECT max(created_at) AS created_at FROM jobs WHERE user_id = $1', [user]);
      expect(due).toEqual({
        days: [{ localDate: '2024-03-01', reason: 'gaps', retries: 1, lastRunAt: newest.created_at.toISOString() }],
        jobsInFlight: 0,
      });
    });
  });

  describe('giveUpGaps', () => {
    it('marks every log row of the day once, says when and why, and the day stops being due', async () => {
      const user = await a.newUser();
      await a.results.recordJobProgress(jobProgress(user, { windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { status: 'gap' }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'g1', trigger: 'gap-retry', status: 'gap' }));

      const body = { userId: user, localDate: '2024-03-01', reason: '5 retries over 3 days' };
      expect(await request(a.nc, QUERIES.giveUpGaps, body)).toEqual({ updated: true });
      expect(await request(a.nc, QUERIES.giveUpGaps, body)).toEqual({ updated: false });
      const logs = await a.jobs.dayLogs(user, '2024-03-01');
      expect(logs).toHaveLength(2);
      for (const log of logs) {
        expect(log.gap_given_up_at).not.toBeNull();
        expect(log.message).toMatch(/gaps given up at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ because 5 retries over 3 days$/);
        expect(log.errors).toContainEqual(expect.objectContaining({ code: 'gaps_given_up', message: '5 retries over 3 days' }));
      }
      expect((await request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-01' })).days).toEqual([]);
      expect(await request(a.nc, QUERIES.giveUpGaps, { ...body, localDate: '2024-03-05' })).toEqual({ updated: false });
    });

    it('records when a gap window was filled later', async () => {
      const user = await a.newUser();
      await a.results.recordWindowOutcome(windowOutcome(user, { windowStartMs: BERLIN_DAY_START, status: 'gap' }));
      await a.results.recordSegmentResult(segmentResult(user, { jobId: 'g1', trigger: 'gap-retry' }));
      const retry = (await a.jobs.dayLogs(user, '2024-03-01')).find((l) => l.trigger === 'gap-retry');
      expect(retry?.last_gap_filled_at).not.toBeNull();
      expect(retry).toMatchObject({ windows_retried: 1, audio_files_downloaded: 1 });
    });
  });

  describe('clearDays', () => {
    /** One day's run: a plan of 3 windows, two processed with laughs (clips stored), one empty. */
    async function runDay(user: string, jobName: string, trigger: 'nightly' | 'reprocess'): Promise<void> {
      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: jobName, trigger }));
      await a.results.recordJobProgress(jobProgress(user, { jobId: jobName, trigger, windowsPlanned: 3 }));
      for (const start of [BERLIN_DAY_START, BERLIN_DAY_START + 2 * HOUR]) {
        const result = segmentResult(user, { jobId: jobName, trigger, windowStartMs: start, events: [event(start + 60_000), event(start + 600_000)] });
        const written = await a.results.recordSegmentResult(result);
        for (const stored of written.events) {
          if (stored.clipObject && stored.clipPath) await a.clipStore.put(stored.clipPath, Buffer.from('RIFF'));
        }
      }
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: jobName, trigger, windowStartMs: BERLIN_DAY_START + 4 * HOUR }));
    }

    async function counts(user: string) {
      const [row] = await a.sql<{ live: number; tombstones: number; windows: number }>(
        `SELECT (SELECT count(*)::int FROM laughter_detections WHERE user_id = $1 AND deleted_at IS NULL) AS live,
                (SELECT count(*)::int FROM laughter_detections WHERE user_id = $1 AND deleted_at IS NOT NULL) AS tombstones,
                (SELECT count(*)::int FROM audio_segments WHERE user_id = $1) AS windows`,
        [user],
      );
      const logs = await a.jobs.dayLogs(user, '2024-03-01');
      const counters = logs.map((l) => ({
        status: l.status,
        planned: l.windows_planned,
        processed: l.audio_files_downloaded,
        empty: l.windows_empty,
        gap: l.windows_gap,
        retried: l.windows_retried,
        laughs: l.laughter_events_found,
        duplicates: l.duplicates_skipped,
      }));
      return { ...row, logs: counters, clips: (await a.clipStore.list(`${user}/`)).length };
    }

    it('removes a day so that running it again gives what a fresh run gave; tombstones stay deleted', async () => {
      const user = await a.newUser();
      await runDay(user, 'fresh', 'nightly');
      const fresh = await counts(user);
      expect(fresh).toMatchObject({ live: 4, tombstones: 0, windows: 3, clips: 4 });

      // The user deletes one laugh; its clip goes with it.
      const [first] = (await request(a.nc, QUERIES.dayDetections, { userId: user, localDate: '2024-03-01' })).detections;
      expect(await a.app.get(DetectionsService).deleteDetection(user, first.id)).toEqual({ deleted: true, clipDeleted: true });

      // A job in flight for the day blocks the clearing.
      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: 'busy', trigger: 'today' }));
      await expect(request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-01' })).rejects.toMatchObject({
        code: QUERY_ERROR_CODES.conflict,
      });
      await a.sql("UPDATE jobs SET status = 'failed' WHERE job_id = $1", [jid(user, 'busy')]);
      // A clip file that is already gone is fine.
      const missing = clipPath(user, '2024-03-01', detectionKey(event(BERLIN_DAY_START + 2 * HOUR + 600_000)));
      await a.clipStore.delete(missing);

      expect(await request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-01' })).toEqual({
        detectionsRemoved: 3,
        clipsRemoved: 2,
        windowsRemoved: 3,
        logsRemoved: 1, // the 'today' job never wrote a log
      });
      expect(await counts(user)).toEqual({ live: 0, tombstones: 1, windows: 0, logs: [], clips: 0 });
      expect(await a.sql('SELECT job_id FROM jobs WHERE user_id = $1', [user])).toEqual([]);
      expect((await request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-01' })).days).toEqual([
        { localDate: '2024-03-01', reason: 'unprocessed', retries: 0 },
      ]);

      await runDay(user, 'again', 'reprocess');
      const again = await counts(user);
      // Everything a fresh run had, except the laugh the user deleted.
      expect(again).toEqual({
        ...fresh,
        live: fresh.live - 1,
        tombstones: 1,
        clips: fresh.clips - 1,
        logs: [{ ...fresh.logs[0], laughs: fresh.logs[0].laughs - 1, duplicates: 1 }],
      });
    });

    it('clears a day without tombstones back to exactly a fresh run', async () => {
      const user = await a.newUser();
      await runDay(user, 'fresh', 'nightly');
      const fresh = await counts(user);
      await request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-02-28', to: '2024-03-03' });
      await runDay(user, 'again', 'nightly');
      expect(await counts(user)).toEqual(fresh);
    });
  });

  describe('operationsStatus and userByEmail', () => {
    it('lists jobs in flight and every user with a key', async () => {
      const user = await a.newUser({ email: `Ops.${Date.now()}@Example.test` });
      const keyless = await a.newUser();
      await a.app.get(KeysRepository).setKey(user, 'sk-test');
      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: 'done' }));
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'done', windowsPlanned: 0 }));
      await request(a.nc, QUERIES.registerJob, berlinJob(user, { jobId: 'next', localDate: '2024-03-02', startMs: BERLIN_DAY_START + DAY, endMs: BERLIN_DAY_START + 2 * DAY }));
      for (const [name, day, status] of [['g', 20, 'gap'], ['h', 21, 'failed'], ['i', 22, 'gap']] as const) {
        const windowStartMs = BERLIN_DAY_START - (30 - day) * DAY;
        await a.results.recordWindowOutcome(windowOutcome(user, { jobId: name, localDate: `2024-02-${day}`, windowStartMs, status }));
      }
      await request(a.nc, QUERIES.giveUpGaps, { userId: user, localDate: '2024-02-22', reason: 'tired' });
      // Two refused imports: status counts them and shows the newer one's error.
      for (const [fileName, digit, code, message] of [['old.ogg', 'a', 'not_audio', 'not an Ogg stream'], ['new.wav', 'b', 'no_start', 'no start time in the file or its name']] as const) {
        await request(a.nc, QUERIES.importBegin, { userId: user, fileName, sha256: digit.repeat(64), bytes: 10, source: 'upload', error: { code, message } });
      }

      const status = await request(a.nc, QUERIES.operationsStatus, {});
      const inFlight = status.jobsInFlight.filter((j) => j.userId === user);
      expect(inFlight.map((j) => [j.jobId, j.status])).toEqual([
        [jid(user, 'next'), 'planned'],
        [jid(user, 'g'), 'running'],
        [jid(user, 'h'), 'running'],
        [jid(user, 'i'), 'running'],
      ]);
      expect(inFlight[0]).toMatchObject({ email: expect.stringMatching(/^Ops\./), localDate: '2024-03-02', trigger: 'nightly', windowsPlanned: 0, windowsDone: 0 });
      expect(status.users.find((u) => u.userId === keyless)).toBeUndefined();
      expect(status.users.find((u) => u.userId === user)).toEqual({
        userId: user,
        email: expect.stringMatching(/^Ops\./),
        timezone: 'Europe/Berlin',
        keyStatus: 'active',
        lastProcessedDay: '2024-03-01',
        gapDays: ['2024-02-21', '2024-02-20'],
        gapsGivenUp: ['2024-02-22'],
        failedImports: 2,
        lastImportError: { at: expect.any(String), fileName: 'new.wav', error: { code: 'no_start', message: 'no start time in the file or its name' } },
      });

      // One user's view (what "process today" asks): only their jobs, with each registered job's range.
      const mine = await request(a.nc, QUERIES.operationsStatus, { userId: user });
      expect(mine.users.map((u) => u.userId)).toEqual([user]);
      expect(mine.jobsInFlight.map((j) => j.jobId)).toEqual(inFlight.map((j) => j.jobId));
      expect(mine.jobsInFlight[0]).toMatchObject({ startMs: BERLIN_DAY_START + DAY, endMs: BERLIN_DAY_START + 2 * DAY });
      expect(mine.jobsInFlight[1].startMs).toBeUndefined(); // created by a result, never registered

      const email = status.users.find((u) => u.userId === user)!.email;
      expect(await request(a.nc, QUERIES.userByEmail, { email: email.toUpperCase() })).toEqual({
        userId: user,
        email,
        timezone: 'Europe/Berlin',
        keyStatus: 'active',
      });
      await request(a.nc, QUERIES.markKeyInvalid, { userId: user, reason: '401' });
      expect((await request(a.nc, QUERIES.userByEmail, { email })).keyStatus).toBe('invalid');
      expect((await request(a.nc, QUERIES.userByEmail, { email: `${keyless}@example.test` })).keyStatus).toBe('none');
      await expect(request(a.nc, QUERIES.userByEmail, { email: 'nobody@example.test' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });
    });
  });

  describe('windowsDone', () => {
    it('says which trigger recorded each window and when', async () => {
      const user = await a.newUser();
      const before = Date.now();
      await a.results.recordSegmentResult(segmentResult(user, { jobId: 't', trigger: 'today' }));
      const { windows } = await request(a.nc, QUERIES.windowsDone, { userId: user, startMs: BERLIN_DAY_START, endMs: BERLIN_DAY_START + DAY });
      expect(windows).toEqual([
        { startMs: BERLIN_DAY_START, endMs: BERLIN_DAY_START + 2 * HOUR, status: 'processed', trigger: 'today', recordedAtMs: expect.any(Number) },
      ]);
      expect(windows[0].recordedAtMs).toBeGreaterThanOrEqual(before - 5_000);
      expect(windows[0].recordedAtMs).toBeLessThanOrEqual(Date.now() + 5_000);
    });
  });
});
