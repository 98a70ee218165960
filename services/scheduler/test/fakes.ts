import { Writable } from 'node:stream';
import {
  QUERY_ERROR_CODES,
  type ActiveKeyUser,
  type ClearDaysReply,
  type ClearDaysRequest,
  type DayJob,
  type DeadLetterSummary,
  type DiscardJobRequest,
  type DueDay,
  type DueDaysReply,
  type DueDaysRequest,
  type GiveUpGapsRequest,
  type JobState,
  type OperationsStatusReply,
  type ReconcileReply,
  type ReconcileRequest,
  type RegisterJobReply,
  type RegisterJobRequest,
  type StalledJob,
  type UserByEmailReply,
} from '@giggles/contracts';
import { MetricsService } from '@giggles/health';
import { QueryError } from '@giggles/messaging';
import { loadSchedulerConfig, type SchedulerConfig } from '../src/config/scheduler-config';
import type { Clock } from '../src/domain/clock';
import { datesBetween, localDayRange } from '../src/domain/local-day';
import { createSchedulerLogger, type SchedulerLogger } from '../src/logging/logger';
import { CommandsService } from '../src/services/commands.service';
import { JobDispatcher } from '../src/services/job-dispatcher.service';
import type { DeadLetterReader, JobPublisher, PersistenceQueries } from '../src/services/ports';
import { ReconcileService } from '../src/services/reconcile.service';
import { SchedulerMetrics } from '../src/services/scheduler-metrics';
import { SchedulerState } from '../src/services/scheduler-state';
import { TickService } from '../src/services/tick.service';
import { UserResolver } from '../src/services/user-resolver.service';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class FakeClock implements Clock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
  set(iso: string): void {
    this.nowMs = Date.parse(iso);
  }
}

export interface StoredJob extends RegisterJobRequest {
  status: JobState;
  registeredAtMs: number;
}

const WHOLE_DAY_TRIGGERS = new Set(['nightly', 'gap-retry', 'manual', 'reprocess', 'backfill']);
const IN_FLIGHT = new Set<JobState>(['planned', 'running']);

/**
 * In-memory persistence with the contract's semantics: a day is covered only by a whole-day job
 * over that day's range in the asked zone; a covered day with gaps nobody gave up on is due
 * (`gaps`, retries = gap-retry jobs); a day whose whole-day jobs all failed is due
 * (`unprocessed`, retries = failed jobs); days with a job in flight are not due.
 */
export class FakePersistence implements PersistenceQueries {
  users: (ActiveKeyUser & { keyStatus?: 'active' | 'invalid' | 'none' })[] = [];
  readonly jobs = new Map<string, StoredJob>();
  /** `${userId}|${date}`: the day's runs leave gap windows behind. */
  readonly gapDays = new Set<string>();
  readonly givenUp: GiveUpGapsRequest[] = [];
  readonly cleared: ClearDaysRequest[] = [];
  readonly reconciles: ReconcileRequest[] = [];
  readonly calls: string[] = [];
  clearConflict: string | undefined;
  failUsersQuery = false;
  failDueDaysFor = new Set<string>();

  constructor(private readonly clock: Clock) {}

  addUser(userId: string, timezone: string, email = `${userId.slice(0, 8)}@example.com`): ActiveKeyUser {
    const user = { userId, email, timezone };
    this.users.push(user);
    return user;
  }

  async usersWithActiveKeys(): Promise<ActiveKeyUser[]> {
    this.calls.push('usersWithActiveKeys');
    if (this.failUsersQuery) throw new QueryError('timeout', 'no answer to giggles.query.users.active-keys in time');
    return this.users.filter((u) => (u.keyStatus ?? 'active') === 'active').map(({ userId, email, timezone }) => ({ userId, email, timezone }));
  }

  async activeKeyUser(userId: string): Promise<ActiveKeyUser | undefined> {
    return (await this.usersWithActiveKeys()).find((u) => u.userId === userId);
  }

  async userByEmail(email: string): Promise<UserByEmailReply> {
    const user = this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!user) throw QueryError.notFound(`no user with e-mail ${email}`);
    return { userId: user.userId, email: user.email, timezone: user.timezone, keyStatus: user.keyStatus ?? 'active' };
  }

  async dueDays(request: DueDaysRequest): Promise<DueDaysReply> {
    this.calls.push(`dueDays ${request.userId} ${request.from}..${request.to}`);
    if (this.failDueDaysFor.has(request.userId)) throw new QueryError('internal', 'database unavailable');
    const timezone = request.timezone ?? this.users.find((u) => u.userId === request.userId)!.timezone;
    const days: DueDay[] = [];
    for (const date of datesBetween(request.from, request.to)) {
      const range = localDayRange(date, timezone);
      const ofDay = this.jobsOf(request.userId).filter((j) => j.localDate === date);
      const whole = ofDay.filter((j) => WHOLE_DAY_TRIGGERS.has(j.trigger) && j.startMs === range.startMs && j.endMs === range.endMs);
      if (whole.some((j) => IN_FLIGHT.has(j.status))) continue;
      const lastRunAt = ofDay.length ? new Date(Math.max(...ofDay.map((j) => j.registeredAtMs))).toISOString() : undefined;
      const key = `${request.userId}|${date}`;
      if (whole.some((j) => j.status === 'done')) {
        if (this.gapDays.has(key) && !this.givenUp.some((g) => `${g.userId}|${g.localDate}` === key)) {
          days.push({ localDate: date, reason: 'gaps', retries: whole.filter((j) => j.trigger === 'gap-retry').length, lastRunAt });
        }
        continue;
      }
      days.push({ localDate: date, reason: 'unprocessed', retries: whole.filter((j) => j.status === 'failed').length, ...(lastRunAt ? { lastRunAt } : {}) });
    }
    return { days, jobsInFlight: this.jobsOf(request.userId).filter((j) => IN_FLIGHT.has(j.status)).length };
  }

  async registerJob(request: RegisterJobRequest): Promise<RegisterJobReply> {
    const existing = this.jobs.get(request.jobId);
    if (existing) return { created: false, status: existing.status };
    this.jobs.set(request.jobId, { ...request, status: 'planned', registeredAtMs: this.clock.now() });
    return { created: true, status: 'planned' };
  }

  async stalledJobs(olderThanMs: number, limit: number): Promise<StalledJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.status === 'planned' && j.registeredAtMs < olderThanMs)
      .slice(0, limit)
      .map(({ status: _status, registeredAtMs, ...job }) => ({ ...job, registeredAt: new Date(registeredAtMs).toISOString() }));
  }

  async discardJob(request: DiscardJobRequest): Promise<boolean> {
    const job = this.jobs.get(request.jobId);
    if (!job || job.userId !== request.userId || job.status !== 'planned') return false;
    return this.jobs.delete(request.jobId);
  }

  async giveUpGaps(request: GiveUpGapsRequest): Promise<boolean> {
    this.givenUp.push(request);
    return true;
  }

  async clearDays(request: ClearDaysRequest): Promise<ClearDaysReply> {
    if (this.clearConflict) throw new QueryError(QUERY_ERROR_CODES.conflict, this.clearConflict);
    this.cleared.push(request);
    for (const [id, job] of this.jobs) {
      if (job.userId === request.userId && job.localDate >= request.from && job.localDate <= request.to) this.jobs.delete(id);
    }
    return { detectionsRemoved: 3, clipsRemoved: 2, windowsRemoved: 12, logsRemoved: 1 };
  }

  async operationsStatus(userId?: string): Promise<OperationsStatusReply> {
    return {
      jobsInFlight: [...this.jobs.values()]
        .filter((j) => IN_FLIGHT.has(j.status) && (userId === undefined || j.userId === userId))
        .map((j) => ({
          jobId: j.jobId,
          userId: j.userId,
          email: this.users.find((u) => u.userId === j.userId)?.email ?? 'unknown@example.com',
          localDate: j.localDate,
          trigger: j.trigger,
          status: j.status,
          windowsPlanned: 0,
          windowsDone: 0,
          startMs: j.startMs,
          endMs: j.endMs,
          registeredAt: new Date(j.registeredAtMs).toISOString(),
          updatedAt: new Date(j.registeredAtMs).toISOString(),
        })),
      users: this.users.filter((u) => userId === undefined || u.userId === userId).map((u) => ({ userId: u.userId, email: u.email, timezone: u.timezone, keyStatus: u.keyStatus ?? 'active', gapDays: [], gapsGivenUp: [] })),
    };
  }

  reconcileReply: ReconcileReply = {
    scanned: { clips: 10, detections: 20, audioObjects: 3, jobs: 4 },
    deleted: { orphanClips: 1, expiredClips: 0, expiredDetections: 0, expiredLogs: 2, staleAudioObjects: 1 },
    repaired: { detectionsMissingClip: 0, stuckJobs: 1 },
    dryRun: false,
    durationMs: 42,
  };

  async reconcile(request: ReconcileRequest): Promise<ReconcileReply> {
    this.reconciles.push(request);
    return this.reconcileReply;
  }

  jobsOf(userId: string): StoredJob[] {
    return [...this.jobs.values()].filter((j) => j.userId === userId);
  }

  /** Ingestion finished every job in flight (`done`, or `failed` for the ids given). */
  finishAll(status: JobState = 'done', only?: (job: StoredJob) => boolean): void {
    for (const job of this.jobs.values()) if (IN_FLIGHT.has(job.status) && (!only || only(job))) job.status = status;
  }
}

/**
 * Records published jobs; the stream "delivers" each to ingestion, which marks it running. Like
 * JetStream, an id published less than the stream's duplicate window (2 min) ago is dropped.
 */
export class FakePublisher implements JobPublisher {
  readonly published: { job: DayJob; atMs: number }[] = [];
  /** Publishes the stream dropped as duplicates. */
  readonly dropped: { job: DayJob; atMs: number }[] = [];
  failNext = 0;
  duplicateWindowMs = 2 * 60_000;

  constructor(
    private readonly persistence: FakePersistence,
    private readonly clock: Clock,
  ) {}

  async publish(job: DayJob): Promise<{ duplicate: boolean }> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('JetStream publish timed out');
    }
    const nowMs = this.clock.now();
    if (this.published.some((p) => p.job.jobId === job.jobId && nowMs - p.atMs < this.duplicateWindowMs)) {
      this.dropped.push({ job, atMs: nowMs });
      return { duplicate: true };
    }
    this.published.push({ job, atMs: nowMs });
    const stored = this.persistence.jobs.get(job.jobId);
    if (stored && stored.status === 'planned') stored.status = 'running';
    return { duplicate: false };
  }

  jobs(): DayJob[] {
    return this.published.map((p) => p.job);
  }
}

export class FakeDeadLetters implements DeadLetterReader {
  letters: DeadLetterSummary[] = [];
  async summary(limit: number): Promise<{ count: number; recent: DeadLetterSummary[] }> {
    return { count: this.letters.length, recent: this.letters.slice(-limit).reverse() };
  }
}

export function capturedLogger(level: 'debug' | 'info' = 'debug'): { logger: SchedulerLogger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createSchedulerLogger(level, sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export function testConfig(env: Record<string, string> = {}): SchedulerConfig {
  return loadSchedulerConfig(env);
}

/** The scheduler's services wired by hand over the fakes (no Nest, no network). */
export function schedulerUnderTest(startIso: string, env: Record<string, string> = {}) {
  const config = testConfig(env);
  const clock = new FakeClock(Date.parse(startIso));
  const persistence = new FakePersistence(clock);
  const publisher = new FakePublisher(persistence, clock);
  const deadLetters = new FakeDeadLetters();
  const metricsService = new MetricsService({ service: 'scheduler', memoryLimitMb: 512, defaultMetrics: false });
  const metrics = new SchedulerMetrics(metricsService);
  const state = new SchedulerState();
  const logs = capturedLogger();
  const dispatcher = new JobDispatcher(persistence, publisher, metrics, logs.logger);
  const ticks = new TickService(persistence, dispatcher, clock, config, logs.logger, metrics, state);
  const reconciliation = new ReconcileService(persistence, clock, config, logs.logger, metrics, state);
  const commands = new CommandsService(persistence, deadLetters, dispatcher, new UserResolver(persistence), clock, config, logs.logger, state);
  return { config, clock, persistence, publisher, deadLetters, metricsService, metrics, state, logs, dispatcher, ticks, reconciliation, commands };
}

export type SchedulerUnderTest = ReturnType<typeof schedulerUnderTest>;
