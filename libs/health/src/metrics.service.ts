import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';
import { HEALTH_MODULE_OPTIONS, type HealthModuleOptions } from './health-options';

/**
 * One Prometheus registry per app (not prom-client's global one, so tests can run several apps
 * in one process). Every metric carries a `service` label. `counter`/`gauge`/`histogram` return
 * the existing metric when the name is already registered, so callers need not coordinate.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(@Inject(HEALTH_MODULE_OPTIONS) options: HealthModuleOptions) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // beside process_resident_memory_bytes, so an alert rule can say "RSS near the limit" per service
    this.gauge({ name: 'giggles_memory_limit_bytes', help: 'The container memory limit the service was given (MEMORY_LIMIT_MB)' }).set(
      options.memoryLimitMb * 1024 * 1024,
    );
  }

  counter<L extends string = string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.existing<Counter<L>>(config.name, Counter) ?? new Counter<L>({ ...config, registers: [this.registry] });
  }

  gauge<L extends string = string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.existing<Gauge<L>>(config.name, Gauge) ?? new Gauge<L>({ ...config, registers: [this.registry] });
  }

  histogram<L extends string = string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.existing<Histogram<L>>(config.name, Histogram) ?? new Histogram<L>({ ...config, registers: [this.registry] });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private existing<M>(name: string, kind: abstract new (...args: never[]) => unknown): M | undefined {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return undefined;
    if (!(metric instanceof kind)) throw new Error(`metric ${name} is already registered as another type`);
    return metric as M;
  }
}
