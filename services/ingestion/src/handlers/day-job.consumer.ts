import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CONSUMERS, decodePayload, STREAMS, SUBJECTS, type DayJob } from '@giggles/contracts';
import { HealthRegistry, type PipelineProgress } from '@giggles/health';
import { runConsumer, type ConsumerHandle, type MessageContext } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { IngestionConfig } from '../config/ingestion-config';
import type { IngestionLogger } from '../logging/logger';
import { DayJobService } from '../services/day-job.service';
import { IngestionMetrics } from '../services/ingestion-metrics';
import { INGESTION_SETTINGS, LOGGER, PIPELINE_PROGRESS } from '../tokens';

/** Redelivery delays after failed deliveries 1, 2, 3, …: base, 2·base, 4·base, 8·base (then repeats). */
export function redeliverySchedule(baseMs: number): number[] {
  return [baseMs, baseMs * 2, baseMs * 4, baseMs * 8];
}

/**
 * Consumes day jobs (durable `ingestion-day-jobs`): a valid job runs through `DayJobService` and
 * is acked when every window is durable; a transient failure is naked with backoff; a malformed
 * job, a permanent failure or the last allowed delivery is dead-lettered and, when the job could
 * be read, reported to the user as a failed JobProgress.
 */
@Injectable()
export class DayJobConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private handle: ConsumerHandle | undefined;

  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(DayJobService) private readonly jobs: DayJobService,
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
    @Inject(LOGGER) private readonly logger: IngestionLogger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(PIPELINE_PROGRESS) private readonly progress: PipelineProgress,
    @Inject(IngestionMetrics) private readonly metrics: IngestionMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.handle = await runConsumer<DayJob>({
      js: this.nats.js,
      stream: STREAMS.dayJobs.name,
      durable: CONSUMERS.ingestionDayJobs,
      filterSubject: SUBJECTS.dayJob,
      decode: (data) => decodePayload(SUBJECTS.dayJob, data),
      handle: (job, ctx) => this.handleJob(job, ctx),
      onDeadLetter: (job, reason) => this.onDeadLetter(job, reason),
      maxDeliver: this.config.maxDeliver,
      ackWaitMs: this.config.ackWaitMs,
      backoffMs: redeliverySchedule(this.config.redeliveryDelayMs),
      concurrency: this.config.concurrency,
      logger: this.logger,
    });
    const handle = this.handle;
    this.health.addJetStreamWorker({
      nc: this.nats.nc,
      stream: STREAMS.dayJobs.name,
      durable: CONSUMERS.ingestionDayJobs,
      progress: this.progress,
      stallAfterMs: this.config.stallAfterMs,
      runner: () => handle.health(),
    });
    this.logger.info({ stream: STREAMS.dayJobs.name, durable: CONSUMERS.ingestionDayJobs, concurrency: this.config.concurrency }, 'consuming day jobs');
  }

  /** SIGTERM: stop pulling; the running job finishes its current window (within the grace period) and is naked. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!this.handle) return;
    this.logger.info({ signal, graceMs: this.config.shutdownGraceMs }, 'stopping the day-job consumer');
    this.jobs.beginShutdown();
    try {
      await this.handle.stop();
    } finally {
      this.jobs.endShutdown();
      this.health.remove('consumer');
      this.health.remove('pipeline');
    }
    this.logger.info('day-job consumer stopped');
  }

  private async handleJob(job: DayJob, ctx: MessageContext): Promise<void> {
    try {
      const outcome = await this.jobs.run(job, { working: () => ctx.working(), deliveryCount: ctx.deliveryCount });
      this.metrics.jobs.inc({ outcome: outcome.status });
      this.progress.markProgress();
    } catch (error) {
      this.metrics.jobs.inc({ outcome: 'retried' });
      throw error;
    }
  }

  private async onDeadLetter(job: DayJob | undefined, reason: string): Promise<void> {
    this.metrics.jobs.inc({ outcome: 'dead_lettered' });
    // A message that is not a valid job cannot be reported to a user; the dead letter keeps it.
    if (!job) return;
    await this.jobs.reportFailed(job, reason);
  }
}
