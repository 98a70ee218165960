import { addDays, localDateAt, localDayRange } from './local-day';

export interface DueWindow {
  /** Oldest local date the scheduler still catches up (today − catch-up days). */
  from: string;
  /** Newest local date that has ended at least the settle delay ago. */
  to: string;
}

/** A local day is due once it has ended and the settle delay has passed too. */
export function daySettled(localDate: string, timezone: string, nowMs: number, settleMs: number): boolean {
  return localDayRange(localDate, timezone).endMs + settleMs <= nowMs;
}

/**
 * The dates whose nightly run may be published now for a user in `timezone`, or undefined when
 * none (e.g. just after midnight, while yesterday is still settling and the catch-up horizon is
 * one day). The bounds are local dates; persistence tells which of them still need a run.
 */
export function dueWindow(nowMs: number, timezone: string, settleMs: number, catchUpDays: number): DueWindow | undefined {
  const today = localDateAt(nowMs, timezone);
  const from = addDays(today, -catchUpDays);
  let to = addDays(today, -1);
  // The settle delay can exceed a day (up to 72 h): step back until the day has settled.
  while (to >= from && !daySettled(to, timezone, nowMs, settleMs)) to = addDays(to, -1);
  return to >= from ? { from, to } : undefined;
}
