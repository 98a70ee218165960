import { defineConfig } from '@giggles/config';

export const HEALTH_MODULE_OPTIONS = Symbol('HEALTH_MODULE_OPTIONS');

export interface HealthModuleOptions {
  /** Service name: the `service` label on every metric. */
  service: string;
  /** The container's memory limit (`MEMORY_LIMIT_MB`). */
  memoryLimitMb: number;
  /** RSS fraction of the limit above which readiness says `degraded` (still up). Default 0.9. */
  memoryDegradedRatio?: number;
  /** RSS fraction of the limit above which readiness is down. Default 0.95. */
  memoryDownRatio?: number;
  /** Liveness fails when the event loop was blocked longer than this since the last probe. Default 5000 ms. */
  maxEventLoopDelayMs?: number;
  /** Collect prom-client default metrics (process, heap, GC, event loop). Default true. */
  defaultMetrics?: boolean;
}

export const HEALTH_DEFAULTS = { maxEventLoopDelayMs: 5_000 } as const;

/** `HEALTH_PORT`: where `/health/*` and `/metrics` listen. Spread into a service's config schema. */
export const HEALTH_SERVER_CONFIG = defineConfig({
  healthPort: {
    name: 'HEALTH_PORT',
    type: 'int',
    min: 1,
    max: 65_535,
    default: 3000,
    description: 'HTTP port for /health/live, /health/ready and /metrics',
  },
});
