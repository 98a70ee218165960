import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Added as a `service` label to every metric. */
  service: string;
  /** Process metrics: CPU, RSS, heap, event-loop lag, GC. Default true. */
  defaultMetrics?: boolean;
  /** Prefix for the default metrics, e.g. `giggles_`. */
  prefix?: string;
}

/**
 * A Prometheus registry per service (not prom-client's global one, so tests and several apps
 * in one process do not collide). Serve `registry.metrics()` with content type
 * `registry.contentType` on `/metrics`.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: options.prefix });
  return registry;
}
