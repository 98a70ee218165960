/**
 * Sliding-window rate limit per key: at most `limit` accepted requests in any `windowMs`.
 * Rejected requests are not counted (a client that waits as told gets through).
 */
export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateDecision {
    const t = this.now();
    const list = (this.hits.get(key) ?? []).filter((at) => at > t - this.windowMs);
    this.hits.set(key, list);
    if (list.length >= this.limit) {
      const wait = list[0] + this.windowMs - t;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    }
    list.push(t);
    return { ok: true, remaining: this.limit - list.length };
  }

  reset(key?: string): void {
    if (key === undefined) this.hits.clear();
    else this.hits.delete(key);
  }
}
