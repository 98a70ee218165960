import { createHash } from 'node:crypto';

/** Identifies an API key in memory and logs without revealing it: a SHA-256 prefix. */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 16);
}

export interface RateLimitSettings {
  /** Hard limit: requests in any sliding 60 s per key (Limitless allows 180). */
  perMinute: number;
  /** Requests that may go at once after a quiet spell (capped at half of `perMinute`). */
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** No request before this instant (a 429 told us to wait). */
  pausedUntil: number;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}

/**
 * Token buckets keyed by API-key fingerprint, shared by every endpoint and every job in this
 * process. Capacity `burst`, refilled at (perMinute − burst)/60 s, so any sliding minute holds at
 * most burst + (perMinute − burst) = perMinute requests — a plain bucket of capacity perMinute
 * refilled at perMinute/min would allow twice that. A 429 pauses the key's bucket for everyone.
 */
export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;

  constructor(
    settings: RateLimitSettings,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(settings.perMinute >= 2)) throw new RangeError('perMinute must be at least 2');
    this.capacity = Math.max(1, Math.min(Math.floor(settings.burst), Math.floor(settings.perMinute / 2)));
    this.refillPerMs = (settings.perMinute - this.capacity) / 60_000;
  }

  /** Waits for a token for this key (FIFO is not promised; each waiter re-checks after sleeping). */
  async acquire(fingerprint: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const wait = this.tryTake(fingerprint);
      if (wait === 0) return;
      await this.clock.sleep(wait, signal);
    }
  }

  /** 0 when a token was taken, else how long until one may be available. */
  tryTake(fingerprint: string): number {
    const now = this.clock.now();
    const bucket = this.refill(fingerprint, now);
    if (bucket.pausedUntil > now) return bucket.pausedUntil - now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs));
  }

  /** The server said 429: nobody uses this key before `untilMs`, and the bucket starts empty. */
  pause(fingerprint: string, untilMs: number): void {
    const bucket = this.refill(fingerprint, this.clock.now());
    bucket.pausedUntil = Math.max(bucket.pausedUntil, untilMs);
    bucket.tokens = 0;
    bucket.updatedAt = Math.max(bucket.updatedAt, untilMs);
  }

  /** Tokens available now (for tests and metrics). */
  available(fingerprint: string): number {
    return this.refill(fingerprint, this.clock.now()).tokens;
  }

  private refill(fingerprint: string, now: number): Bucket {
    let bucket = this.buckets.get(fingerprint);
    if (!bucket) {
      bucket = { tokens: this.capacity, updatedAt: now, pausedUntil: 0 };
      this.buckets.set(fingerprint, bucket);
      this.evictIdle(now);
      return bucket;
    }
    if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
      bucket.updatedAt = now;
    }
    return bucket;
  }

  /** A full bucket is the same as no bucket: drop them so memory stays bounded by active keys. */
  private evictIdle(now: number): void {
    if (this.buckets.size < 1_000) return;
    const fullAfterMs = this.capacity / this.refillPerMs;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt > fullAfterMs && bucket.pausedUntil <= now) this.buckets.delete(key);
    }
  }
}
