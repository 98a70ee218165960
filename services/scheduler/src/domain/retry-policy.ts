import type { DueDay } from '@giggles/contracts';

export interface RetryPolicy {
  /** Retry n waits `baseMs · 2^(n−1)` after the day's last run. */
  baseMs: number;
  maxRetries: number;
}

/** What the scheduler does with one due day now. */
export type DueDayAction =
  /** The day's first whole-day run (no discriminator: its job id is the plain nightly id). */
  | { kind: 'nightly' }
  /** Retry `run` of the day: gap retries re-download unsettled windows; failed days run whole again. */
  | { kind: 'retry'; trigger: 'gap-retry' | 'nightly'; run: number }
  | { kind: 'wait'; untilMs: number; run: number }
  /** Gaps retried `maxRetries` times: tell persistence to stop. */
  | { kind: 'give-up'; retries: number }
  /** A day whose whole-day runs failed too often: left for the operator (status shows it). */
  | { kind: 'leave'; retries: number };

export function retryDelayMs(run: number, policy: RetryPolicy): number {
  return policy.baseMs * 2 ** (run - 1);
}

/**
 * `gaps`: `retries` gap-retry jobs already ran, so the next is retry `retries + 1`.
 * `unprocessed`: `retries` whole-day runs already failed; 0 means it never ran (or ran in another
 * time zone), so the first run is the nightly job; otherwise the next is retry `retries`.
 */
export function decideDueDay(day: DueDay, nowMs: number, policy: RetryPolicy): DueDayAction {
  const retries = day.retries ?? 0;
  if (day.reason === 'unprocessed' && retries === 0) return { kind: 'nightly' };
  const run = day.reason === 'gaps' ? retries + 1 : retries;
  if (run > policy.maxRetries) return day.reason === 'gaps' ? { kind: 'give-up', retries } : { kind: 'leave', retries };
  const lastRunMs = day.lastRunAt ? Date.parse(day.lastRunAt) : Number.NaN;
  if (Number.isFinite(lastRunMs)) {
    const untilMs = lastRunMs + retryDelayMs(run, policy);
    if (nowMs < untilMs) return { kind: 'wait', untilMs, run };
  }
  return { kind: 'retry', trigger: day.reason === 'gaps' ? 'gap-retry' : 'nightly', run };
}
