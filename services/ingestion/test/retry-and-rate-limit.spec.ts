import { describe, expect, it } from 'vitest';
import { fullJitterDelay, retryAfterMs } from '../src/domain/retry-policy';
import { keyFingerprint, KeyRateLimiter } from '../src/domain/token-bucket';
import { FakeClock } from './fakes';

describe('fullJitterDelay', () => {
  const policy = { baseMs: 100, capMs: 1_000 };

  it('is uniformly within [0, min(cap, base·2^(n-1))]', () => {
    expect(fullJitterDelay(1, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(1, policy, () => 0.999999)).toBe(100);
    expect(fullJitterDelay(2, policy, () => 0.999999)).toBe(200);
    expect(fullJitterDelay(4, policy, () => 0.999999)).toBe(800);
    expect(fullJitterDelay(5, policy, () => 0.999999)).toBe(1_000); // capped
    expect(fullJitterDelay(500, policy, () => 0.5)).toBe(500); // no overflow for huge attempt numbers
  });

  it('spreads retries (not all clients pick the same delay)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => fullJitterDelay(3, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(0);
    for (const d of delays) expect(d).toBeLessThanOrEqual(400);
  });
});

describe('retryAfterMs', () => {
  const options = { defaultMs: 5_000, maxMs: 60_000, nowMs: Date.UTC(2025, 0, 1) };

  it('prefers the body retryAfter (seconds as a string), then the header', () => {
    expect(retryAfterMs('3', '10', options)).toBe(3_000);
    expect(retryAfterMs('1.5', null, options)).toBe(1_500);
    expect(retryAfterMs(undefined, '7', options)).toBe(7_000);
    expect(retryAfterMs('soon', '7', options)).toBe(7_000);
  });

  it('understands an HTTP-date header, defaults when told nothing, and caps long waits', () => {
    expect(retryAfterMs(undefined, new Date(options.nowMs + 12_000).toUTCString(), options)).toBe(12_000);
    expect(retryAfterMs(undefined, undefined, options)).toBe(5_000);
    expect(retryAfterMs('3600', null, options)).toBe(60_000);
    expect(retryAfterMs(undefined, new Date(options.nowMs - 5_000).toUTCString(), options)).toBe(0);
  });
});

describe('KeyRateLimiter', () => {
  it('fingerprints keys without revealing them', () => {
    const fp = keyFingerprint('sk-secret-key');
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fp).not.toContain('secret');
    expect(keyFingerprint('sk-secret-key')).toBe(fp);
  });

  it('never lets more than perMinute requests of one key into any sliding minute', async () => {
    const clock = new FakeClock(0);
    const limiter = new KeyRateLimiter({ perMinute: 180, burst: 30 }, clock);
    const times: number[] = [];
    for (let i = 0; i < 600; i++) {
      await limiter.acquire('k', undefined);
      times.push(clock.now());
    }
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 60_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(180);
    expect(worst).toBeGreaterThanOrEqual(170); // and it does use the budget
    // Sustained rate after the burst: (180 - 30) per minute.
    expect(times[599] - times[30]).toBeGreaterThanOrEqual(((599 - 30) * 60_000) / 150 - 1);
  });

  it('lets a burst go at once, then paces', () => {
    const clock = new FakeClock(0);
    const limiter = new KeyRateLimiter({ perMinute: 120, burst: 10 }, clock);
    for (let i = 0; i < 10; i++) expect(limiter.tryTake('k')).toBe(0);
    const wait = limiter.tryTake('k');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(Math.ceil(60_000 / 110));
  });

  it('keys are independent', () => {
    const clock = new FakeClock(0);
    const limiter = new KeyRateLimiter({ perMinute: 4, burst: 2 }, clock);
    expect(limiter.tryTake('a')).toBe(0);
    expect(limiter.tryTake('a')).toBe(0);
    expect(limiter.tryTake('a')).toBeGreaterThan(0);
    expect(limiter.tryTake('b')).toBe(0);
  });

  it('a 429 pause holds every request of the key until it ends, then starts from an empty bucket', async () => {
    const clock = new FakeClock(1_000);
    const limiter = new KeyRateLimiter({ perMinute: 180, burst: 10 }, clock);
    limiter.pause('k', 6_000);
    expect(limiter.tryTake('k')).toBe(5_000);
    await limiter.acquire('k', undefined);
    expect(clock.now()).toBeGreaterThanOrEqual(6_000);
    expect(limiter.tryTake('other')).toBe(0);
  });

  it('a waiting acquire stops when its signal aborts', async () => {
    const limiter = new KeyRateLimiter({ perMinute: 2, burst: 1 });
    await limiter.acquire('k');
    const controller = new AbortController();
    const waiting = limiter.acquire('k', controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });
});
