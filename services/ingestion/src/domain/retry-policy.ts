/** How one window's Limitless calls are retried. All durations in milliseconds. */
export interface RetryPolicy {
  /** First backoff step for 5xx, timeouts and resets. */
  baseMs: number;
  /** Largest backoff step. */
  capMs: number;
  /** Attempts (not retries) for 5xx/timeouts/resets before the window becomes a gap. */
  maxAttempts: number;
  /** Longest 429 wait honoured; a longer `retryAfter` is cut to this. */
  maxRetryAfterMs: number;
  /** 429 answers tolerated per window before it becomes a gap. */
  maxRateLimited: number;
  /** Wait after a 429 that says nothing about when to retry. */
  defaultRetryAfterMs: number;
}

/**
 * "Full jitter" exponential backoff (AWS architecture blog): a uniformly random delay in
 * [0, min(cap, base·2^(attempt-1))]. Spreads retries of many clients instead of synchronising them.
 * `attempt` is the failed attempt's number, 1-based; `random` returns [0, 1).
 */
export function fullJitterDelay(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(random() * (ceiling + 1));
}

/**
 * How long a 429 asks us to wait, in ms: the body's `retryAfter` (seconds as a string, per the
 * API docs), else the `Retry-After` header (seconds or an HTTP date), else `defaultMs`; never
 * negative, never above `maxMs`.
 */
export function retryAfterMs(
  bodyRetryAfter: unknown,
  header: string | null | undefined,
  options: { defaultMs: number; maxMs: number; nowMs?: number },
): number {
  const fromBody = parseSeconds(bodyRetryAfter);
  let ms = fromBody;
  if (ms === undefined && header) {
    ms = parseSeconds(header);
    if (ms === undefined) {
      const date = Date.parse(header);
      if (Number.isFinite(date)) ms = Math.max(0, date - (options.nowMs ?? Date.now()));
    }
  }
  return Math.min(Math.max(0, ms ?? options.defaultMs), options.maxMs);
}

function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.ceil(value * 1000);
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.ceil(Number(value) * 1000);
}
