import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ActiveKeyUser, DayJob, DueDay } from '@giggles/contracts';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { Clock } from '../domain/clock';
import { buildDayJob, wholeDaySpec } from '../domain/day-job';
import { dueWindow } from '../domain/due-window';
import { isValidTimezone, localDayRange } from '../domain/local-day';
import { decideDueDay } from '../domain/retry-policy';
import { roundRobin } from '../domain/round-robin';
import type { SchedulerLogger } from '../logging/logger';
import { CLOCK, LOGGER, PERSISTENCE, SCHEDULER_SETTINGS } from '../tokens';
import { ApiOutageGate, type OutageReport } from './api-outage-gate.service';
import { BackfillRound, type BackfillRoundReport } from './backfill-round.service';
import { JobDispatcher } from './job-dispatcher.service';
import type { PersistenceQueries } from './ports';
import { SchedulerMetrics } from './scheduler-metrics';
import { SchedulerState } from './scheduler-state';

/** What one tick did (returned for tests and logged at debug). */
export interface TickReport {
  /** False when another tick was still running and this one did nothing. */
  ran: boolean;
  published: DayJob[];
  republished: string[];
  gaveUp: { userId: string; localDate: string }[];
  /** Users whose queries failed this tick (they are tried again next tick). */
  failedUsers: string[];
  /** Users paused, probed or resumed because Limitless was unreachable (when the gate is wired). */
  outages?: OutageReport;
  /** The backfill round after the due days (when wired). */
  backfill?: BackfillRoundReport;
}

/** Users asked about in parallel: enough to keep a tick short, few enough not to flood persistence. */
const USER_CONCURRENCY = 8;
/** Stalled jobs republished per tick. */
const STALLED_BATCH = 100;

/**
 * One scheduler tick: publish registered jobs whose publish was lost, then each user's due days —
 * oldest first, round-robin across users, at most `SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER` per user.
 * A plain method: @nestjs/schedule calls it on an interval, tests call it with a fake clock.
 */
@Injectable()
export class TickService {
  private running = false;
  /** Users whose bad time zone was already reported (one warning each, not one per tick). */
  private readonly badZonesReported = new Set<string>();
  /**
   * When this process last republished each stalled job. A job stays "stalled" until ingestion
   * plans it — also when it is merely waiting behind a long queue — so without this every tick
   * would add another copy to the work queue once JetStream's duplicate window has passed.
   */
  private readonly republishedAt = new Map<string, number>();

  constructor(
    @Inject(PERSISTENCE) private readonly persistence: PersistenceQueries,
    @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
    @Inject(SchedulerMetrics) private readonly metrics: SchedulerMetrics,
    @Inject(SchedulerState) private readonly state: SchedulerState,
    @Optional() @Inject(ApiOutageGate) private readonly outages?: ApiOutageGate,
    @Optional() @Inject(BackfillRound) private readonly backfill?: BackfillRound,
  ) {}

  /**
   * Only the backfill round, on its own shorter interval (SCHEDULER_BACKFILL_INTERVAL): a day of
   * history takes seconds, the tick comes every few minutes. Skipped while a tick runs (the tick
   * ends with a round itself, after the nightly work).
   */
  async backfillTick(): Promise<BackfillRoundReport | undefined> {
    if (this.running || !this.backfill) return undefined;
    this.running = true;
    try {
      return await this.backfill.run(this.clock.now());
    } catch (error) {
      this.logger.warn({ err: error }, 'backfill round failed; the next one tries again');
      return undefined;
    } finally {
      this.running = false;
    }
  }

  async tick(): Promise<TickReport> {
    const report: TickReport = { ran: false, published: [], republished: [], gaveUp: [], failedUsers: [] };
    if (this.running) {
      this.logger.warn('previous tick still running; this one is skipped');
      return report;
    }
    this.running = true;
    report.ran = true;
    const nowMs = this.clock.now();
    try {
      await this.republishStalled(nowMs, report);
      const paused = await this.pausedUsers(nowMs, report);
      await this.publishDueDays(nowMs, report, paused);
      if (this.backfill) {
        // After everyone's due days, so a backfill only ever takes what they left over.
        report.backfill = await this.backfill.run(nowMs, paused).catch((error: unknown) => {
          this.logger.warn({ err: error }, 'backfill round failed; the next one tries again');
          return undefined;
        });
      }
      this.state.lastTickAtMs = nowMs;
      this.metrics.ticks.inc();
      if (report.published.length + report.republished.length + report.gaveUp.length + report.failedUsers.length > 0) {
        this.logger.info(
          {
            published: report.published.map((j) => ({ jobId: j.jobId, trigger: j.trigger })),
            republished: report.republished,
            gaveUp: report.gaveUp,
            failedUsers: report.failedUsers,
          },
          `tick: ${report.published.length} published, ${report.republished.length} republished`,
        );
      }
      return report;
    } catch (error) {
      this.metrics.tickFailures.inc();
      this.logger.error({ err: error }, 'tick failed');
      throw error;
    } finally {
      this.running = false;
    }
  }

  private async republishStalled(nowMs: number, report: TickReport): Promise<void> {
    const stalled = await this.persistence.stalledJobs(nowMs - this.config.stalledAfterMs, STALLED_BATCH);
    const stillStalled = new Set(stalled.map((job) => job.jobId));
    for (const jobId of this.republishedAt.keys()) if (!stillStalled.has(jobId)) this.republishedAt.delete(jobId);
    for (const job of stalled) {
      const last = this.republishedAt.get(job.jobId);
      if (last !== undefined && nowMs - last < this.config.stalledAfterMs) continue;
      const dayJob: DayJob = {
        jobId: job.jobId,
        userId: job.userId,
        localDate: job.localDate,
        timezone: job.timezone,
        startMs: job.startMs,
        endMs: job.endMs,
        trigger: job.trigger,
        // when it was first asked for; normalised because the DayJob contract wants a plain ISO instant
        requestedAt: isoOr(job.registeredAt, nowMs),
      };
      try {
        await this.dispatcher.republish(dayJob);
        this.republishedAt.set(job.jobId, nowMs);
        report.republished.push(job.jobId);
      } catch (error) {
        this.logger.warn({ err: error, jobId: job.jobId }, 'could not republish a stalled job; next tick tries again');
      }
    }
  }

  /** Users whose downloads are paused (Limitless unreachable); an outage query failure pauses nobody. */
  private async pausedUsers(nowMs: number, report: TickReport): Promise<ReadonlySet<string>> {
    if (!this.outages) return new Set();
    const outages: OutageReport = { paused: [], resumed: [], probed: [] };
    report.outages = outages;
    try {
      return await this.outages.pausedUsers(nowMs, outages);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read Limitless outages; nobody is paused this tick');
      return new Set();
    }
  }

  private async publishDueDays(nowMs: number, report: TickReport, paused: ReadonlySet<string>): Promise<void> {
    const users = (await this.persistence.usersWithActiveKeys()).filter((user) => this.hasValidZone(user) && !paused.has(user.userId));
    const queues = await mapLimit(users, USER_CONCURRENCY, (user) => this.planUser(user, nowMs, report));
    await roundRobin(
      queues.filter((q): q is UserQueue => q !== undefined),
      async (job) => {
        try {
          const { created, job: dispatched } = await this.dispatcher.dispatch(job);
          if (created) report.published.push(dispatched);
          return created;
        } catch (error) {
          // Registered but not published: the stalled-job sweep publishes it later.
          this.logger.warn({ err: error, jobId: job.jobId }, 'could not dispatch a day job; it is retried later');
          if (!report.failedUsers.includes(job.userId)) report.failedUsers.push(job.userId);
          return true;
        }
      },
    );
  }

  /** The user's due days as jobs, oldest first, and how many more of their jobs may be in flight. */
  private async planUser(user: ActiveKeyUser, nowMs: number, report: TickReport): Promise<UserQueue | undefined> {
    const window = dueWindow(nowMs, user.timezone, this.config.settleMs, this.config.catchUpDays);
    if (!window) return undefined;
    try {
      const reply = await this.persistence.dueDays({ userId: user.userId, from: window.from, to: window.to, timezone: user.timezone });
      const slots = this.config.maxJobsInFlightPerUser - (reply.jobsInFlight ?? 0);
      const days = [...reply.days].filter((d) => d.localDate >= window.from && d.localDate <= window.to).sort((a, b) => a.localDate.localeCompare(b.localDate));
      const jobs: DayJob[] = [];
      for (const day of days) {
        const job = await this.jobFor(user, day, nowMs, report);
        if (job) jobs.push(job);
      }
      return { items: jobs, slots };
    } catch (error) {
      this.logger.warn({ err: error, userId: user.userId }, 'could not plan the due days of a user; next tick tries again');
      report.failedUsers.push(user.userId);
      return undefined;
    }
  }

  private async jobFor(user: ActiveKeyUser, day: DueDay, nowMs: number, report: TickReport): Promise<DayJob | undefined> {
    const action = decideDueDay(day, nowMs, { baseMs: this.config.retryBaseMs, maxRetries: this.config.maxRetries });
    const range = localDayRange(day.localDate, user.timezone);
    switch (action.kind) {
      case 'nightly':
        return buildDayJob(wholeDaySpec(user.userId, range, 'nightly'), nowMs);
      case 'retry':
        return buildDayJob(wholeDaySpec(user.userId, range, action.trigger, action.run), nowMs);
      case 'give-up': {
        const reason = `gaps still there after ${action.retries} retries`;
        await this.persistence.giveUpGaps({ userId: user.userId, localDate: day.localDate, reason });
        this.logger.info({ userId: user.userId, localDate: day.localDate, retries: action.retries }, 'gave up retrying the gaps of a day');
        report.gaveUp.push({ userId: user.userId, localDate: day.localDate });
        return undefined;
      }
      case 'wait':
      case 'leave':
        return undefined;
    }
  }

  private hasValidZone(user: ActiveKeyUser): boolean {
    if (isValidTimezone(user.timezone)) return true;
    const key = `${user.userId}\u0000${user.timezone}`;
    if (!this.badZonesReported.has(key)) {
      this.badZonesReported.add(key);
      this.logger.warn({ userId: user.userId, timezone: user.timezone }, 'user skipped: their time zone is not a valid IANA zone (fix the users row)');
    }
    return false;
  }
}

interface UserQueue {
  items: DayJob[];
  slots: number;
}

function isoOr(instant: string, fallbackMs: number): string {
  const ms = Date.parse(instant);
  return new Date(Number.isFinite(ms) ? ms : fallbackMs).toISOString();
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
