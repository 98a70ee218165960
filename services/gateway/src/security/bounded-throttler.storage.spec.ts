import { describe, expect, it } from 'vitest';
import { BoundedThrottlerStorage } from './bounded-throttler.storage';

describe('BoundedThrottlerStorage', () => {
  it('counts hits per key within the window, blocks past the limit, and starts over when the window ends', async () => {
    let now = 0;
    const storage = new BoundedThrottlerStorage(100, () => now);
    const hit = () => storage.increment('1.2.3.4', 1000, 2, 1000, 'default');
    expect((await hit()).totalHits).toBe(1);
    expect((await hit()).isBlocked).toBe(false);
    const third = await hit();
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true });
    now = 2500;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('never holds more than maxKeys clients: the least recently seen go first, expired ones too', async () => {
    let now = 0;
    const storage = new BoundedThrottlerStorage(3, () => now);
    for (const ip of ['a', 'b', 'c']) await storage.increment(ip, 60_000, 10, 0, 'default');
    await storage.increment('a', 60_000, 10, 0, 'default'); // a is now the most recent
    await storage.increment('d', 60_000, 10, 0, 'default');
    expect(storage.size).toBe(3);
    expect((await storage.increment('b', 60_000, 10, 0, 'default')).totalHits).toBe(1); // b was dropped
    expect((await storage.increment('a', 60_000, 10, 0, 'default')).totalHits).toBe(3); // a was kept
    for (let i = 0; i < 10_000; i++) await storage.increment(`flood-${i}`, 60_000, 10, 0, 'default');
    expect(storage.size).toBe(3);
    now = 120_000;
    await storage.increment('late', 60_000, 10, 0, 'default');
    expect(storage.size).toBeLessThanOrEqual(3);
  });
});
