import { Inject, Injectable } from '@nestjs/common';
import {
  QUERY_ERROR_CODES,
  type BackfillPauseReply,
  type BackfillProgress,
  type BackfillReply,
  type BackfillRequest,
  type BackfillStatusReply,
  type BackfillStatusRequest,
  type UserRef,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { Clock } from '../domain/clock';
import { addDays, localDateAt, localDayRange } from '../domain/local-day';
import type { SchedulerLogger } from '../logging/logger';
import { CLOCK, HISTORY, LOGGER, SCHEDULER_SETTINGS } from '../tokens';
import type { HistoryQueries } from './ports';
import { UserResolver } from './user-resolver.service';

/**
 * The backfill COMMANDS (`giggles backfill`, the gateway's "process my whole history"): start a
 * user's backfill — finding their first day with audio through ingestion when no `from` is given —
 * and report, pause and resume it. The days themselves are published by BackfillRound.
 */
@Injectable()
export class BackfillCommandsService {
  constructor(
    @Inject(HISTORY) private readonly history: HistoryQueries,
    @Inject(UserResolver) private readonly users: UserResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
  ) {}

  /** Every day from `from` (else the first with audio) to `to` (else yesterday), oldest first. */
  async backfill(request: BackfillRequest): Promise<BackfillReply> {
    const user = await this.users.resolve(request);
    const nowMs = this.clock.now();
    const yesterday = addDays(localDateAt(nowMs, user.timezone), -1);
    const to = request.to ?? yesterday;
    if (to > yesterday) throw invalid(`--to ${to} has not ended yet in ${user.timezone}; the latest day a backfill can reach is ${yesterday}`);
    let from = request.from;
    let firstAudio: BackfillReply['firstAudio'];
    if (from === undefined) {
      const notBeforeMs = Date.parse(`${this.config.backfillEarliestDate}T00:00:00Z`);
      const notAfterMs = localDayRange(to, user.timezone).endMs;
      if (notAfterMs <= notBeforeMs) throw invalid(`--to ${to} is before SCHEDULER_BACKFILL_EARLIEST_DATE (${this.config.backfillEarliestDate})`);
      const found = await this.history.firstAudio({ userId: user.userId, notBeforeMs, notAfterMs });
      firstAudio = { method: found.method, requests: found.requests, ...(found.atMs !== undefined ? { atMs: found.atMs } : {}) };
      this.logger.info({ userId: user.userId, ...firstAudio }, 'backfill: first day with audio searched');
      if (found.atMs === undefined) {
        throw QueryError.notFound(`no audio found for ${user.email} between ${this.config.backfillEarliestDate} and ${to} (${found.requests} Limitless requests); give --from to backfill anyway`);
      }
      from = localDateAt(found.atMs, user.timezone);
    }
    if (from > to) throw invalid(`--from ${from} is after --to ${to}`);
    const started = await this.history.startBackfill({ userId: user.userId, from, to });
    this.logger.info({ userId: user.userId, from, to, totalDays: started.totalDays }, 'backfill started');
    return { backfill: this.withEta(started, nowMs), ...(firstAudio ? { firstAudio } : {}) };
  }

  /** Everyone's backfills and paused users, or one user's. */
  async status(request: BackfillStatusRequest): Promise<BackfillStatusReply> {
    const ref = request as UserRef;
    if (ref.userId !== undefined && ref.email !== undefined) throw invalid('give userId or email, not both');
    const userId = ref.userId ?? (ref.email !== undefined ? (await this.users.resolve({ email: ref.email })).userId : undefined);
    const nowMs = this.clock.now();
    const [backfills, outages] = await Promise.all([this.history.backfillProgress(userId), this.history.apiOutages()]);
    return {
      backfills: backfills.map((b) => this.withEta(b, nowMs)),
      outages: outages.filter((o) => o.pausedAt && (userId === undefined || o.userId === userId)),
    };
  }

  async pause(request: UserRef): Promise<BackfillPauseReply> {
    return this.setState(request, 'paused');
  }

  async resume(request: UserRef): Promise<BackfillPauseReply> {
    return this.setState(request, 'active');
  }

  private async setState(request: UserRef, state: 'active' | 'paused'): Promise<BackfillPauseReply> {
    const user = await this.users.resolve(request);
    const backfill = await this.history.setBackfillState({ userId: user.userId, state });
    this.logger.info({ userId: user.userId, state: backfill.state }, `backfill ${state === 'paused' ? 'paused' : 'resumed'}`);
    return { backfill: this.withEta(backfill, this.clock.now()) };
  }

  /**
   * ETA from the rate so far: backfill days finished since the backfill started, over the time
   * since then, applied to the days still to do. Absent until a day finished, and when done.
   */
  private withEta(progress: BackfillProgress, nowMs: number): BackfillProgress {
    const remaining = progress.totalDays - progress.daysDone - progress.daysFailed;
    const elapsedS = (nowMs - Date.parse(progress.startedAt)) / 1000;
    if (progress.state === 'done' || remaining <= 0 || progress.backfillJobsDone === 0 || !(elapsedS > 0)) return progress;
    return { ...progress, etaSeconds: Math.round((remaining * elapsedS) / progress.backfillJobsDone) };
  }
}

function invalid(message: string): QueryError {
  return new QueryError(QUERY_ERROR_CODES.invalidRequest, message);
}
