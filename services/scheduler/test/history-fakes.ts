import {
  QUERY_ERROR_CODES,
  type ApiOutage,
  type ApiOutageSetRequest,
  type BackfillGiveUpRequest,
  type BackfillPlanReply,
  type BackfillProgress,
  type BackfillSetStateRequest,
  type BackfillStartRequest,
  type FirstAudioReply,
  type FirstAudioRequest,
  type ProbeReply,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { ApiOutageGate } from '../src/services/api-outage-gate.service';
import { BackfillCommandsService } from '../src/services/backfill-commands.service';
import { CommandsService } from '../src/services/commands.service';
import { BackfillRound } from '../src/services/backfill-round.service';
import type { HistoryQueries } from '../src/services/ports';
import { TickService } from '../src/services/tick.service';
import { UserResolver } from '../src/services/user-resolver.service';
import { datesBetween } from '../src/domain/local-day';
import { schedulerUnderTest, type FakeClock, type FakePersistence } from './fakes';

const WHOLE_DAY = new Set(['nightly', 'gap-retry', 'manual', 'reprocess', 'backfill']);
const IN_FLIGHT = new Set(['planned', 'running']);

interface StoredBackfill {
  userId: string;
  from: string;
  to: string;
  state: 'active' | 'paused' | 'done';
  startedAtMs: number;
}

/**
 * In-memory backfills and outages over FakePersistence's jobs, with persistence's semantics
 * (migrations/0011): a day is covered by any whole-day job planned, running or done; a failed
 * backfill day is not planned again; a backfill with nothing left becomes done.
 */
export class FakeHistory implements HistoryQueries {
  readonly backfills = new Map<string, StoredBackfill>();
  readonly outages = new Map<string, { unreachableSinceMs?: number; pausedAtMs?: number; reason?: string; lastProbeAtMs?: number }>();
  firstAudioReply: FirstAudioReply = { method: 'none', requests: 1 };
  readonly firstAudioRequests: FirstAudioRequest[] = [];
  reachable = false;
  probes = 0;
  /** `${userId}|${date}` → the give-up (reason, when). */
  readonly givenUp = new Map<string, { reason: string; atMs: number }>();

  constructor(
    private readonly persistence: FakePersistence,
    private readonly clock: FakeClock,
  ) {}

  async startBackfill(request: BackfillStartRequest): Promise<BackfillProgress> {
    const old = this.backfills.get(request.userId);
    this.backfills.set(request.userId, { ...request, state: 'active', startedAtMs: old && old.state !== 'done' ? old.startedAtMs : this.clock.now() });
    return this.progress(request.userId);
  }

  async backfillPlan(limitPerUser: number): Promise<BackfillPlanReply> {
    const jobs = [...this.persistence.jobs.values()];
    const users: BackfillPlanReply['users'] = [];
    for (const b of this.backfills.values()) {
      const user = this.persistence.users.find((u) => u.userId === b.userId);
      if (b.state !== 'active' || !user || this.outages.get(b.userId)?.pausedAtMs !== undefined) continue;
      const mine = jobs.filter((j) => j.userId === b.userId);
      const days = datesBetween(b.from, b.to)
        .filter((d) => !mine.some((j) => j.localDate === d && ((WHOLE_DAY.has(j.trigger) && (IN_FLIGHT.has(j.status) || j.status === 'done')) || (j.trigger === 'backfill' && j.status === 'failed'))))
        .slice(0, limitPerUser);
      const backfillInFlight = mine.filter((j) => j.trigger === 'backfill' && IN_FLIGHT.has(j.status)).length;
      const retries = (await this.retryDays(b)).slice(0, limitPerUser);
      const rangeInFlight = mine.filter((j) => IN_FLIGHT.has(j.status) && j.localDate >= b.from && j.localDate <= b.to).length;
      if (days.length === 0 && retries.length === 0 && backfillInFlight === 0 && rangeInFlight === 0) {
        b.state = 'done';
        continue;
      }
      users.push({ userId: b.userId, timezone: user.timezone, backfillInFlight, jobsInFlight: mine.filter((j) => IN_FLIGHT.has(j.status)).length, days, retries });
    }
    return {
      users,
      backfillInFlight: jobs.filter((j) => j.trigger === 'backfill' && IN_FLIGHT.has(j.status)).length,
      otherJobsQueued: jobs.filter((j) => j.trigger !== 'backfill' && j.status === 'planned').length,
    };
  }

  /** As giggles_internal.backfill_retry_days (0014): due days of the range whose run failed or left gaps, not given up. */
  private async retryDays(b: StoredBackfill) {
    const timezone = this.persistence.users.find((u) => u.userId === b.userId)?.timezone ?? 'UTC';
    const { days } = await this.persistence.dueDays({ userId: b.userId, from: b.from, to: b.to, timezone });
    const jobs = this.persistence.jobsOf(b.userId);
    return days.filter(
      (d) =>
        !this.givenUp.has(`${b.userId}|${d.localDate}`) &&
        jobs.some((j) => j.localDate === d.localDate && j.trigger === 'backfill' && j.status === (d.reason === 'gaps' ? 'done' : 'failed')),
    );
  }

  async giveUpBackfillDay(request: BackfillGiveUpRequest): Promise<boolean> {
    const key = `${request.userId}|${request.localDate}`;
    if (this.givenUp.has(key)) return false;
    this.givenUp.set(key, { reason: request.reason, atMs: this.clock.now() });
    return true;
  }

  async setBackfillState(request: BackfillSetStateRequest): Promise<BackfillProgress> {
    const b = this.backfills.get(request.userId);
    if (!b) throw new QueryError(QUERY_ERROR_CODES.notFound, `user ${request.userId} has no backfill`);
    if (b.state !== 'done') b.state = request.state;
    return this.progress(request.userId);
  }

  async backfillProgress(userId?: string): Promise<BackfillProgress[]> {
    return Promise.all([...this.backfills.keys()].filter((id) => userId === undefined || id === userId).map((id) => this.progress(id)));
  }

  async apiOutages(): Promise<ApiOutage[]> {
    return [...this.outages.entries()].map(([userId, o]) => ({
      userId,
      email: `${userId.slice(0, 8)}@example.com`,
      ...(o.unreachableSinceMs !== undefined ? { unreachableSince: new Date(o.unreachableSinceMs).toISOString() } : {}),
      ...(o.pausedAtMs !== undefined ? { pausedAt: new Date(o.pausedAtMs).toISOString(), pauseReason: o.reason } : {}),
      ...(o.lastProbeAtMs !== undefined ? { lastProbeAt: new Date(o.lastProbeAtMs).toISOString() } : {}),
    }));
  }

  async setApiOutage(request: ApiOutageSetRequest): Promise<ApiOutage> {
    const o = this.outages.get(request.userId) ?? {};
    this.outages.set(request.userId, o);
    if (request.action === 'pause') {
      o.pausedAtMs = this.clock.now();
      o.reason = request.reason;
    } else if (request.action === 'resume') {
      delete o.pausedAtMs;
      delete o.unreachableSinceMs;
      o.lastProbeAtMs = this.clock.now();
    } else o.lastProbeAtMs = this.clock.now();
    return (await this.apiOutages()).find((x) => x.userId === request.userId)!;
  }

  async firstAudio(request: FirstAudioRequest): Promise<FirstAudioReply> {
    this.firstAudioRequests.push(request);
    return this.firstAudioReply;
  }

  async probe(): Promise<ProbeReply> {
    this.probes += 1;
    return this.reachable ? { reachable: true, status: 200 } : { reachable: false, status: 0, error: 'request failed: ECONNREFUSED' };
  }

  private async progress(userId: string): Promise<BackfillProgress> {
    const b = this.backfills.get(userId)!;
    const givenUp = [...this.givenUp.entries()]
      .map(([key, g]) => ({ localDate: key.split('|')[1]!, reason: g.reason, at: new Date(g.atMs).toISOString(), userId: key.split('|')[0]! }))
      .filter((g) => g.userId === userId && g.localDate >= b.from && g.localDate <= b.to)
      .map(({ userId: _u, ...g }) => g);
    const days = datesBetween(b.from, b.to);
    const jobs = this.persistence.jobsOf(userId).filter((j) => j.localDate >= b.from && j.localDate <= b.to);
    const done = new Set(jobs.filter((j) => WHOLE_DAY.has(j.trigger) && j.status === 'done').map((j) => j.localDate));
    return {
      userId,
      email: `${userId.slice(0, 8)}@example.com`,
      timezone: this.persistence.users.find((u) => u.userId === userId)?.timezone ?? 'UTC',
      from: b.from,
      to: b.to,
      state: b.state,
      totalDays: days.length,
      daysDone: done.size,
      daysFailed: (await this.retryDays(b)).length,
      daysGivenUp: givenUp.length,
      givenUp,
      daysInFlight: new Set(jobs.filter((j) => j.trigger === 'backfill' && IN_FLIGHT.has(j.status)).map((j) => j.localDate)).size,
      audioSeconds: done.size * 300,
      laughs: done.size * 2,
      startedAt: new Date(b.startedAtMs).toISOString(),
      updatedAt: new Date(this.clock.now()).toISOString(),
      backfillJobsDone: jobs.filter((j) => j.trigger === 'backfill' && j.status === 'done' && j.registeredAtMs >= b.startedAtMs).length,
    };
  }
}

/** schedulerUnderTest with the backfill round, the outage gate and the backfill commands wired in. */
export function historySchedulerUnderTest(startIso: string, env: Record<string, string> = {}) {
  const s = schedulerUnderTest(startIso, env);
  const history = new FakeHistory(s.persistence, s.clock);
  const gate = new ApiOutageGate(history, s.clock, s.config, s.logs.logger);
  const round = new BackfillRound(history, s.dispatcher, s.config, s.logs.logger, s.persistence);
  const ticks = new TickService(s.persistence, s.dispatcher, s.clock, s.config, s.logs.logger, s.metrics, s.state, gate, round);
  const backfills = new BackfillCommandsService(history, new UserResolver(s.persistence), s.clock, s.config, s.logs.logger);
  const commands = new CommandsService(s.persistence, s.deadLetters, s.dispatcher, new UserResolver(s.persistence), s.clock, s.config, s.logs.logger, s.state, history);
  return { ...s, history, gate, round, ticks, backfills, commands };
}
