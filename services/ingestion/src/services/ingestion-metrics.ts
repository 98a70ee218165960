import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@giggles/health';
import type { Counter, Histogram } from 'prom-client';

/** Ingestion's Prometheus metrics (registered in the app's registry, served on /metrics). */
@Injectable()
export class IngestionMetrics {
  readonly limitlessRequests: Counter<'status'>;
  readonly limitlessDuration: Histogram<'status'>;
  readonly windows: Counter<'outcome'>;
  readonly audioBytes: Counter;
  readonly jobs: Counter<'outcome'>;
  readonly limitlessRetries: Counter<'reason'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.limitlessRequests = metrics.counter({
      name: 'giggles_limitless_requests_total',
      help: 'Limitless API requests by HTTP status (0 = no response: timeout, reset)',
      labelNames: ['status'],
    });
    this.limitlessDuration = metrics.histogram({
      name: 'giggles_limitless_request_seconds',
      help: 'Limitless API request duration including the body transfer',
      labelNames: ['status'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    });
    this.windows = metrics.counter({
      name: 'giggles_ingestion_windows_total',
      help: 'Windows finished by outcome (segment, empty, gap, failed, skipped, key_invalid)',
      labelNames: ['outcome'],
    });
    this.audioBytes = metrics.counter({ name: 'giggles_ingestion_audio_bytes_total', help: 'Audio bytes stored in the object store' });
    this.jobs = metrics.counter({
      name: 'giggles_ingestion_jobs_total',
      help: 'Day jobs finished by outcome (done, key_invalid, retried, dead_lettered)',
      labelNames: ['outcome'],
    });
    this.limitlessRetries = metrics.counter({
      name: 'giggles_limitless_retries_total',
      help: 'Limitless requests made again after a failure, by reason (transient: 5xx, timeout, reset; rate_limited: 429)',
      labelNames: ['reason'],
    });
    // Present at 0 from the start, so rate() and the alert rules see them before the first event.
    for (const outcome of ['segment', 'empty', 'gap', 'failed', 'skipped', 'key_invalid']) this.windows.inc({ outcome }, 0);
    for (const outcome of ['done', 'key_invalid', 'retried', 'dead_lettered']) this.jobs.inc({ outcome }, 0);
    for (const reason of ['transient', 'rate_limited']) this.limitlessRetries.inc({ reason }, 0);
  }
}
