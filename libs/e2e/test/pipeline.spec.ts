/**
 * The whole pipeline, two users with a day of real recordings each: day jobs in → segments,
 * detections at the right absolute times, clips, processing logs in Postgres; then every message
 * delivered a second time changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUCKETS, SUBJECTS, type DayJob } from '@giggles/contracts';
import { startStack, type Stack, type StackUser, type UserDayRecord } from '@giggles/e2e';
import { Objm } from '@nats-io/obj';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectableTruth, expectedEvents, matchEvents, overlapsAny, referenceEvents, type ReferenceEvent } from './support/expectations';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog, windowsOfDay } from './support/settings';

const HOURS = 1;

describe('pipeline end to end: two users, a day of audio each', () => {
  let stack: Stack;
  let reference: Map<string, ReferenceEvent[]>;
  let jobs: DayJob[];
  const records = new Map<string, UserDayRecord>();
  let setupCompleted = false;

  beforeAll(async () => {
    stack = await startStack({
      users: [{ timezone: 'Europe/Berlin' }, { timezone: 'America/New_York' }],
      hours: HOURS,
      recordings: EVAL_DIR,
      env: SUITE_ENV,
      log: suiteLog,
    });
    // Published before the reference analysis runs: the services work while this process analyses.
    jobs = await stack.publishDayJobs();
    reference = await referenceEvents(stack.users.flatMap((u) => u.placements.map((p) => p.file)));
    await stack.waitForJobs(jobs.map((j) => j.jobId), { timeoutMs: 330_000 });
    for (const [i, user] of stack.users.entries()) records.set(user.userId, await stack.readUser(user, jobs[i].jobId));
    setupCompleted = true;
  });

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    await stack?.stop();
    cleanLogs(stack?.logDir, setupCompleted);
  });

  const audioWindows = (user: StackUser) => windowsOfDay(user.dayStartMs, user.dayEndMs).filter((w) => user.placements.some((p) => p.startMs < w.endMs && w.startMs < p.endMs));

  it('places each day from 00:00 local time (DST-correct day length)', () => {
    const [berlin, newYork] = stack.users;
    expect(new Date(berlin.dayStartMs).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour12: false })).toMatch(/, 00:00:00$/);
    expect(new Date(newYork.dayStartMs).toLocaleString('en-GB', { timeZone: 'America/New_York', hour12: false })).toMatch(/, 00:00:00$/);
    for (const u of stack.users) {
      expect(u.placements[0].startMs).toBe(u.dayStartMs);
      expect(u.audioSeconds).toBeCloseTo(HOURS * 3600, 0);
    }
  });

  it('finishes every job with every window of the day accounted for', () => {
    for (const user of stack.users) {
      const r = records.get(user.userId)!;
      const windows = windowsOfDay(user.dayStartMs, user.dayEndMs);
      const withAudio = audioWindows(user);
      expect(r.job).toMatchObject({ status: 'done', windows_planned: windows.length, windows_skipped: 0 });
      expect(r.windows).toEqual({ processed: withAudio.length, empty: windows.length - withAudio.length, gap: 0, failed: 0 });
      expect(r.segments.map((s) => [s.startMs, s.endMs])).toEqual(windows.map((w) => [w.startMs, w.endMs]));
      for (const s of r.segments.filter((x) => x.status === 'processed')) {
        expect(s.jobId).toBe(stack.dayJob(user).jobId);
        expect(s.decodedSeconds!).toBeGreaterThan(1199);
        expect(s.decodedSeconds!).toBeLessThan(1201);
      }
    }
  });

  it('stores the laughs analyzeRecording finds in the same files, at absolute time = dayStart + offset', () => {
    for (const user of stack.users) {
      const r = records.get(user.userId)!;
      const expected = expectedEvents(user, reference);
      expect(expected.length).toBeGreaterThan(5);
      const m = matchEvents(expected, r.detections);
      const report = `${user.timezone}: ${m.matched.length}/${expected.length} matched; missing ${JSON.stringify(m.missing.map((e) => [(e.startMs - user.dayStartMs) / 1000, e.probability]))}; unexpected ${JSON.stringify(m.unexpected.map((d) => [(d.start.getTime() - user.dayStartMs) / 1000, d.probability]))}`;
      // Every confident laugh, and nearly all of the rest (a window cut re-muxes the Opus stream,
      // which can move a borderline score across a threshold).
      expect(m.missing.filter((e) => e.probability >= 0.5), report).toEqual([]);
      expect(m.matched.length / expected.length, report).toBeGreaterThanOrEqual(0.9);
      expect(m.unexpected.length / Math.max(1, r.detections.length), report).toBeLessThanOrEqual(0.1);
      for (const { expected: e, stored: d } of m.matched) {
        expect(Math.abs(d.start.getTime() - e.startMs)).toBeLessThanOrEqual(50);
        expect(Math.abs(d.end!.getTime() - e.endMs)).toBeLessThanOrEqual(50);
      }
    }
  });

  it('finds the truth laughs that the engine detects, at their placed times', () => {
    for (const user of stack.users) {
      const r = records.get(user.userId)!;
      const truth = detectableTruth(user, expectedEvents(user, reference));
      expect(truth.length).toBeGreaterThan(3);
      const missed = truth.filter((t) => !overlapsAny(t, r.detections));
      expect(missed.map((t) => (t.startMs - user.dayStartMs) / 1000)).toEqual([]);
    }
  });

  it('keeps a playable clip of every detection in clip storage and no audio or clip in the transient buckets', async () => {
    let clips = 0;
    for (const user of stack.users) {
      for (const d of records.get(user.userId)!.detections) {
        expect(d.clipPath, `detection at ${d.start.toISOString()}`).toBeTruthy();
        expect(stack.clipExists(d.clipPath!), d.clipPath!).toBe(true);
        expect(d.clipPath!.startsWith(`${user.userId}/${user.localDate}/`)).toBe(true);
        const file = join(stack.clipDir, d.clipPath!);
        const head = readFileSync(file).subarray(0, 12).toString('latin1');
        expect(head.startsWith('RIFF') && head.endsWith('WAVE')).toBe(true);
        clips++;
      }
    }
    expect(clips).toBeGreaterThan(10);
    const objm = new Objm(stack.js);
    for (const bucket of [BUCKETS.audio, BUCKETS.clips]) {
      const store = await objm.open(bucket);
      // Window audio and clips are transient (ingestion may keep small bookkeeping objects there, TTL-bound).
      const left = (await store.list()).filter((o) => !o.deleted && /\.(ogg|wav)$/.test(o.name));
      expect(left.map((o) => o.name), bucket).toEqual([]);
    }
  });

  it('writes complete processing logs whose counters match the stored windows and laughs', () => {
    for (const user of stack.users) {
      const r = records.get(user.userId)!;
      expect(r.log, 'processing log row').not.toBeNull();
      const log = r.log!;
      expect(log).toMatchObject({
        status: 'completed',
        trigger: 'nightly',
        job_id: stack.dayJob(user).jobId,
        windows_planned: r.segments.length,
        windows_skipped: 0,
        audio_files_downloaded: r.windows.processed,
        windows_empty: r.windows.empty,
        windows_gap: 0,
        windows_failed: 0,
        laughter_events_found: r.detections.length,
        duplicates_skipped: 0,
      });
      expect(log.finished_at).toBeInstanceOf(Date);
      expect(Number(log.audio_seconds)).toBeCloseTo(HOURS * 3600, -1);
      expect((log.errors as unknown[]).length).toBe(0);
      // One Limitless call per window at least, every one recorded with its status.
      const calls = log.limitless_calls as Array<{ status: number }>;
      expect(calls.length).toBeGreaterThanOrEqual(r.segments.length);
      expect(calls.filter((c) => c.status === 200).length).toBe(r.windows.processed);
    }
  });

  it('sent every message once: one segment, one result per audio window, no dead letters', async () => {
    for (const user of stack.users) {
      const mine = <T extends { userId: string }>(subject: string) => stack.tap.payloads<T>(subject).filter((p) => p.userId === user.userId);
      expect(mine(SUBJECTS.segmentReady)).toHaveLength(audioWindows(user).length);
      expect(mine(SUBJECTS.segmentResult)).toHaveLength(audioWindows(user).length);
    }
    expect(await stack.deadLetters()).toEqual([]);
  });

  it('changes nothing when every message is delivered again', async () => {
    const before = stack.users.map((u) => records.get(u.userId)!);
    const count = await stack.tap.republishAll(stack.js, 'redelivery');
    expect(count).toBeGreaterThan(stack.users.length * 10);
    // Every consumer sees each message twice; wait until all of them are through.
    await new Promise((r) => setTimeout(r, 1_000));
    await stack.waitForDrain({ timeoutMs: 120_000 });
    for (const [i, user] of stack.users.entries()) {
      const after = await stack.readUser(user, jobs[i].jobId);
      const b = before[i];
      expect(after.detections.map((d) => d.id)).toEqual(b.detections.map((d) => d.id));
      expect(after.segments.map((s) => [s.id, s.status])).toEqual(b.segments.map((s) => [s.id, s.status]));
      expect(after.windows).toEqual(b.windows);
      expect(after.job).toMatchObject({
        status: 'done',
        windows_planned: b.job!.windows_planned,
        windows_processed: b.job!.windows_processed,
        windows_empty: b.job!.windows_empty,
      });
      expect(after.log).toMatchObject({
        status: 'completed',
        audio_files_downloaded: b.log!.audio_files_downloaded,
        windows_empty: b.log!.windows_empty,
        windows_failed: 0,
        laughter_events_found: b.log!.laughter_events_found,
      });
      const dupes = await stack.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT 1 FROM public.laughter_detections WHERE user_id = $1 GROUP BY "timestamp", class_id HAVING count(*) > 1) x`,
        [user.userId],
      );
      expect(Number(dupes[0].n)).toBe(0);
      for (const d of after.detections) expect(stack.clipExists(d.clipPath!)).toBe(true);
    }
    expect(await stack.deadLetters()).toEqual([]);
  });
});
