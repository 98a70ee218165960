import type { HealthIndicatorResult } from '@nestjs/terminus';
import { indicatorResult } from '../util';

export interface MemoryIndicatorOptions {
  /** The container's memory limit (`MEMORY_LIMIT_MB`). */
  limitMb: number;
  /** Above this fraction of the limit the check stays up but says `degraded: true`. Default 0.9. */
  degradedRatio?: number;
  /** Above this fraction of the limit the check is down. Default 0.95. */
  downRatio?: number;
  /** RSS in bytes; injectable for tests. Default `process.memoryUsage.rss()`. */
  rssBytes?: () => number;
}

export const MEMORY_DEFAULTS = { degradedRatio: 0.9, downRatio: 0.95 } as const;

/** Resident set size against the container's limit. */
export function checkMemory<const Key extends string>(key: Key, options: MemoryIndicatorOptions): HealthIndicatorResult<Key> {
  const degradedRatio = options.degradedRatio ?? MEMORY_DEFAULTS.degradedRatio;
  const downRatio = options.downRatio ?? MEMORY_DEFAULTS.downRatio;
  const rss = (options.rssBytes ?? (() => process.memoryUsage.rss()))();
  const limitBytes = options.limitMb * 1024 * 1024;
  const ratio = rss / limitBytes;
  const data = {
    rssMb: Math.round((rss / 1024 / 1024) * 10) / 10,
    limitMb: options.limitMb,
    usedPercent: Math.round(ratio * 1000) / 10,
  };
  if (ratio > downRatio) {
    const message = `RSS ${data.rssMb} MB is above ${Math.round(downRatio * 100)}% of the ${options.limitMb} MB limit`;
    return indicatorResult(key, 'down', { ...data, degraded: true, message });
  }
  if (ratio > degradedRatio) {
    const message = `RSS ${data.rssMb} MB is above ${Math.round(degradedRatio * 100)}% of the ${options.limitMb} MB limit`;
    return indicatorResult(key, 'up', { ...data, degraded: true, message });
  }
  return indicatorResult(key, 'up', { ...data, degraded: false });
}
