import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipPath, detectionKey } from '../src/clips/clip-path';
import { type ProcessingLogRow } from '../src/database/database.types';
import { BERLIN_DAY_START, event, HOUR, jid, jobProgress, segmentResult, userId, windowOutcome } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

describe('ResultsRepository (Postgres functions through PostgREST)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  async function newUser(): Promise<string> {
    const id = userId();
    await stack.users.upsertUser({ id, email: `${id}@example.test`, timezone: 'Europe/Berlin' });
    return id;
  }

  async function log(user: string, trigger = 'nightly'): Promise<ProcessingLogRow> {
    const rows = await stack.jobs.dayLogs(user, '2024-03-01');
    const row = rows.find((r) => r.trigger === trigger);
    if (!row) throw new Error(`no ${trigger} log`);
    return row;
  }

  async function snapshot(user: string) {
    return {
      segments: await stack.db.query('SELECT * FROM audio_segments WHERE user_id = $1 ORDER BY start_time', [user]),
      detections: await stack.db.query('SELECT * FROM laughter_detections WHERE user_id = $1 ORDER BY "timestamp", class_id', [user]),
      logs: await stack.db.query('SELECT * FROM processing_logs WHERE user_id = $1 ORDER BY trigger', [user]),
      jobs: await stack.db.query('SELECT * FROM jobs WHERE user_id = $1 ORDER BY job_id', [user]),
    };
  }

  describe('segment results', () => {
    it('stores a processed window with its detections, and a redelivery changes nothing', async () => {
      const user = await newUser();
      const result = segmentResult(user);
      const first = await stack.results.recordSegmentResult(result);

      expect(first).toMatchObject({ applied: true, detectionsInserted: 2, duplicatesSkipped: 0 });
      expect(first.events).toHaveLength(2);
      first.events.forEach((stored, i) => {
        expect(stored.detectionId).toMatch(/^[0-9a-f-]{36}$/);
        expect(stored.clipPath).toBe(clipPath(user, '2024-03-01', detectionKey(result.events[i])));
        expect(stored.clipObject).toBe(result.events[i].clipObject);
      });

      const before = await snapshot(user);
      const second = await stack.results.recordSegmentResult(result);
      expect(second).toMatchObject({ applied: false, segmentId: first.segmentId, detectionsInserted: 0 });
      expect(second.events).toEqual(first.events);
      expect(await snapshot(user)).toEqual(before);

      expect(before.segments).toHaveLength(1);
      expect(before.detections).toHaveLength(2);
      expect(before.segments[0]).toMatchObject({
        status: 'processed',
        processed: true,
        decoded_seconds: 7190.5,
        model_version: 'yamnet-int8-1',
        job_id: jid(user),
        trigger: 'nightly',
        attempts: 1,
        error: null,
      });
      const row = await log(user);
      expect(row).toMatchObject({
        job_id: jid(user),
        trigger_type: 'scheduled',
        audio_files_downloaded: 1,
        laughter_events_found: 2,
        duplicates_skipped: 0,
        audio_seconds: 7190.5,
        processing_ms: 4200,
      });
      expect(row.limitless_calls).toEqual([
        { ...result.limitlessCalls[0], windowStartMs: result.windowStartMs },
      ]);
    });

    it('stores the detection times and the local date it is given', async () => {
      const user = await newUser();
      const result = segmentResult(user);
      await stack.results.recordSegmentResult(result);

      // The window starts 2024-02-29T23:00Z, which is 2024-03-01 in Berlin.
      const [segment] = await stack.db.query<{ date: string }>(
        "SELECT to_char(date, 'YYYY-MM-DD') AS date FROM audio_segments WHERE user_id = $1",
        [user],
      );
      expect(segment.date).toBe('2024-03-01');
      expect(await stack.detections.dayDetections(user, '2024-02-29')).toEqual([]);
      const day = await stack.detections.dayDetections(user, '2024-03-01');
      expect(day.map(({ id: _id, ...rest }) => rest)).toEqual(
        result.events.map((e) => ({
          startMs: e.startMs,
          endMs: e.endMs,
          peakMs: e.peakMs,
          probability: e.probability,
          className: 'Laughter',
          clipPath: clipPath(user, '2024-03-01', detectionKey(e)),
          notes: null,
        })),
      );
      const [detection] = await stack.db.query<{ duration_s: number; mean_probability: string }>(
        'SELECT duration_s, mean_probability::text FROM laughter_detections WHERE user_id = $1 ORDER BY "timestamp" LIMIT 1',
        [user],
      );
      expect(detection).toEqual({ duration_s: 1.5, mean_probability: '0.7400' });
    });

    it('keeps one detection per laugh when overlapping windows report it with shifted times', async () => {
      const user = await newUser();
      const laugh = BERLIN_DAY_START + 90 * 60_000;
      const a = segmentResult(user, { windowStartMs: BERLIN_DAY_START, events: [event(laugh)] });
      const b = segmentResult(user, {
        windowStartMs: BERLIN_DAY_START + HOUR,
        events: [event(laugh + 200), event(laugh + 200, { classId: 15, className: 'Giggle' })],
      });
      await stack.results.recordSegmentResult(a);
      const second = await stack.results.recordSegmentResult(b);

      expect(second).toMatchObject({ applied: true, detectionsInserted: 1, duplicatesSkipped: 1 });
      // The shifted copy has no detection of its own, so its clip is not to be stored.
      expect(second.events[0]).toMatchObject({ detectionId: null, clipPath: null, clipObject: null });
      // Another class at the same moment is a separate detection (as in the original).
      expect(second.events[1].clipObject).toBe(b.events[1].clipObject);
      const rows = await stack.db.query<{ class_id: number }>(
        'SELECT class_id FROM laughter_detections WHERE user_id = $1 ORDER BY class_id',
        [user],
      );
      expect(rows).toEqual([{ class_id: 13 }, { class_id: 15 }]);
      expect((await log(user)).duplicates_skipped).toBe(1);
    });

    it('does not duplicate a laugh when overlapping windows are written at the same time', async () => {
      const user = await newUser();
      const laugh = BERLIN_DAY_START + 90 * 60_000;
      const results = [0, 1, 2, 3].map((i) =>
        segmentResult(user, {
          jobId: `job-race-${i}`,
          windowStartMs: BERLIN_DAY_START + i * 10 * 60_000,
          events: [event(laugh + i * 100)],
        }),
      );
      const writes = await Promise.all(results.map((r) => stack.results.recordSegmentResult(r)));
      expect(writes.reduce((n, w) => n + w.detectionsInserted, 0)).toBe(1);
      expect(await stack.db.query('SELECT count(*)::int AS n FROM laughter_detections WHERE user_id = $1', [user])).toEqual([
        { n: 1 },
      ]);
    });

    it('counts a laugh reprocessed by another job as a duplicate of the stored one', async () => {
      const user = await newUser();
      const first = await stack.results.recordSegmentResult(segmentResult(user));
      const again = await stack.results.recordSegmentResult(segmentResult(user, { jobId: 'job-2', trigger: 'reprocess' }));
      expect(again).toMatchObject({ applied: true, detectionsInserted: 0, duplicatesSkipped: 2 });
      // Same key, same clip path: storing the clip again is harmless.
      expect(again.events).toEqual(first.events);
      expect(await log(user, 'reprocess')).toMatchObject({ laughter_events_found: 0, duplicates_skipped: 2 });
    });

    it('applies a new model version under the same job without counting the audio twice', async () => {
      const user = await newUser();
      const result = segmentResult(user);
      await stack.results.recordSegmentResult(result);
      const newModel = await stack.results.recordSegmentResult({
        ...result,
        modelVersion: 'yamnet-f32-2',
        events: [...result.events, event(BERLIN_DAY_START + 30 * 60_000)],
      });
      expect(newModel).toMatchObject({ applied: true, detectionsInserted: 1, duplicatesSkipped: 2 });
      expect(await log(user)).toMatchObject({ audio_files_downloaded: 1, audio_seconds: 7190.5, laughter_events_found: 3 });
      expect(await stack.db.query('SELECT model_version FROM audio_segments WHERE user_id = $1', [user])).toEqual([
        { model_version: 'yamnet-f32-2' },
      ]);
    });

    it('lets a whole-day window supersede the provisional "today" windows inside it: laughs kept once, audio counted once', async () => {
      const user = await newUser();
      // "Today so far" at 00:45 stored [00:00, 00:45) with one laugh; the nightly run downloads the
      // grid window [00:00, 02:00) again (late uploads) and finds that laugh plus a later one.
      const today = segmentResult(user, {
        jobId: 'today',
        trigger: 'today',
        windowEndMs: BERLIN_DAY_START + 45 * 60_000,
        decodedSeconds: 2_700,
        events: [event(BERLIN_DAY_START + 60_000)],
      });
      await stack.results.recordSegmentResult(today);
      const nightly = segmentResult(user, { events: [event(BERLIN_DAY_START + 60_000), event(BERLIN_DAY_START + 50 * 60_000)] });
      const written = await stack.results.recordSegmentResult(nightly);
      expect(written).toMatchObject({ detectionsInserted: 1, duplicatesSkipped: 1 });

      const after = await snapshot(user);
      expect(after.segments.map((s) => [s.trigger, s.status])).toEqual([['nightly', 'processed']]);
      expect(after.detections).toHaveLength(2);
      expect(after.detections.every((d) => d.audio_segment_id === written.segmentId)).toBe(true);
      const [day] = await stack.db.query<{ audio_seconds: number }>('SELECT audio_seconds FROM public.giggles_user_days($1)', [user]);
      expect(day.audio_seconds).toBe(7_190.5);
      // A later whole-day window elsewhere in the day leaves other windows alone.
      await stack.results.recordSegmentResult(segmentResult(user, { windowStartMs: BERLIN_DAY_START + 2 * HOUR, events: [] }));
      expect((await snapshot(user)).segments).toHaveLength(2);
    });

    it('records a failed window and moves it to processed when the same job succeeds later', async () => {
      const user = await newUser();
      const failed = segmentResult(user, {
        status: 'failed',
        events: [],
        error: { code: 'decode_error', message: 'not an Ogg stream' },
      });
      expect((await stack.results.recordSegmentResult(failed)).applied).toBe(true);
      expect((await stack.results.recordSegmentResult(failed)).applied).toBe(false);
      expect(await stack.segments.windowsWithOutcome(user, BERLIN_DAY_START, BERLIN_DAY_START + 24 * HOUR)).toMatchObject([
        { startMs: failed.windowStartMs, endMs: failed.windowEndMs, status: 'failed', trigger: 'nightly' },
      ]);
      let row = await log(user);
      expect(row).toMatchObject({ windows_failed: 1, audio_files_downloaded: 0 });
      expect(row.errors).toEqual([
        expect.objectContaining({ code: 'decode_error', outcome: 'failed', windowStartMs: failed.windowStartMs }),
      ]);

      await stack.results.recordSegmentResult(segmentResult(user));
      row = await log(user);
      expect(row).toMatchObject({ windows_failed: 0, audio_files_downloaded: 1, windows_retried: 1, laughter_events_found: 2 });
      const [segment] = await stack.db.query('SELECT status, attempts, error FROM audio_segments WHERE user_id = $1', [user]);
      expect(segment).toEqual({ status: 'processed', attempts: 2, error: null });
    });
  });

  describe('window outcomes', () => {
    it('records empty, gap and failed windows idempotently; only processed and empty are done', async () => {
      const user = await newUser();
      const empty = windowOutcome(user, { windowStartMs: BERLIN_DAY_START });
      const gap = windowOutcome(user, {
        windowStartMs: BERLIN_DAY_START + 2 * HOUR,
        status: 'gap',
        limitlessCalls: [
          { status: 503, durationMs: 30, bytes: 0, at: '2024-03-02T03:00:00.000Z' },
          { status: 0, durationMs: 30_000, bytes: 0, at: '2024-03-02T03:00:05.000Z', error: 'timeout' },
        ],
        error: { code: 'limitless_unavailable', message: '5 attempts failed' },
      });
      const failed = windowOutcome(user, {
        windowStartMs: BERLIN_DAY_START + 4 * HOUR,
        status: 'failed',
        limitlessCalls: [{ status: 400, durationMs: 20, bytes: 0, at: '2024-03-02T03:00:00.000Z' }],
        error: { code: 'bad_range', message: 'window rejected' },
      });
      const processed = segmentResult(user, { windowStartMs: BERLIN_DAY_START + 6 * HOUR });

      for (const outcome of [empty, gap, failed]) {
        expect(await stack.results.recordWindowOutcome(outcome)).toMatchObject({ applied: true, status: outcome.status });
      }
      await stack.results.recordSegmentResult(processed);
      const before = await snapshot(user);
      for (const outcome of [empty, gap, failed]) {
        expect((await stack.results.recordWindowOutcome(outcome)).applied).toBe(false);
      }
      expect(await snapshot(user)).toEqual(before);

      const range: [number, number] = [BERLIN_DAY_START, BERLIN_DAY_START + 24 * HOUR];
      expect((await stack.segments.windowsWithOutcome(user, ...range)).map((w) => w.status)).toEqual([
        'empty',
        'gap',
        'failed',
        'processed',
      ]);
      expect(await stack.segments.windowsDone(user, ...range)).toMatchObject([
        { startMs: empty.windowStartMs, endMs: empty.windowEndMs, status: 'empty' },
        { startMs: processed.windowStartMs, endMs: processed.windowEndMs, status: 'processed' },
      ]);
      // Only windows inside the asked range.
      expect(await stack.segments.windowsDone(user, BERLIN_DAY_START + HOUR, BERLIN_DAY_START + 24 * HOUR)).toHaveLength(1);

      const row = await log(user);
      expect(row).toMatchObject({ windows_empty: 1, windows_gap: 1, windows_failed: 1, audio_files_downloaded: 1 });
      expect(row.limitless_calls).toHaveLength(5);
      expect((row.errors as unknown[]).map((e) => (e as { code: string }).code)).toEqual(['limitless_unavailable', 'bad_range']);
    });

    it('never downgrades a done window, and a later empty answer fills a gap', async () => {
      const user = await newUser();
      const processed = segmentResult(user);
      await stack.results.recordSegmentResult(processed);
      const late = await stack.results.recordWindowOutcome(
        windowOutcome(user, { jobId: 'job-2', windowStartMs: processed.windowStartMs, status: 'gap' }),
      );
      expect(late).toMatchObject({ applied: true, status: 'processed' });
      expect(await stack.detections.dayDetections(user, '2024-03-01')).toHaveLength(2);

      const window = BERLIN_DAY_START + 2 * HOUR;
      await stack.results.recordWindowOutcome(windowOutcome(user, { windowStartMs: window, status: 'gap' }));
      const filled = await stack.results.recordWindowOutcome(
        windowOutcome(user, { jobId: 'job-retry', trigger: 'gap-retry', windowStartMs: window, status: 'empty' }),
      );
      expect(filled.status).toBe('empty');
      const retryLog = await log(user, 'gap-retry');
      expect(retryLog.windows_retried).toBe(1);
      expect(retryLog.last_gap_filled_at).not.toBeNull();
    });

    it('counts a gap filled by a later gap-retry job on that job\'s log', async () => {
      const user = await newUser();
      const gap = windowOutcome(user, { status: 'gap', error: { code: 'limitless_unavailable', message: '503' } });
      await stack.results.recordWindowOutcome(gap);
      const retry = await stack.results.recordSegmentResult(
        segmentResult(user, { jobId: 'job-retry', trigger: 'gap-retry', windowStartMs: gap.windowStartMs }),
      );
      expect(retry.detectionsInserted).toBe(2);
      expect(await log(user)).toMatchObject({ windows_gap: 1, windows_retried: 0 });
      const retryLog = await log(user, 'gap-retry');
      expect(retryLog).toMatchObject({ windows_retried: 1, audio_files_downloaded: 1 });
      expect(retryLog.last_gap_filled_at).not.toBeNull();
      expect((await stack.segments.windowsDone(user, gap.windowStartMs, gap.windowEndMs))[0].status).toBe('processed');
    });
  });

  describe('dead letters', () => {
    const failure = (user: string, overrides: Parameters<typeof windowOutcome>[1] = {}) =>
      windowOutcome(user, { status: 'failed', error: { code: 'dead_letter', message: 'invalid payload: events.0.probability …' }, ...overrides });

    it('records a window without an outcome as failed, once, and lets the job finish', async () => {
      const user = await newUser();
      await stack.results.recordJobProgress(jobProgress(user, { windowsPlanned: 1 }));
      const first = await stack.results.recordDeadLetter(failure(user));
      expect(first).toMatchObject({ applied: true, status: 'failed', recordedAs: 'failed_window' });
      const before = await snapshot(user);
      // Again: the window now has this job's (failed) outcome and the error is listed: nothing to add.
      expect(await stack.results.recordDeadLetter(failure(user))).toMatchObject({ applied: false, recordedAs: 'note' });
      expect(await snapshot(user)).toEqual(before);
      expect(await log(user)).toMatchObject({ status: 'completed', windows_failed: 1 });
      expect((await log(user)).errors).toEqual([expect.objectContaining({ code: 'dead_letter', outcome: 'failed' })]);
    });

    it("only lists the error when the job's outcome for the window is already stored", async () => {
      const user = await newUser();
      const result = segmentResult(user);
      await stack.results.recordSegmentResult(result);
      const note = failure(user, { windowStartMs: result.windowStartMs, windowEndMs: result.windowEndMs });
      expect(await stack.results.recordDeadLetter(note)).toMatchObject({ applied: true, status: 'processed', recordedAs: 'note' });
      const before = await snapshot(user);
      expect(await stack.results.recordDeadLetter(note)).toMatchObject({ applied: false, recordedAs: 'note' });
      expect(await snapshot(user)).toEqual(before);
      const row = await log(user);
      expect(row).toMatchObject({ audio_files_downloaded: 1, windows_failed: 0, laughter_events_found: 2 });
      expect(row.errors).toEqual([expect.objectContaining({ code: 'dead_letter', outcome: 'processed', windowStartMs: result.windowStartMs })]);
      expect(before.segments[0]).toMatchObject({ status: 'processed', last_outcome: 'processed' });
    });

    it('refuses a failure without its error', async () => {
      const user = await newUser();
      await expect(stack.results.recordDeadLetter(windowOutcome(user, { status: 'failed' }))).rejects.toMatchObject({ code: '22023' });
    });
  });

  describe('job progress', () => {
    it('plans a job, counts its windows and closes it when every planned window has an outcome', async () => {
      const user = await newUser();
      const planned = jobProgress(user, { windowsPlanned: 3, windowsSkipped: 1 });
      expect(await stack.results.recordJobProgress(planned)).toMatchObject({ applied: true, status: 'planned' });
      expect(await stack.results.recordJobProgress(planned)).toMatchObject({ applied: false, status: 'planned' });

      await stack.results.recordSegmentResult(segmentResult(user));
      expect((await stack.jobs.jobStatus(jid(user)))?.status).toBe('running');
      await stack.results.recordWindowOutcome(windowOutcome(user));

      const status = await stack.jobs.jobStatus(jid(user));
      expect(status).toMatchObject({
        jobId: jid(user),
        userId: user,
        localDate: '2024-03-01',
        status: 'done',
        windowsPlanned: 3,
        windowsSkipped: 1,
        windowsProcessed: 1,
        windowsEmpty: 1,
        windowsGap: 0,
        windowsFailed: 0,
      });
      expect(Date.parse(status!.updatedAt)).not.toBeNaN();
      const row = await log(user);
      expect(row).toMatchObject({
        status: 'completed',
        timezone: 'Europe/Berlin',
        windows_planned: 3,
        windows_skipped: 1,
        message: '1 windows processed, 1 empty, 0 gaps, 0 failed, 1 skipped; 2 laughs found',
      });
      expect(row.finished_at).not.toBeNull();
      // A late redelivery of the plan changes nothing.
      const before = await snapshot(user);
      expect((await stack.results.recordJobProgress(planned)).applied).toBe(false);
      expect(await snapshot(user)).toEqual(before);
    });

    it('accepts window results that arrive before the plan', async () => {
      const user = await newUser();
      await stack.results.recordSegmentResult(segmentResult(user));
      expect((await stack.jobs.jobStatus(jid(user)))?.status).toBe('running');
      const reply = await stack.results.recordJobProgress(jobProgress(user, { windowsPlanned: 1 }));
      expect(reply).toMatchObject({ status: 'done', windowsDone: 1, windowsPlanned: 1 });
    });

    it('records an invalid key once and fails the day\'s log', async () => {
      const user = await newUser();
      const invalid = jobProgress(user, {
        status: 'key_invalid',
        windowsPlanned: 0,
        error: { code: 'key_invalid', message: 'Limitless answered 401' },
      });
      expect(await stack.results.recordJobProgress(invalid)).toMatchObject({ applied: true, status: 'key_invalid' });
      expect(await stack.results.recordJobProgress(invalid)).toMatchObject({ applied: false, status: 'key_invalid' });
      const row = await log(user);
      expect(row).toMatchObject({ status: 'failed', message: 'Limitless rejected the API key' });
      expect(row.errors).toEqual([expect.objectContaining({ code: 'key_invalid', outcome: 'key_invalid' })]);
    });

    it('lets a newer job of the same day and trigger take the log over; late messages of the old job stay out', async () => {
      const user = await newUser();
      await stack.results.recordJobProgress(jobProgress(user, { jobId: 'job-old', windowsPlanned: 12 }));
      await stack.results.recordSegmentResult(segmentResult(user, { jobId: 'job-old' }));
      await stack.results.recordJobProgress(jobProgress(user, { jobId: 'job-new', windowsPlanned: 12 }));
      expect(await log(user)).toMatchObject({ job_id: jid(user, 'job-new'), audio_files_downloaded: 0, laughter_events_found: 0 });

      await stack.results.recordWindowOutcome(windowOutcome(user, { jobId: 'job-old' }));
      await stack.results.recordWindowOutcome(
        windowOutcome(user, { jobId: 'job-new', windowStartMs: BERLIN_DAY_START + 4 * HOUR }),
      );
      expect(await log(user)).toMatchObject({ job_id: jid(user, 'job-new'), windows_empty: 1 });
      expect((await stack.jobs.jobStatus(jid(user, 'job-old')))?.windowsEmpty).toBe(1);
      expect(await stack.jobs.jobStatus(jid(user, 'job-unknown'))).toBeNull();
    });

    it('refuses a payload whose job belongs to another user', async () => {
      const user = await newUser();
      const other = await newUser();
      await stack.results.recordJobProgress(jobProgress(user, { jobId: jid(user, 'job-owned') }));
      await expect(
        stack.results.recordSegmentResult(segmentResult(other, { jobId: jid(user, 'job-owned') })),
      ).rejects.toThrow(/belongs to another user/);
      expect(await stack.db.query('SELECT count(*)::int AS n FROM audio_segments WHERE user_id = $1', [other])).toEqual([
        { n: 0 },
      ]);
    });
  });

  describe('detections', () => {
    it('deletes a detection, returns its clip path once, and reprocessing does not bring it back', async () => {
      const user = await newUser();
      const result = segmentResult(user);
      const written = await stack.results.recordSegmentResult(result);
      const [target] = written.events;

      expect(await stack.detections.deleteDetection(user, target.detectionId!)).toEqual({
        deleted: true,
        clipPath: target.clipPath,
      });
      expect(await stack.detections.deleteDetection(user, target.detectionId!)).toEqual({ deleted: false, clipPath: null });
      expect(await stack.detections.clipIsReferenced(user, target.clipPath!)).toBe(false);
      expect(await stack.detections.dayDetections(user, '2024-03-01')).toHaveLength(1);

      const again = await stack.results.recordSegmentResult(segmentResult(user, { jobId: 'job-2', trigger: 'reprocess' }));
      expect(again.detectionsInserted).toBe(0);
      expect(again.events[0]).toMatchObject({ detectionId: null, clipObject: null });
      expect(await stack.detections.dayDetections(user, '2024-03-01')).toHaveLength(1);
      expect((await stack.days.userDays(user))[0].laughCount).toBe(1);
    });

    it('deletes only the owner\'s detection', async () => {
      const owner = await newUser();
      const intruder = await newUser();
      const written = await stack.results.recordSegmentResult(segmentResult(owner));
      const id = written.events[0].detectionId!;
      expect(await stack.detections.deleteDetection(intruder, id)).toEqual({ deleted: false, clipPath: null });
      expect(await stack.detections.updateNotes(intruder, id, 'mine now')).toBe(false);
      expect(await stack.detections.updateNotes(owner, id, 'the cake story')).toBe(true);
      expect((await stack.detections.dayDetections(owner, '2024-03-01'))[0].notes).toBe('the cake story');
    });
  });

  describe('day queries', () => {
    it('summarises days and finds the days that are still due', async () => {
      const user = await newUser();
      await stack.results.recordJobProgress(jobProgress(user, { windowsPlanned: 3 }));
      await stack.results.recordSegmentResult(segmentResult(user));
      await stack.results.recordWindowOutcome(windowOutcome(user));
      await stack.results.recordWindowOutcome(
        windowOutcome(user, { windowStartMs: BERLIN_DAY_START + 4 * HOUR, status: 'gap' }),
      );
      const nextDay = BERLIN_DAY_START + 24 * HOUR;
      await stack.results.recordWindowOutcome(
        windowOutcome(user, { jobId: 'job-d2', localDate: '2024-03-02', windowStartMs: nextDay, status: 'empty' }),
      );

      expect(await stack.days.userDays(user)).toEqual([
        { localDate: '2024-03-02', laughCount: 0, audioSeconds: 0, windowsProcessed: 0, windowsEmpty: 1, windowsGap: 0, windowsFailed: 0 },
        { localDate: '2024-03-01', laughCount: 2, audioSeconds: 7190.5, windowsProcessed: 1, windowsEmpty: 1, windowsGap: 1, windowsFailed: 0 },
      ]);
      expect((await stack.days.userDays(user, '2024-03-02', '2024-03-31')).map((d) => d.localDate)).toEqual(['2024-03-02']);

      // 02-29 never ran; 03-01 ran with a gap; 03-02's job (created by its window) is running.
      expect(await stack.days.dueDays(user, '2024-02-29', '2024-03-02')).toMatchObject([
        { localDate: '2024-02-29', reason: 'unprocessed', retries: 0 },
        { localDate: '2024-03-01', reason: 'gaps', retries: 0 },
      ]);
      expect(await stack.jobs.markGapsGivenUp(user, '2024-03-01')).toBe(true);
      expect(await stack.days.dueDays(user, '2024-02-29', '2024-03-02')).toEqual([
        { localDate: '2024-02-29', reason: 'unprocessed', retries: 0 },
      ]);
    });

    it('does not count a partial "today" run as processing the day', async () => {
      const user = await newUser();
      await stack.results.recordSegmentResult(segmentResult(user, { jobId: 'job-today', trigger: 'today' }));
      expect(await stack.days.dueDays(user, '2024-03-01', '2024-03-01')).toMatchObject([
        { localDate: '2024-03-01', reason: 'unprocessed', retries: 0, lastRunAt: expect.any(String) },
      ]);
    });
  });
});
