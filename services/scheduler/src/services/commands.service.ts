import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  LIMITLESS_UNREACHABLE_REFUSAL,
  QUERY_ERROR_CODES,
  type CommandJob,
  type CommandJobState,
  type DayJob,
  type JobInFlight,
  type ProcessDayReply,
  type ProcessDayRequest,
  type ProcessTodayReply,
  type ProcessTodayRequest,
  type ReprocessReply,
  type ReprocessRequest,
  type StatusReply,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { Clock } from '../domain/clock';
import { buildDayJob, wholeDaySpec, type DayJobSpec } from '../domain/day-job';
import { datesBetween, daysInclusive, localDateAt, localDayRange } from '../domain/local-day';
import type { SchedulerLogger } from '../logging/logger';
import { CLOCK, DEAD_LETTERS, HISTORY, LOGGER, PERSISTENCE, SCHEDULER_SETTINGS } from '../tokens';
import { JobDispatcher, type DispatchResult } from './job-dispatcher.service';
import type { DeadLetterReader, HistoryQueries, PersistenceQueries } from './ports';
import { SchedulerState } from './scheduler-state';
import { UserResolver, type ResolvedUser } from './user-resolver.service';

const MINUTE = 60_000;
const IN_FLIGHT = new Set(['planned', 'running']);

/**
 * The COMMANDS the gateway and the operator CLI send: process today so far, process one day,
 * reprocess a range, status. Requests arrive validated by their contract; what only the
 * scheduler can check (the day has ended, the range is short enough) fails as `invalid_request`.
 */
@Injectable()
export class CommandsService {
  constructor(
    @Inject(PERSISTENCE) private readonly persistence: PersistenceQueries,
    @Inject(DEAD_LETTERS) private readonly deadLetters: DeadLetterReader,
    @Inject(JobDispatcher) private readonly dispatcher: JobDispatcher,
    @Inject(UserResolver) private readonly users: UserResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
    @Inject(SchedulerState) private readonly state: SchedulerState,
    // Ingestion's probe of Limitless before a reprocess clears anything (absent in unit wiring).
    @Optional() @Inject(HISTORY) private readonly history?: HistoryQueries,
  ) {}

  /** From the start of the user's local today to now (rounded down to the minute). One at a time per user. */
  async processToday(request: ProcessTodayRequest): Promise<ProcessTodayReply> {
    const user = await this.users.resolve(request);
    const nowMs = this.clock.now();
    const today = localDayRange(localDateAt(nowMs, user.timezone), user.timezone);
    const running = (await this.persistence.operationsStatus(user.userId)).jobsInFlight.find(
      (job) => job.userId === user.userId && job.trigger === 'today' && IN_FLIGHT.has(job.status),
    );
    if (running) return { job: this.inFlightTodayJob(running, user) };
    const endMs = Math.floor(nowMs / MINUTE) * MINUTE;
    if (endMs <= today.startMs) throw invalid(`${today.localDate} began less than a minute ago in ${user.timezone}; nothing to process yet`);
    const job = await this.dispatchCommanded({ ...wholeDaySpec(user.userId, today, 'today'), endMs }, nowMs);
    this.logger.info({ userId: user.userId, jobId: job.jobId, state: job.state }, 'process today');
    return { job };
  }

  /** One whole local day that has ended, now; `already_done` when persistence says it needs no run. */
  async processDay(request: ProcessDayRequest): Promise<ProcessDayReply> {
    const user = await this.users.resolve(request);
    const nowMs = this.clock.now();
    const day = localDayRange(request.localDate, user.timezone);
    if (day.endMs > nowMs) throw invalid(`${request.localDate} has not ended yet in ${user.timezone} (it ends at ${new Date(day.endMs).toISOString()})`);
    const spec = wholeDaySpec(user.userId, day, 'manual');
    const due = await this.persistence.dueDays({ userId: user.userId, from: day.localDate, to: day.localDate, timezone: user.timezone });
    if (!due.days.some((d) => d.localDate === day.localDate)) {
      return { job: commandJob(buildDayJob(spec, nowMs), 'already_done') };
    }
    // The day is still due, so an earlier manual job of it that finished did not cover it: run again.
    const job = await this.dispatchCommanded(spec, nowMs, { rerunWhenDone: true });
    this.logger.info({ userId: user.userId, jobId: job.jobId, state: job.state }, 'process day');
    return { job };
  }

  /** Clears local days [from, to] (persistence refuses while one of them has a job in flight) and processes each again. */
  async reprocess(request: ReprocessRequest): Promise<ReprocessReply> {
    const user = await this.users.resolve(request);
    const nowMs = this.clock.now();
    const days = daysInclusive(request.from, request.to);
    if (days > this.config.maxReprocessDays) {
      throw invalid(`${request.from}..${request.to} is ${days} days; at most ${this.config.maxReprocessDays} days can be reprocessed at once (SCHEDULER_MAX_REPROCESS_DAYS)`);
    }
    const last = localDayRange(request.to, user.timezone);
    if (last.endMs > nowMs) throw invalid(`${request.to} has not ended yet in ${user.timezone}; every reprocessed day must have ended`);
    const limitlessUnreachable = await this.limitlessUnreachableNow(user.userId);
    let removed;
    try {
      removed = await this.persistence.clearDays({ userId: user.userId, from: request.from, to: request.to, ...(limitlessUnreachable ? { limitlessUnreachable } : {}) });
    } catch (error) {
      if (error instanceof QueryError && error.code === QUERY_ERROR_CODES.conflict) {
        // Limitless gone and results the archive cannot give back: persistence's words are for the person who asked.
        if (error.message.startsWith(LIMITLESS_UNREACHABLE_REFUSAL)) throw error;
        throw new QueryError(
          QUERY_ERROR_CODES.conflict,
          `cannot reprocess ${request.from}..${request.to} for ${user.email}: ${error.message}`,
        );
      }
      throw error;
    }
    const jobs: CommandJob[] = [];
    for (const date of datesBetween(request.from, request.to)) {
      const spec = wholeDaySpec(user.userId, localDayRange(date, user.timezone), 'reprocess', nowMs);
      jobs.push(await this.dispatchCommanded(spec, nowMs));
    }
    this.logger.info({ userId: user.userId, from: request.from, to: request.to, removed, jobs: jobs.length }, 'reprocess');
    return { removed, jobs };
  }

  /**
   * Asks Limitless once, before a reprocess clears its days: the first reprocess of an outage has no
   * finished job telling persistence that Limitless is gone, and clearing days whose audio the
   * archive does not keep would then lose their laughs for good. No answer in time, or no answer
   * from ingestion, counts as unreachable: persistence only refuses when something is at risk, and
   * then refusing loses nothing (the person tries again later).
   */
  private async limitlessUnreachableNow(userId: string): Promise<boolean> {
    if (!this.history) return false;
    try {
      const answer = await this.history.probe(userId, this.config.reprocessProbeTimeoutMs);
      if (!answer.reachable) this.logger.info({ userId, error: answer.error }, 'reprocess: Limitless does not answer; days whose audio is not kept stay');
      return !answer.reachable;
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'reprocess: could not probe Limitless; treated as unreachable');
      return true;
    }
  }

  async status(): Promise<StatusReply> {
    const [ops, deadLetters] = await Promise.all([this.persistence.operationsStatus(), this.deadLetters.summary(this.config.deadLettersShown)]);
    const scheduler: StatusReply['scheduler'] = {};
    if (this.state.lastTickAtMs !== undefined) scheduler.lastTickAt = new Date(this.state.lastTickAtMs).toISOString();
    if (this.state.lastReconcileAtMs !== undefined) scheduler.lastReconcileAt = new Date(this.state.lastReconcileAtMs).toISOString();
    if (this.state.lastReconcileSummary !== undefined) scheduler.lastReconcileSummary = this.state.lastReconcileSummary;
    return { ...ops, deadLetters, scheduler };
  }

  /**
   * Registers and publishes a commanded job. When the same job already exists its state answers
   * (`already_queued` / `already_done`); when it failed (or, with `rerunWhenDone`, finished without
   * covering the day), a new run of it is queued.
   */
  private async dispatchCommanded(spec: DayJobSpec, nowMs: number, options: { rerunWhenDone?: boolean } = {}): Promise<CommandJob> {
    let job = buildDayJob(spec, nowMs);
    let result = await this.dispatch(job);
    const rerun = result.status === 'failed' || result.status === 'key_invalid' || (options.rerunWhenDone === true && result.status === 'done');
    if (!result.created && rerun && spec.run === undefined) {
      job = buildDayJob({ ...spec, run: nowMs }, nowMs);
      result = await this.dispatch(job);
    }
    return commandJob(result.job, stateOf(result));
  }

  private async dispatch(job: DayJob): Promise<DispatchResult> {
    try {
      return await this.dispatcher.dispatch(job);
    } catch (error) {
      if (error instanceof QueryError) throw error;
      // Registered but the publish failed: the stalled-job sweep publishes it later.
      this.logger.error({ err: error, jobId: job.jobId }, 'command job registered but not published');
      throw new QueryError(
        QUERY_ERROR_CODES.internal,
        `job ${job.jobId} is registered but could not be published (${error instanceof Error ? error.message : String(error)}); it is published again within ${Math.round(this.config.stalledAfterMs / MINUTE)} minutes`,
      );
    }
  }

  /** A today job already in flight, described from persistence's status row (registered jobs carry their range). */
  private inFlightTodayJob(running: JobInFlight, user: ResolvedUser): CommandJob {
    const startMs = running.startMs ?? localDayRange(running.localDate, user.timezone).startMs;
    const endMs = running.endMs ?? Math.max(startMs + MINUTE, Math.floor(Date.parse(running.registeredAt) / MINUTE) * MINUTE);
    return { jobId: running.jobId, userId: user.userId, localDate: running.localDate, timezone: user.timezone, startMs, endMs, state: 'already_queued' };
  }
}

function stateOf(result: DispatchResult): CommandJobState {
  if (result.created || IN_FLIGHT.has(result.status)) return result.created ? 'queued' : 'already_queued';
  return 'already_done';
}

function commandJob(job: DayJob, state: CommandJobState): CommandJob {
  return { jobId: job.jobId, userId: job.userId, localDate: job.localDate, timezone: job.timezone, startMs: job.startMs, endMs: job.endMs, state };
}

function invalid(message: string): QueryError {
  return new QueryError(QUERY_ERROR_CODES.invalidRequest, message);
}
