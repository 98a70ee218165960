import type { WindowRecord, WindowStatus } from '@giggles/contracts';

/** Longest range one `download-audio` request may cover (2 h; exactly 2 h is allowed). */
export const MAX_WINDOW_MS = 7_200_000;

/** A half-open interval [startMs, endMs) of epoch milliseconds. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/**
 * Splits [startMs, endMs) into consecutive windows of `windowMs`, the last one shorter when the
 * range is not a multiple. Pure millisecond arithmetic on UTC instants: a local day that is 23 h
 * or 25 h long (DST) simply has a different range; nothing here knows about time zones.
 */
export function splitRange(startMs: number, endMs: number, windowMs: number): TimeWindow[] {
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs)) throw new RangeError('window bounds must be integer epoch milliseconds');
  if (!Number.isSafeInteger(windowMs) || windowMs < 1 || windowMs > MAX_WINDOW_MS) {
    throw new RangeError(`window length must be 1..${MAX_WINDOW_MS} ms, got ${windowMs}`);
  }
  const windows: TimeWindow[] = [];
  for (let start = startMs; start < endMs; start += windowMs) windows.push({ startMs: start, endMs: Math.min(start + windowMs, endMs) });
  return windows;
}

/** Window statuses that mean "do not download again" (unless reprocessing). A gap is retried. */
export const SETTLED_STATUSES: ReadonlySet<WindowStatus> = new Set<WindowStatus>(['processed', 'empty', 'failed']);

export interface WindowPlan {
  /** Windows to download, in time order. */
  toDownload: TimeWindow[];
  /** Grid windows left out entirely because earlier runs settled all of them. */
  skipped: number;
  /** `toDownload.length + skipped`: what the job reports as planned. */
  planned: number;
}

/**
 * Which settled windows a job may trust. A "today" run downloads a window soon after it ended, but
 * the pendant uploads late: that window may be incomplete, or recorded 'empty' though audio arrives
 * later. So for any job that is not itself a "today" run, a window settled by a "today" job less
 * than `lateUploadMs` after the window ended is provisional: it is not subtracted, and the nightly
 * run downloads that span again (persistence skips detections overlapping one of the same class,
 * so laughs are not counted twice). A "today" job trusts every settled window, so running "today"
 * twice never downloads anything twice.
 */
export interface SettledPolicy {
  /** The trigger of the job being planned. */
  jobTrigger: string;
  /** How late the pendant may upload audio (INGESTION_LATE_UPLOAD_MINUTES). */
  lateUploadMs: number;
}

/** The trigger whose early results are provisional for every other run. */
export const TODAY_TRIGGER = 'today';

/**
 * True when `window` was settled too early to be trusted by a job under `policy`. A 'today' record
 * without `recordedAtMs` (an older persistence) counts as provisional: downloading again is safe,
 * trusting it may lose audio.
 */
export function isProvisional(window: WindowRecord, policy: SettledPolicy): boolean {
  if (policy.jobTrigger === TODAY_TRIGGER || window.trigger !== TODAY_TRIGGER) return false;
  return window.recordedAtMs === undefined || window.recordedAtMs < window.endMs + policy.lateUploadMs;
}

/**
 * The merged intervals a job may skip: settled (processed, empty, failed) and, under `policy`, not
 * provisional. Without a policy every settled window counts.
 */
export function settledIntervals(done: readonly WindowRecord[], policy?: SettledPolicy): TimeWindow[] {
  return mergeIntervals(done.filter((w) => SETTLED_STATUSES.has(w.status) && !(policy && isProvisional(w, policy))));
}

export interface PlanOptions {
  startMs: number;
  endMs: number;
  windowMs: number;
  /** Windows earlier runs recorded; only settled ones (processed, empty, failed) are skipped, and under `policy` not provisional ones. */
  done?: readonly WindowRecord[];
  /** Which settled windows count (see `SettledPolicy`); absent: all of them. */
  policy?: SettledPolicy;
  /** Ignore `done` (a reprocess run downloads everything again). */
  ignoreDone?: boolean;
  /** Never plan audio after this instant (it does not exist yet). */
  notAfterMs?: number;
}

/**
 * The windows a job downloads: the range (cut at `notAfterMs`) on a grid of `windowMs` from its
 * start; a grid window that settled windows cover completely is skipped; one they cover in part is
 * replaced by its uncovered pieces, so audio is never downloaded (and its laughs counted) twice
 * when an earlier run used a different window length or a shorter range ("process today").
 */
export function planWindows(options: PlanOptions): WindowPlan {
  const endMs = options.notAfterMs === undefined ? options.endMs : Math.min(options.endMs, options.notAfterMs);
  const grid = splitRange(options.startMs, Math.max(options.startMs, endMs), options.windowMs);
  const settled = options.ignoreDone ? [] : settledIntervals(options.done ?? [], options.policy);
  const toDownload: TimeWindow[] = [];
  let skipped = 0;
  for (const window of grid) {
    const pieces = subtractIntervals(window, settled);
    if (pieces.length === 0) skipped++;
    else toDownload.push(...pieces);
  }
  return { toDownload, skipped, planned: toDownload.length + skipped };
}

/** Sorted, non-overlapping, non-adjacent union of the intervals (empty ones dropped). */
export function mergeIntervals(intervals: readonly TimeWindow[]): TimeWindow[] {
  const sorted = intervals.filter((w) => w.endMs > w.startMs).map((w) => ({ startMs: w.startMs, endMs: w.endMs }));
  sorted.sort((a, b) => a.startMs - b.startMs);
  const merged: TimeWindow[] = [];
  for (const w of sorted) {
    const last = merged[merged.length - 1];
    if (last && w.startMs <= last.endMs) last.endMs = Math.max(last.endMs, w.endMs);
    else merged.push(w);
  }
  return merged;
}

/** The parts of `window` not covered by `covered` (which must be merged: sorted, disjoint). */
export function subtractIntervals(window: TimeWindow, covered: readonly TimeWindow[]): TimeWindow[] {
  const pieces: TimeWindow[] = [];
  let cursor = window.startMs;
  for (const c of covered) {
    if (c.endMs <= cursor) continue;
    if (c.startMs >= window.endMs) break;
    if (c.startMs > cursor) pieces.push({ startMs: cursor, endMs: c.startMs });
    cursor = Math.max(cursor, c.endMs);
    if (cursor >= window.endMs) break;
  }
  if (cursor < window.endMs) pieces.push({ startMs: cursor, endMs: window.endMs });
  return pieces;
}
