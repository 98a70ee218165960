import { Inject, Injectable, Optional } from '@nestjs/common';
import { BACKFILL_PLAN_MAX_DAYS, type BackfillPlanUser, type DayJob } from '@giggles/contracts';
import type { SchedulerConfig } from '../config/scheduler-config';
import { buildDayJob, wholeDaySpec } from '../domain/day-job';
import { addDays, localDateAt, localDayRange } from '../domain/local-day';
import { decideDueDay } from '../domain/retry-policy';
import { roundRobin } from '../domain/round-robin';
import type { SchedulerLogger } from '../logging/logger';
import { HISTORY, LOGGER, PERSISTENCE, SCHEDULER_SETTINGS } from '../tokens';
import { JobDispatcher } from './job-dispatcher.service';
import type { HistoryQueries, PersistenceQueries } from './ports';

/** What one backfill round did. */
export interface BackfillRoundReport {
  published: DayJob[];
  /** Backfill days given up this round (retried SCHEDULER_MAX_RETRIES times). */
  gaveUp?: { userId: string; localDate: string; reason: string }[];
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
 *
 * A backfill day whose job failed or left gap/failed windows is retried like a nightly day (older
 * than the nightly catch-up, so the tick never sees it): `SCHEDULER_RETRY_BASE`·2ⁿ⁻¹ after its
 * last run — a failed day as backfill run n, gaps as gap-retry n (the ids the tick would use) —
 * ahead of new days; after `SCHEDULER_MAX_RETRIES` it is given up with the reason, which the
 * backfill's progress lists.
 */
@Injectable()
export class BackfillRound {
  constructor(
    @Inject(HISTORY) private readonly history: HistoryQueries,
    @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
    @Optional() @Inject(PERSISTENCE) private readonly persistence?: PersistenceQueries,
  ) {}

  async run(nowMs: number, pausedUsers: ReadonlySet<string> = new Set()): Promise<BackfillRoundReport> {
    const perUser = this.config.backfillJobsPerUser;
    const plan = await this.history.backfillPlan(Math.min(BACKFILL_PLAN_MAX_DAYS, perUser));
    const users = plan.users.filter((u) => !pausedUsers.has(u.userId) && (u.days.length > 0 || (u.retries?.length ?? 0) > 0));
    if (users.length === 0) return { published: [], waiting: 'nothing_to_do' };
    // Giving up needs no capacity: done first, whatever else waits.
    const gaveUp: NonNullable<BackfillRoundReport['gaveUp']> = [];
    const retryJobs = new Map<string, DayJob[]>();
    for (const user of users) retryJobs.set(user.userId, await this.retryJobs(user, nowMs, gaveUp));
    const withGiveUps = (report: BackfillRoundReport): BackfillRoundReport => (gaveUp.length > 0 ? { ...report, gaveUp } : report);
    if (plan.otherJobsQueued > 0) return withGiveUps({ published: [], waiting: 'other_jobs_queued' });
    let globalSlots = this.config.backfillMaxInFlight - plan.backfillInFlight;
    if (globalSlots <= 0) return withGiveUps({ published: [], waiting: 'all_slots_busy' });

    const queues = users.map((user) => ({
      items: [
        ...(retryJobs.get(user.userId) ?? []),
        ...user.days.map((day) => buildDayJob(wholeDaySpec(user.userId, localDayRange(day, user.timezone), 'backfill'), nowMs)),
      ],
      slots: Math.min(perUser - user.backfillInFlight, this.config.maxJobsInFlightPerUser - user.jobsInFlight),
    }));
    const published: DayJob[] = [];
    await roundRobin(queues, async (job) => {
      // A day whose range has not ended plus the settle delay is not history yet.
      if (globalSlots <= 0 || job.endMs + this.config.settleMs > nowMs) return false;
      try {
        const { created, job: dispatched } = await this.dispatcher.dispatch(job);
        if (created) {
          published.push(dispatched);
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
    return withGiveUps(published.length > 0 ? { published } : { published, waiting: 'all_slots_busy' });
  }

  /**
   * The user's retry days that are due now, as jobs (oldest first); days past the last retry are
   * given up here. Days inside the nightly catch-up are the tick's (it retries them the same way).
   */
  private async retryJobs(user: BackfillPlanUser, nowMs: number, gaveUp: NonNullable<BackfillRoundReport['gaveUp']>): Promise<DayJob[]> {
    const nightlyFrom = addDays(localDateAt(nowMs, user.timezone), -this.config.catchUpDays);
    const jobs: DayJob[] = [];
    for (const day of user.retries ?? []) {
      if (day.localDate >= nightlyFrom) continue;
      const action = decideDueDay(day, nowMs, { baseMs: this.config.retryBaseMs, maxRetries: this.config.maxRetries });
      const range = localDayRange(day.localDate, user.timezone);
      if (action.kind === 'retry') {
        jobs.push(buildDayJob(wholeDaySpec(user.userId, range, action.trigger === 'gap-retry' ? 'gap-retry' : 'backfill', action.run), nowMs));
      } else if (action.kind === 'give-up' || action.kind === 'leave') {
        const reason =
          day.reason === 'gaps'
            ? `windows still missing after ${action.retries} gap retries`
            : `the day's job failed ${action.retries} times (see its processing log for why)`;
        try {
          await this.history.giveUpBackfillDay({ userId: user.userId, localDate: day.localDate, reason });
          // The day's own log says so too, and gap retries stop everywhere (as the nightly give-up).
          if (day.reason === 'gaps') await this.persistence?.giveUpGaps({ userId: user.userId, localDate: day.localDate, reason });
          gaveUp.push({ userId: user.userId, localDate: day.localDate, reason });
          this.logger.info({ userId: user.userId, localDate: day.localDate, reason }, 'backfill: gave up retrying a day');
        } catch (error) {
          this.logger.warn({ err: error, userId: user.userId, localDate: day.localDate }, 'could not give up a backfill day; the next round tries again');
        }
      }
    }
    return jobs;
  }
}
