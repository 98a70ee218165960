import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../src';

describe('createMetricsRegistry', () => {
  it('collects process metrics and custom ones, labelled with the service', async () => {
    const registry = createMetricsRegistry({ service: 'inference', prefix: 'giggles_' });
    const segments = new Counter({ name: 'giggles_segments_processed_total', help: 'Segments processed', registers: [registry] });
    segments.inc(3);
    const text = await registry.metrics();
    expect(text).toMatch(/^giggles_process_resident_memory_bytes\{service="inference"\} \d+/m);
    expect(text).toContain('giggles_segments_processed_total{service="inference"} 3');
    expect(registry.contentType).toContain('text/plain');
  });

  it('can leave out process metrics and keeps registries apart', async () => {
    const a = createMetricsRegistry({ service: 'a', defaultMetrics: false });
    const b = createMetricsRegistry({ service: 'b', defaultMetrics: false });
    new Counter({ name: 'only_in_a_total', help: 'a', registers: [a] }).inc();
    expect(await a.metrics()).toContain('only_in_a_total{service="a"} 1');
    expect(await b.metrics()).toBe('\n');
  });
});
