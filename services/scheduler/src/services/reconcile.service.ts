import { Inject, Injectable } from '@nestjs/common';
import type { ReconcileReply, ReconcileRequest } from '@giggles/contracts';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { Clock } from '../domain/clock';
import type { SchedulerLogger } from '../logging/logger';
import { CLOCK, LOGGER, PERSISTENCE, SCHEDULER_SETTINGS } from '../tokens';
import type { PersistenceQueries } from './ports';
import { SchedulerMetrics } from './scheduler-metrics';
import { SchedulerState } from './scheduler-state';

/**
 * The daily reconciliation and data-lifecycle run: persistence does the work (orphans, retention,
 * stuck jobs, stale audio) within the guards sent here; the scheduler starts it on its cron and
 * logs ONE summary line. A plain method, so tests call it directly.
 */
@Injectable()
export class ReconcileService {
  private running = false;

  constructor(
    @Inject(PERSISTENCE) private readonly persistence: PersistenceQueries,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
    @Inject(SchedulerMetrics) private readonly metrics: SchedulerMetrics,
    @Inject(SchedulerState) private readonly state: SchedulerState,
  ) {}

  /** The run's reply, or undefined when a run was already going or the run failed (logged). */
  async reconcile(): Promise<ReconcileReply | undefined> {
    if (this.running) {
      this.logger.warn('previous reconciliation still running; this one is skipped');
      return undefined;
    }
    this.running = true;
    const nowMs = this.clock.now();
    try {
      const reply = await this.persistence.reconcile(this.request(nowMs));
      const summary = summarizeReconcile(reply);
      this.state.lastReconcileAtMs = nowMs;
      this.state.lastReconcileSummary = summary;
      this.metrics.reconcileRuns.inc({ outcome: reply.stoppedBy ? 'stopped' : 'completed' });
      this.logger.info({ reconcile: reply }, summary);
      return reply;
    } catch (error) {
      const summary = `reconcile failed: ${error instanceof Error ? error.message : String(error)}`;
      this.state.lastReconcileAtMs = nowMs;
      this.state.lastReconcileSummary = summary;
      this.metrics.reconcileRuns.inc({ outcome: 'failed' });
      this.logger.error({ err: error }, summary);
      return undefined;
    } finally {
      this.running = false;
    }
  }

  request(nowMs: number): ReconcileRequest {
    const retention: ReconcileRequest['retention'] = {};
    if (this.config.retentionClipsDays !== undefined) retention.clipsDays = this.config.retentionClipsDays;
    if (this.config.retentionDetectionsDays !== undefined) retention.detectionsDays = this.config.retentionDetectionsDays;
    if (this.config.retentionLogsDays !== undefined) retention.logsDays = this.config.retentionLogsDays;
    return {
      nowMs,
      retention,
      stuckJobMinutes: this.config.stuckJobMinutes,
      lostImportMinutes: this.config.lostImportMinutes,
      staleAudioMinutes: this.config.staleAudioMinutes,
      maxDeletions: this.config.maxDeletions,
      maxClipShare: this.config.maxClipShare,
    };
  }
}

/** One line: what was scanned, deleted, repaired, and which guard (if any) stopped the run. */
export function summarizeReconcile(reply: ReconcileReply): string {
  const { scanned: s, deleted: d, repaired: r } = reply;
  return [
    `reconcile${reply.dryRun ? ' (dry run)' : ''}:`,
    `scanned ${s.clips} clips, ${s.detections} detections, ${s.audioObjects} audio objects, ${s.jobs} jobs;`,
    `deleted ${d.orphanClips} orphan clips, ${d.expiredClips} expired clips, ${d.expiredDetections} expired detections, ${d.expiredLogs} expired logs, ${d.staleAudioObjects} stale audio objects;`,
    `repaired ${r.detectionsMissingClip} detections missing their clip, ${r.stuckJobs} stuck jobs${r.interruptedImports !== undefined ? `, ${r.interruptedImports} interrupted imports` : ''};`,
    `stopped by ${reply.stoppedBy ?? 'nothing'};`,
    `${reply.durationMs} ms`,
  ].join(' ');
}
