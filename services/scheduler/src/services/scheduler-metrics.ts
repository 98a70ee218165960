import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from '@giggles/health';
import type { Counter } from 'prom-client';

/** The scheduler's Prometheus metrics (served on /metrics with the defaults). */
@Injectable()
export class SchedulerMetrics {
  readonly jobsPublished: Counter<'trigger'>;
  readonly jobsRepublished: Counter;
  readonly ticks: Counter;
  readonly tickFailures: Counter;
  readonly reconcileRuns: Counter<'outcome'>;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    this.jobsPublished = metrics.counter({
      name: 'giggles_scheduler_jobs_published_total',
      help: 'Day jobs published by trigger (nightly, gap-retry, today, manual, reprocess)',
      labelNames: ['trigger'],
    });
    this.jobsRepublished = metrics.counter({
      name: 'giggles_scheduler_jobs_republished_total',
      help: 'Registered jobs that stalled (publish lost) and were published again',
    });
    this.ticks = metrics.counter({ name: 'giggles_scheduler_ticks_total', help: 'Scheduler ticks that ran to the end' });
    this.tickFailures = metrics.counter({ name: 'giggles_scheduler_tick_failures_total', help: 'Scheduler ticks that failed' });
    this.reconcileRuns = metrics.counter({
      name: 'giggles_scheduler_reconcile_runs_total',
      help: 'Reconciliation runs by outcome (completed, stopped by a guard, failed)',
      labelNames: ['outcome'],
    });
  }
}
