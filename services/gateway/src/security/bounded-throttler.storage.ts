import type { ThrottlerStorage } from '@nestjs/throttler';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface Entry {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * The rate limiter's counters, bounded: at most `maxKeys` client keys (the least recently seen is
 * dropped first when a new one arrives) and every entry expires with its window. Nest's default
 * storage keeps a timer per key and has no size bound, so a flood of addresses grows it freely.
 */
export class BoundedThrottlerStorage implements ThrottlerStorage {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const id = `${throttlerName}:${key}`;
    const now = this.now();
    let entry = this.entries.get(id);
    if (entry && entry.expiresAt <= now && entry.blockedUntil <= now) entry = undefined;
    if (entry) this.entries.delete(id); // re-inserted below: Map order = least recently seen first
    else {
      entry = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.evict(now);
    }
    if (entry.expiresAt <= now) {
      entry.hits = 0;
      entry.expiresAt = now + ttl;
    }
    if (entry.blockedUntil <= now) entry.hits += 1;
    if (entry.hits > limit && entry.blockedUntil <= now) entry.blockedUntil = now + blockDuration;
    this.entries.set(id, entry);
    const isBlocked = entry.blockedUntil > now;
    return {
      totalHits: entry.hits,
      timeToExpire: Math.max(0, Math.ceil((entry.expiresAt - now) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.max(0, Math.ceil((entry.blockedUntil - now) / 1000)) : 0,
    };
  }

  private evict(now: number): void {
    // Oldest first: expired entries go, and live ones too while there is no room for a new key.
    for (const [id, entry] of this.entries) {
      const expired = entry.expiresAt <= now && entry.blockedUntil <= now;
      if (!expired && this.entries.size < this.maxKeys) break;
      this.entries.delete(id);
    }
  }
}
