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

export interface PlanOptions {
  startMs: number;
  endMs: number;
  windowMs: number;
  /** Windows earlier runs recorded; only settled ones (processed, empty, failed) are skipped. */
  done?: readonly WindowRecord[];
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
  const settled = options.ignoreDone ? [] : mergeIntervals((options.done ?? []).filter((w) => SETTLED_STATUSES.has(w.status)));
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
