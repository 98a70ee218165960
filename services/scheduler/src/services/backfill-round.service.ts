import { Inject, Injectable } from '@nestjs/common';
import { BACKFILL_PLAN_MAX_DAYS, type DayJob } from '@giggles/contracts';
import type { SchedulerConfig } from '../config/scheduler-config';
import { buildDayJob, wholeDaySpec } from '../domain/day-job';
import { localDayRange } from '../domain/local-day';
import { roundRobin } from '../domain/round-robin';
import type { SchedulerLogger } from '../logging/logger';
import { HISTORY, LOGGER, SCHEDULER_SETTINGS } from '../tokens';
import { JobDispatcher } from './job-dispatcher.service';
import type { HistoryQueries } from './ports';

/** What one backfill round did. */
export interface BackfillRoundReport {
  published: DayJob[];
  /** Why nothing was published, when nothing was. */
  waiting?: 'nothing_to_do' | 'other_jobs_queued' | 'all_slots_busy';
}

/**
 * Publishes users' backfill days as registered day jobs (trigger `backfill`), oldest first,
 * round-robin across users — and only into spare capacity, so a backfill yields to everyone's
 * nightly and on-demand work:
 * - nothing while any non-backfill job of any user is registered but not yet started (it would
 *   otherwise queue behind new backfill jobs in ingestion's first-in-first-out work queue);
 * - at most `SCHEDULER_BACKFILL_MAX_IN_FLIGHT` backfill jobs of all users at once (the most a
 *   nightly job can find ahead of it), at most `SCHEDULER_BACKFILL_JOBS_PER_USER` per user, and
 *   never beyond the user's `SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER` counting all their jobs.
 * Registered jobs survive restarts, and a day with a backfill (or any whole-day) job planned,
 * running or done is never planned again, so no day runs twice. Ingestion's per-key rate limit
 * covers the backfill and everything else the user runs.
 */
@Injectable()
export class BackfillRound {
  constructor(
    @Inject(HISTORY) private readonly history: HistoryQueries,
    @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
  ) {}

  async run(nowMs: number, pausedUsers: ReadonlySet<string> = new Set()): Promise<BackfillRoundReport> {
    const perUser = this.config.backfillJobsPerUser;
    const plan = await this.history.backfillPlan(Math.min(BACKFILL_PLAN_MAX_DAYS, perUser));
    const users = plan.users.filter((u) => !pausedUsers.has(u.userId) && u.days.length > 0);
    if (users.length === 0) return { published: [], waiting: 'nothing_to_do' };
    if (plan.otherJobsQueued > 0) return { published: [], waiting: 'other_jobs_queued' };
    let globalSlots = this.config.backfillMaxInFlight - plan.backfillInFlight;
    if (globalSlots <= 0) return { published: [], waiting: 'all_slots_busy' };

    const queues = users.map((user) => ({
      items: user.days.map((day) => buildDayJob(wholeDaySpec(user.userId, localDayRange(day, user.timezone), 'backfill'), nowMs)),
      slots: Math.min(perUser - user.backfillInFlight, this.config.maxJobsInFlightPerUser - user.jobsInFlight),
    }));
    const published: DayJob[] = [];
    await roundRobin(queues, async (job) => {
      // A day whose range has not ended plus the settle delay is not history yet.
      if (globalSlots <= 0 || job.endMs + this.config.settleMs > nowMs) return false;
      try {
        const { created } = await this.dispatcher.dispatch(job);
        if (created) {
          published.push(job);
          globalSlots -= 1;
        }
        return created;
      } catch (error) {
        // Registered but not published: the stalled-job sweep publishes it later.
        this.logger.warn({ err: error, jobId: job.jobId }, 'could not dispatch a backfill job; it is retried later');
        globalSlots -= 1;
        return true;
      }
    });
    if (published.length > 0) this.logger.info({ jobs: published.map((j) => j.jobId) }, `backfill: ${published.length} day(s) published`);
    return published.length > 0 ? { published } : { published, waiting: 'all_slots_busy' };
  }
}
