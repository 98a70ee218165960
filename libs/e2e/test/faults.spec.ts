/**
 * The pipeline under faults, one stack for all of them (start-up is the expensive part):
 * - user A (80 minutes of audio = four 20-minute windows): 30% of Limitless requests answer
 *   5xx, window 2's body is not Ogg at all and window 4's Ogg stream is damaged mid-way → the
 *   day completes, both corrupt windows are logged failures (one caught by ingestion, one by
 *   inference's decoder), windows 1 and 3 are stored;
 * - user B: the key is revoked (401) → B's job stops cleanly (key invalid, job key_invalid) while
 *   A's completes;
 * - user C (afterwards): the inference process is killed (-9) in the middle of a segment and
 *   started again → the segment is redelivered and completes once.
 */
import { SUBJECTS, type DayJob, type SegmentResult } from '@giggles/contracts';
import { hashKey } from '@giggles/testing';
import { startStack, type Stack, type StackUser } from '@giggles/e2e';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedEvents, matchEvents, referenceEvents, type ReferenceEvent } from './support/expectations';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog, WINDOW_MS, windowsOfDay } from './support/settings';

describe('pipeline end to end under faults', () => {
  let stack: Stack;
  let reference: Map<string, ReferenceEvent[]>;
  let a: StackUser;
  let b: StackUser;
  let c: StackUser;
  let jobA: DayJob;
  let jobB: DayJob;
  let notOggStartMs: number;
  let damagedStartMs: number;
  let setupCompleted = false;

  beforeAll(async () => {
    stack = await startStack({
      users: [{ timezone: 'Europe/Berlin', hours: 80 / 60 }, { timezone: 'America/New_York' }, { timezone: 'Asia/Kolkata' }],
      hours: 1,
      recordings: EVAL_DIR,
      env: SUITE_ENV,
      log: suiteLog,
    });
    [a, b, c] = stack.users;
    stack.simulator.setFaultRates({ serverErrorRate: 0.3 }, a.apiKey);
    notOggStartMs = a.dayStartMs + WINDOW_MS; // 00:20–00:40 local
    damagedStartMs = a.dayStartMs + 3 * WINDOW_MS; // 01:00–01:20 local
    stack.limitless.corruptWindow(notOggStartMs, a.apiKey, 'not-ogg');
    stack.limitless.corruptWindow(damagedStartMs, a.apiKey, 'damaged');
    stack.simulator.revokeKey(b.apiKey);
    [jobA, jobB] = await stack.publishDayJobs([a, b]);
    reference = await referenceEvents(stack.users.flatMap((u) => u.placements.map((p) => p.file)));
    await stack.waitForJobs([jobA.jobId, jobB.jobId], { timeoutMs: 330_000 });
    setupCompleted = true;
  });

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    await stack?.stop();
    cleanLogs(stack?.logDir, setupCompleted);
  });

  describe('30% of downloads fail with 5xx and two windows are corrupt', () => {
    it('completes the day: every window has an outcome, the retried ones processed', async () => {
      const r = await stack.readUser(a, jobA.jobId);
      const windows = windowsOfDay(a.dayStartMs, a.dayEndMs);
      expect(r.job).toMatchObject({ status: 'done', windows_planned: windows.length });
      expect(a.audioSeconds).toBe(4800);
      expect(r.windows).toEqual({ processed: 2, empty: windows.length - 4, gap: 0, failed: 2 });

      const served = stack.simulator.requests().filter((q) => q.keyHash === hashKey(a.apiKey) && q.endpoint === 'download-audio');
      const errors = served.filter((q) => q.status >= 500);
      expect(errors.length / served.length).toBeGreaterThan(0.15);
      const calls = r.log!.limitless_calls as Array<{ status: number }>;
      expect(calls.filter((x) => x.status >= 500).length).toBeGreaterThan(0);
    });

    it('logs the corrupt windows as failed and stores the laughs of the others', async () => {
      const r = await stack.readUser(a, jobA.jobId);
      const failed = r.segments.filter((s) => s.status === 'failed');
      expect(failed.map((s) => s.startMs)).toEqual([notOggStartMs, damagedStartMs]);
      for (const s of failed) expect(s.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      // The damaged stream got past ingestion (it starts as Ogg): inference's decoder failed it.
      expect((failed[1].error as { code: string }).code).toMatch(/^AUDIO_/);
      expect(stack.limitless.corruptedRequests()).toBeGreaterThanOrEqual(2);

      expect(r.log).toMatchObject({ status: 'completed', windows_failed: 2, audio_files_downloaded: 2 });
      const errors = r.log!.errors as Array<{ windowStartMs: number; code?: string }>;
      expect(errors.map((e) => e.windowStartMs).sort()).toEqual([notOggStartMs, damagedStartMs]);

      const good = r.segments.filter((s) => s.status === 'processed');
      const expected = expectedEvents(a, reference, good);
      const m = matchEvents(expected, r.detections);
      expect(m.missing.filter((e) => e.probability >= 0.5)).toEqual([]);
      expect(m.matched.length / expected.length).toBeGreaterThanOrEqual(0.9);
      for (const bad of failed) expect(r.detections.filter((d) => d.segmentId === bad.id)).toEqual([]);
      expect(new Set(r.detections.map((d) => d.segmentId))).toEqual(new Set(good.map((s) => s.id)));
      for (const d of r.detections) expect(stack.clipExists(d.clipPath!)).toBe(true);
    });
  });

  describe('a revoked key (401)', () => {
    it('stops that user: key marked invalid, job key_invalid, no retries, nothing stored', async () => {
      const r = await stack.readUser(b, jobB.jobId);
      expect(r.job).toMatchObject({ status: 'key_invalid' });
      expect(r.key).toMatchObject({ status: 'invalid' });
      expect(r.key!.invalidSince).toBeInstanceOf(Date);
      expect(r.detections).toEqual([]);
      expect(r.windows.processed).toBe(0);
      const asked = stack.simulator.requests().filter((q) => q.keyHash === hashKey(b.apiKey));
      expect(asked.length).toBeGreaterThanOrEqual(1);
      expect(asked.every((q) => q.status === 401)).toBe(true);
      expect(asked.length).toBeLessThanOrEqual(2);
      expect(await stack.deadLetters()).toEqual([]);
    });

    it('while the other user completes', async () => {
      expect((await stack.readUser(a, jobA.jobId)).job).toMatchObject({ status: 'done' });
    });
  });

  describe('inference killed mid-segment', () => {
    it('redelivers the segment to the restarted process, which completes it once', async () => {
      const inference = stack.services.inference;
      const startedLines = () => inference.jsonLogs().filter((l) => l.msg === 'segment started' && l.userId === c.userId);
      const [jobC] = await stack.publishDayJobs([c]);
      // Wait until inference is well into C's first segment, then kill it without warning.
      const deadline = Date.now() + 120_000;
      while (startedLines().length === 0) {
        if (Date.now() > deadline) throw new Error('inference never started a segment of user C');
        await new Promise((r) => setTimeout(r, 100));
      }
      const victim = startedLines()[0] as { windowStartMs: number };
      await new Promise((r) => setTimeout(r, 1_500));
      const resultsOf = (w: number) =>
        stack.tap.payloads<SegmentResult>(SUBJECTS.segmentResult).filter((p) => p.userId === c.userId && p.windowStartMs === w);
      expect(resultsOf(victim.windowStartMs)).toEqual([]); // still in flight when killed
      await inference.kill('SIGKILL');
      await inference.restart();
      await inference.waitReady();

      await stack.waitForJobs([jobC.jobId], { timeoutMs: 300_000 });
      const r = await stack.readUser(c, jobC.jobId);
      const windows = windowsOfDay(c.dayStartMs, c.dayEndMs);
      expect(r.job).toMatchObject({ status: 'done' });
      expect(r.windows).toEqual({ processed: 3, empty: windows.length - 3, gap: 0, failed: 0 });

      // Delivered twice (the first worker died), published and stored once.
      const attempts = startedLines().filter((l) => l.windowStartMs === victim.windowStartMs);
      expect(attempts.map((l) => l.delivery)).toEqual([1, 2]);
      expect(resultsOf(victim.windowStartMs)).toHaveLength(1);
      expect(resultsOf(victim.windowStartMs)[0].status).toBe('processed');
      expect(r.log).toMatchObject({ status: 'completed', audio_files_downloaded: 3, windows_failed: 0, duplicates_skipped: 0 });
      expect(r.log!.laughter_events_found).toBe(r.detections.length);

      const victimSegment = r.segments.find((s) => s.startMs === victim.windowStartMs)!;
      expect(victimSegment.status).toBe('processed');
      const expected = expectedEvents(c, reference, [victimSegment]);
      const m = matchEvents(expected, r.detections.filter((d) => d.segmentId === victimSegment.id));
      expect(m.missing.filter((e) => e.probability >= 0.5)).toEqual([]);
      expect(m.unexpected).toEqual([]);
      for (const d of r.detections) expect(stack.clipExists(d.clipPath!)).toBe(true);
      expect(await stack.deadLetters()).toEqual([]);
    });
  });
});
