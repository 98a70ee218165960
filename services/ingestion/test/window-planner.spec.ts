import { describe, expect, it } from 'vitest';
import type { WindowRecord } from '@giggles/contracts';
import { isProvisional, MAX_WINDOW_MS, mergeIntervals, planWindows, settledIntervals, splitRange, subtractIntervals } from '../src/domain/window-planner';

const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2025, 2, 30, 0, 0, 0); // any instant: the planner is plain ms arithmetic

describe('splitRange', () => {
  it('exactly 2 hours is one window; one ms more is two', () => {
    expect(splitRange(T0, T0 + 2 * H, MAX_WINDOW_MS)).toEqual([{ startMs: T0, endMs: T0 + 2 * H }]);
    expect(splitRange(T0, T0 + 2 * H + 1, MAX_WINDOW_MS)).toEqual([
      { startMs: T0, endMs: T0 + 2 * H },
      { startMs: T0 + 2 * H, endMs: T0 + 2 * H + 1 },
    ]);
  });

  it('a 24 h day is 12 windows; a 23 h and a 25 h DST day are 12 windows with the last 1 h, and 13', () => {
    expect(splitRange(T0, T0 + 24 * H, MAX_WINDOW_MS)).toHaveLength(12);
    const short = splitRange(T0, T0 + 23 * H, MAX_WINDOW_MS);
    expect(short).toHaveLength(12);
    expect(short[11]).toEqual({ startMs: T0 + 22 * H, endMs: T0 + 23 * H });
    const long = splitRange(T0, T0 + 25 * H, MAX_WINDOW_MS);
    expect(long).toHaveLength(13);
    expect(long[12]).toEqual({ startMs: T0 + 24 * H, endMs: T0 + 25 * H });
  });

  it('windows are contiguous, never longer than asked, and cover the range exactly', () => {
    const windows = splitRange(T0 + 7, T0 + 5 * H + 123, 45 * M);
    expect(windows[0].startMs).toBe(T0 + 7);
    expect(windows[windows.length - 1].endMs).toBe(T0 + 5 * H + 123);
    for (let i = 0; i < windows.length; i++) {
      expect(windows[i].endMs - windows[i].startMs).toBeLessThanOrEqual(45 * M);
      expect(windows[i].endMs).toBeGreaterThan(windows[i].startMs);
      if (i > 0) expect(windows[i].startMs).toBe(windows[i - 1].endMs);
    }
  });

  it('an empty range has no windows; bad lengths are rejected', () => {
    expect(splitRange(T0, T0, H)).toEqual([]);
    expect(() => splitRange(T0, T0 + H, 0)).toThrow(RangeError);
    expect(() => splitRange(T0, T0 + H, MAX_WINDOW_MS + 1)).toThrow(RangeError);
    expect(() => splitRange(T0 + 0.5, T0 + H, H)).toThrow(RangeError);
  });
});

describe('planWindows', () => {
  const day = { startMs: T0, endMs: T0 + 24 * H, windowMs: 2 * H };

  it('plans the whole range when nothing is done', () => {
    const plan = planWindows(day);
    expect(plan).toMatchObject({ planned: 12, skipped: 0 });
    expect(plan.toDownload).toHaveLength(12);
  });

  it('skips windows settled as processed, empty or failed, but retries gaps', () => {
    const plan = planWindows({
      ...day,
      done: [
        { startMs: T0, endMs: T0 + 2 * H, status: 'processed' },
        { startMs: T0 + 2 * H, endMs: T0 + 4 * H, status: 'empty' },
        { startMs: T0 + 4 * H, endMs: T0 + 6 * H, status: 'failed' },
        { startMs: T0 + 6 * H, endMs: T0 + 8 * H, status: 'gap' },
      ],
    });
    expect(plan).toMatchObject({ planned: 12, skipped: 3 });
    expect(plan.toDownload[0]).toEqual({ startMs: T0 + 6 * H, endMs: T0 + 8 * H });
  });

  it('a window covered by several settled records (another window length) is skipped', () => {
    const done = [0, 1, 2, 3].map((i) => ({ startMs: T0 + i * 30 * M, endMs: T0 + (i + 1) * 30 * M, status: 'processed' as const }));
    expect(planWindows({ ...day, done })).toMatchObject({ skipped: 1, planned: 12 });
  });

  it('a partly covered window downloads only its uncovered part ("process today" earlier)', () => {
    const plan = planWindows({ ...day, done: [{ startMs: T0, endMs: T0 + 37 * M, status: 'processed' }] });
    expect(plan.toDownload[0]).toEqual({ startMs: T0 + 37 * M, endMs: T0 + 2 * H });
    expect(plan).toMatchObject({ skipped: 0, planned: 12 });
  });

  it('a hole in the middle of a window gives two pieces', () => {
    const plan = planWindows({
      ...day,
      endMs: T0 + 2 * H,
      done: [
        { startMs: T0, endMs: T0 + 10 * M, status: 'processed' },
        { startMs: T0 + 50 * M, endMs: T0 + 2 * H, status: 'empty' },
      ],
    });
    expect(plan.toDownload).toEqual([{ startMs: T0 + 10 * M, endMs: T0 + 50 * M }]);
  });

  it('reprocess ignores what is done', () => {
    const plan = planWindows({ ...day, ignoreDone: true, done: [{ startMs: T0, endMs: T0 + 24 * H, status: 'processed' }] });
    expect(plan).toMatchObject({ planned: 12, skipped: 0 });
  });

  it('never plans audio from the future', () => {
    const plan = planWindows({ ...day, notAfterMs: T0 + 5 * H + 30 * M });
    expect(plan.toDownload).toHaveLength(3);
    expect(plan.toDownload[2]).toEqual({ startMs: T0 + 4 * H, endMs: T0 + 5 * H + 30 * M });
    expect(planWindows({ ...day, notAfterMs: T0 - 1 })).toMatchObject({ planned: 0, toDownload: [] });
  });
});

describe("provisional 'today' windows", () => {
  const day = { startMs: T0, endMs: T0 + 24 * H, windowMs: 2 * H };
  const LATE = 120 * M;
  const nightly = { jobTrigger: 'nightly', lateUploadMs: LATE };
  const today = { jobTrigger: 'today', lateUploadMs: LATE };
  /** A 'today' run at 10:30 settled 08:00-10:00 (30 min after it ended) and 00:00-08:00 (long after). */
  const todayRun: WindowRecord[] = [
    { startMs: T0, endMs: T0 + 8 * H, status: 'processed', trigger: 'today', recordedAtMs: T0 + 10 * H + 30 * M },
    { startMs: T0 + 8 * H, endMs: T0 + 10 * H, status: 'processed', trigger: 'today', recordedAtMs: T0 + 10 * H + 30 * M },
  ];

  it('a nightly job downloads again the span a today run recorded before late uploads were in', () => {
    const plan = planWindows({ ...day, done: todayRun, policy: nightly });
    expect(plan).toMatchObject({ planned: 12, skipped: 4 });
    expect(plan.toDownload[0]).toEqual({ startMs: T0 + 8 * H, endMs: T0 + 10 * H });
    expect(plan.toDownload).toHaveLength(8);
  });

  it("an 'empty' recorded early by a today run is provisional too (audio may arrive later)", () => {
    const done: WindowRecord[] = [{ startMs: T0, endMs: T0 + 2 * H, status: 'empty', trigger: 'today', recordedAtMs: T0 + 2 * H + 5 * M }];
    expect(planWindows({ ...day, done, policy: nightly })).toMatchObject({ skipped: 0, planned: 12 });
  });

  it('the boundary: recorded exactly lateUpload after the end is trusted; one ms earlier is not', () => {
    const at = (recordedAtMs: number): WindowRecord => ({ startMs: T0, endMs: T0 + 2 * H, status: 'processed', trigger: 'today', recordedAtMs });
    expect(isProvisional(at(T0 + 2 * H + LATE), nightly)).toBe(false);
    expect(isProvisional(at(T0 + 2 * H + LATE - 1), nightly)).toBe(true);
  });

  it("a today record without recordedAtMs is provisional; other triggers' records never are", () => {
    const w = { startMs: T0, endMs: T0 + 2 * H, status: 'processed' as const };
    expect(isProvisional({ ...w, trigger: 'today' }, nightly)).toBe(true);
    for (const trigger of ['nightly', 'manual', 'gap-retry', 'reprocess', undefined]) {
      expect(isProvisional({ ...w, trigger, recordedAtMs: T0 + 2 * H }, nightly)).toBe(false);
    }
  });

  it('every non-today trigger applies the rule (manual, gap-retry)', () => {
    for (const jobTrigger of ['manual', 'gap-retry']) {
      expect(planWindows({ ...day, done: todayRun, policy: { jobTrigger, lateUploadMs: LATE } })).toMatchObject({ skipped: 4 });
    }
  });

  it('a today job trusts every settled window: running today twice downloads nothing twice', () => {
    const plan = planWindows({ ...day, done: todayRun, policy: today, notAfterMs: T0 + 10 * H + 45 * M });
    expect(plan.toDownload).toEqual([{ startMs: T0 + 10 * H, endMs: T0 + 10 * H + 45 * M }]);
    expect(plan).toMatchObject({ skipped: 5, planned: 6 });
  });

  it('INGESTION_LATE_UPLOAD_MINUTES=0 trusts every today record', () => {
    expect(planWindows({ ...day, done: todayRun, policy: { jobTrigger: 'nightly', lateUploadMs: 0 } })).toMatchObject({ skipped: 5 });
  });

  it('a gap stays unsettled whoever recorded it; without a policy every settled window counts', () => {
    const gap: WindowRecord = { startMs: T0 + 10 * H, endMs: T0 + 12 * H, status: 'gap', trigger: 'nightly', recordedAtMs: T0 + 30 * H };
    expect(settledIntervals([...todayRun, gap], today)).toEqual([{ startMs: T0, endMs: T0 + 10 * H }]);
    expect(settledIntervals(todayRun)).toEqual([{ startMs: T0, endMs: T0 + 10 * H }]);
  });
});

describe('interval helpers', () => {
  it('merges overlapping and adjacent intervals and drops empty ones', () => {
    expect(
      mergeIntervals([
        { startMs: 10, endMs: 20 },
        { startMs: 0, endMs: 5 },
        { startMs: 5, endMs: 8 },
        { startMs: 15, endMs: 30 },
        { startMs: 40, endMs: 40 },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 8 },
      { startMs: 10, endMs: 30 },
    ]);
  });

  it('subtracts covered parts', () => {
    const covered = mergeIntervals([{ startMs: 10, endMs: 20 }, { startMs: 30, endMs: 40 }]);
    expect(subtractIntervals({ startMs: 0, endMs: 50 }, covered)).toEqual([
      { startMs: 0, endMs: 10 },
      { startMs: 20, endMs: 30 },
      { startMs: 40, endMs: 50 },
    ]);
    expect(subtractIntervals({ startMs: 12, endMs: 18 }, covered)).toEqual([]);
  });
});
