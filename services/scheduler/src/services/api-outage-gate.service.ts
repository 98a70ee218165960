import { Inject, Injectable } from '@nestjs/common';
import type { ApiOutage } from '@giggles/contracts';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { Clock } from '../domain/clock';
import type { SchedulerLogger } from '../logging/logger';
import { CLOCK, HISTORY, LOGGER, SCHEDULER_SETTINGS } from '../tokens';
import type { HistoryQueries } from './ports';

/** What the gate did this tick (for the tick's report and tests). */
export interface OutageReport {
  paused: string[];
  resumed: string[];
  probed: string[];
}

/**
 * "Limitless unreachable for days", told apart from "key invalid" (ingestion marks those keys
 * and stops): persistence reports, per user, since when every Limitless request of their jobs
 * failed to connect (gaps coded `api_unreachable`). Past `SCHEDULER_API_OUTAGE_PAUSE_AFTER` the
 * user's downloads pause — the tick plans no nightly, gap-retry or backfill job for them, so gap
 * retries do not pile up — with one clear state in `giggles status`. While paused, one probe
 * request every `SCHEDULER_API_PROBE_INTERVAL` asks ingestion whether Limitless answers again;
 * when it does, downloads resume by themselves (the days missed are still due, or covered by a
 * backfill). Probes run in the background so a hanging API never stalls the tick.
 */
@Injectable()
export class ApiOutageGate {
  private readonly probing = new Set<string>();
  /** When this process last probed each user (on the scheduler's clock; the database's own time may differ). */
  private readonly lastProbeMs = new Map<string, number>();
  /** Probes started in the background (tests await them). */
  readonly pendingProbes = new Set<Promise<void>>();

  constructor(
    @Inject(HISTORY) private readonly history: HistoryQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
  ) {}

  /** The users whose downloads are paused now (pausing those past the threshold first). */
  async pausedUsers(nowMs: number, report: OutageReport): Promise<Set<string>> {
    const paused = new Set<string>();
    for (const outage of await this.history.apiOutages()) {
      if (outage.pausedAt) {
        paused.add(outage.userId);
        this.maybeProbe(outage, nowMs, report);
        continue;
      }
      const since = outage.unreachableSince ? Date.parse(outage.unreachableSince) : Number.NaN;
      if (Number.isFinite(since) && nowMs - since >= this.config.apiOutagePauseAfterMs) {
        const hours = Math.round((nowMs - since) / 3_600_000);
        const reason = `Limitless has been unreachable for ${hours} h (every request since ${new Date(since).toISOString()} failed to connect); downloads paused until it answers again`;
        await this.history.setApiOutage({ userId: outage.userId, action: 'pause', reason });
        this.logger.warn({ userId: outage.userId, unreachableSince: outage.unreachableSince }, 'Limitless unreachable: downloads paused for this user');
        report.paused.push(outage.userId);
        paused.add(outage.userId);
      }
    }
    return paused;
  }

  private maybeProbe(outage: ApiOutage, nowMs: number, report: OutageReport): void {
    const last = this.lastProbeMs.get(outage.userId) ?? Date.parse(outage.lastProbeAt ?? outage.pausedAt ?? '');
    if (this.probing.has(outage.userId) || (Number.isFinite(last) && nowMs - last < this.config.apiProbeIntervalMs)) return;
    this.probing.add(outage.userId);
    this.lastProbeMs.set(outage.userId, nowMs);
    report.probed.push(outage.userId);
    const probe = this.probe(outage.userId, report).finally(() => {
      this.probing.delete(outage.userId);
      this.pendingProbes.delete(probe);
    });
    this.pendingProbes.add(probe);
  }

  private async probe(userId: string, report: OutageReport): Promise<void> {
    try {
      const answer = await this.history.probe(userId);
      if (answer.reachable) {
        await this.history.setApiOutage({ userId, action: 'resume' });
        report.resumed.push(userId);
        this.logger.info({ userId, status: answer.status }, 'Limitless answers again: downloads resumed');
      } else {
        await this.history.setApiOutage({ userId, action: 'probed' });
        this.logger.info({ userId, error: answer.error, at: new Date(this.clock.now()).toISOString() }, 'Limitless still unreachable');
      }
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'could not probe Limitless; next interval tries again');
    }
  }
}
