import { Inject, Injectable } from '@nestjs/common';
import type { DayJob, JobState } from '@giggles/contracts';
import { inSpan, USER_ID_ATTRIBUTE } from '@giggles/observability';
import { JOB_PUBLISHER, PERSISTENCE } from '../tokens';
import type { JobPublisher, PersistenceQueries } from './ports';
import { SchedulerMetrics } from './scheduler-metrics';

export interface DispatchResult {
  /** True when this call registered the job (and then published it). */
  created: boolean;
  /** The job's state in persistence (`planned` for a new one). */
  status: JobState;
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
    const registered = await this.persistence.registerJob({
      jobId: job.jobId,
      userId: job.userId,
      localDate: job.localDate,
      timezone: job.timezone,
      trigger: job.trigger,
      startMs: job.startMs,
      endMs: job.endMs,
    });
    if (!registered.created) return registered;
    await this.publisher.publish(job);
    this.metrics.jobsPublished.inc({ trigger: job.trigger });
    return registered;
  }
}

function dayJobAttributes(job: DayJob) {
  return { [USER_ID_ATTRIBUTE]: job.userId, 'giggles.job_id': job.jobId, 'giggles.local_date': job.localDate, 'giggles.trigger': job.trigger };
}
