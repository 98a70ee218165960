import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '@giggles/health';
import type { Counter, Gauge } from 'prom-client';
import { DEAD_LETTERS } from '../tokens';
import type { DeadLetterReader } from './ports';
import { SchedulerState } from './scheduler-state';

/** The scheduler's Prometheus metrics (served on /metrics with the defaults). */
@Injectable()
export class SchedulerMetrics {
  readonly jobsPublished: Counter<'trigger'>;
  readonly jobsRepublished: Counter;
  readonly ticks: Counter;
  readonly tickFailures: Counter;
  readonly reconcileRuns: Counter<'outcome'>;
  /** Read at scrape time: the alert rules compare them with time() ("nightly run late"). */
  readonly lastTick: Gauge;
  readonly lastReconcile: Gauge;
  /** Messages in GIGGLES_DEAD_LETTERS, read from the stream at scrape time (one stream-info request). */
  readonly deadLetters: Gauge;

  constructor(
    @Inject(MetricsService) metrics: MetricsService,
    @Optional() @Inject(SchedulerState) state?: SchedulerState,
    @Optional() @Inject(DEAD_LETTERS) deadLetters?: DeadLetterReader,
  ) {
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
    this.lastTick = metrics.gauge({
      name: 'giggles_scheduler_last_tick_timestamp_seconds',
      help: 'When the last scheduler tick (the nightly run planner) completed, Unix seconds; absent before the first',
      collect() {
        if (state?.lastTickAtMs !== undefined) this.set(state.lastTickAtMs / 1000);
      },
    });
    this.lastReconcile = metrics.gauge({
      name: 'giggles_scheduler_last_reconcile_timestamp_seconds',
      help: 'When the last reconciliation run completed, Unix seconds; absent before the first',
      collect() {
        if (state?.lastReconcileAtMs !== undefined) this.set(state.lastReconcileAtMs / 1000);
      },
    });
    this.deadLetters = metrics.gauge({
      name: 'giggles_dead_letters',
      help: 'Messages in the dead-letter stream (GIGGLES_DEAD_LETTERS); any increase needs an operator',
      async collect() {
        if (!deadLetters) return;
        // NATS away: the gauge keeps its last value rather than failing the whole scrape
        const summary = await deadLetters.summary(0).catch(() => undefined);
        if (summary) this.set(summary.count);
      },
    });
  }
}
