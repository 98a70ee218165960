import { Inject, Injectable } from '@nestjs/common';
import { messageIds, type DayJob, type JobState } from '@giggles/contracts';
import { inSpan, USER_ID_ATTRIBUTE } from '@giggles/observability';
import type { SchedulerLogger } from '../logging/logger';
import { JOB_PUBLISHER, LOGGER, PERSISTENCE } from '../tokens';
import type { JobPublisher, PersistenceQueries } from './ports';
import { SchedulerMetrics } from './scheduler-metrics';

export interface DispatchResult {
  /** True when this call registered the job (and then published it). */
  created: boolean;
  /** The job's state in persistence (`planned` for a new one). */
  status: JobState;
  /**
   * The job as registered and published: the one given, or — when JetStream still remembered its
   * id from an earlier job (see `registerAndPublish`) — the same job under a fresh id.
   */
  job: DayJob;
}

/**
 * The publish protocol: register the job first, publish only when the registration created it.
 * A job registered here whose publish then fails stays `planned`; the tick finds it among the
 * stalled jobs and publishes it again. So a job is published once, or again only when lost.
 */
@Injectable()
export class JobDispatcher {
  constructor(
    @Inject(PERSISTENCE) private readonly persistence: PersistenceQueries,
    @Inject(JOB_PUBLISHER) private readonly publisher: JobPublisher,
    @Inject(SchedulerMetrics) private readonly metrics: SchedulerMetrics,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
  ) {}

  /** One span (the root of the user-night's trace) around registering and publishing the job. */
  dispatch(job: DayJob): Promise<DispatchResult> {
    return inSpan('giggles.day-job dispatch', dayJobAttributes(job), () => this.registerAndPublish(job));
  }

  /** A registered job whose publish was lost: published again under the same id. */
  republish(job: DayJob): Promise<void> {
    return inSpan('giggles.day-job republish', dayJobAttributes(job), async () => {
      await this.publisher.publish(job);
      this.metrics.jobsRepublished.inc();
    });
  }

  private async registerAndPublish(job: DayJob): Promise<DispatchResult> {
    const registered = await this.register(job);
    if (!registered.created) return { ...registered, job };
    const { duplicate } = await this.publisher.publish(job);
    if (!duplicate) {
      this.metrics.jobsPublished.inc({ trigger: job.trigger });
      return { ...registered, job };
    }
    // The registration is new, yet the stream already holds this id in its duplicate window: a
    // job with the same id ran minutes ago and its row was cleared since (a day cleared and due
    // again). JetStream dropped this publish — and would drop every window and result message
    // of the run, whose ids derive from the job id — so the job would sit 'planned' until the
    // stalled-job sweep. It runs under a fresh id instead; the dead registration goes.
    const again: DayJob = { ...job, jobId: messageIds.dayJobAgain(job.jobId, Date.parse(job.requestedAt)) };
    const discarded = await this.persistence.discardJob({ userId: job.userId, jobId: job.jobId });
    this.logger.warn(
      { jobId: job.jobId, newJobId: again.jobId, discarded },
      'day job id still in the stream duplicate window from an earlier run: registered again under a fresh id',
    );
    const second = await this.register(again);
    if (!second.created) return { ...second, job: again };
    const retry = await this.publisher.publish(again);
    if (retry.duplicate) throw new Error(`day job ${again.jobId} was dropped as a duplicate twice; the stalled-job sweep publishes it later`);
    this.metrics.jobsPublished.inc({ trigger: again.trigger });
    return { ...second, job: again };
  }

  private register(job: DayJob) {
    return this.persistence.registerJob({
      jobId: job.jobId,
      userId: job.userId,
      localDate: job.localDate,
      timezone: job.timezone,
      trigger: job.trigger,
      startMs: job.startMs,
      endMs: job.endMs,
    });
  }
}

function dayJobAttributes(job: DayJob) {
  return { [USER_ID_ATTRIBUTE]: job.userId, 'giggles.job_id': job.jobId, 'giggles.local_date': job.localDate, 'giggles.trigger': job.trigger };
}
