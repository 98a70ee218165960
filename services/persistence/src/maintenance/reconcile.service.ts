/**
 * The daily reconciliation and data-lifecycle run (giggles.query.maintenance.reconcile): lists
 * the clip store, the audio bucket and the database, lets `planReconciliation` decide, then
 * applies the plan — repairs first (stuck jobs, detections whose clip is missing), then the
 * deletions, database before files (so no detection ever points at a deleted file). Logs exactly
 * one summary line (`msg: 'reconciliation'`) and returns the same numbers.
 *
 * Order of the listings matters: the clip store is listed before the database, because a
 * result writes its detection row before its clip file — a file found in the listing always
 * has its row visible to the database read that follows.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { type ReconcileReply, type ReconcileRequest } from '@giggles/contracts';
import { UnsafeClipPathError } from '../clips/clip-path';
import { type ClipStore } from '../clips/clip-store';
import type { PersistenceLogger } from '../logging/logger';
import { CLIP_STORE } from '../results/results.handler';
import { LOGGER } from '../tokens';
import { AUDIO_OBJECTS, type AudioObjects } from './audio-objects';
import { ArchiveReconciler } from './archive-reconciler';
import { MaintenanceRepository } from './maintenance.repository';
import { cutoffs, planReconciliation, type ReconcilePlan } from './reconcile-plan';

const STUCK_MESSAGE = 'no progress for too long; failed by the reconciliation run so the day is due again';
const INTERRUPTED_MESSAGE = 'processing this recording was interrupted and did not resume: upload or import the same file again';

/** Failures of single items: counted and named in the summary line, never thrown. */
export class Failures {
  count = 0;
  readonly first: string[] = [];

  note(what: string, error: unknown): void {
    this.count++;
    if (this.first.length < 5) this.first.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

@Injectable()
export class ReconcileService {
  constructor(
    @Inject(MaintenanceRepository) private readonly db: MaintenanceRepository,
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
    @Inject(AUDIO_OBJECTS) private readonly audio: AudioObjects,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    @Optional() @Inject(ArchiveReconciler) private readonly archive?: ArchiveReconciler,
  ) {}

  async reconcile(request: ReconcileRequest): Promise<ReconcileReply> {
    const started = performance.now();
    const dryRun = request.dryRun ?? false;
    const cut = cutoffs(request);
    const failures = new Failures();
    const listLimit = request.maxDeletions + 1;

    const clips = await this.clips.list('');
    const [references, audioObjects, expiredDetections, expiredLogIds] = await Promise.all([
      this.db.listClipReferences(),
      this.audio.listAudio(),
      cut.detections === undefined ? Promise.resolve([]) : this.db.listExpiredDetections(cut.detections, listLimit),
      cut.logs === undefined ? Promise.resolve([]) : this.db.listExpiredLogIds(new Date(cut.logs).toISOString().slice(0, 10), listLimit),
    ]);
    const plan = planReconciliation({ clips, references, audioObjects, expiredDetections, expiredLogIds }, request);

    // Imports first: their parts' jobs are judged on their own updates, before the stuck-job
    // repair below touches them.
    const imports = request.lostImportMinutes === undefined
      ? undefined
      : await this.db.markInterruptedImports(request.nowMs - request.lostImportMinutes * 60_000, INTERRUPTED_MESSAGE, dryRun);
    const jobs = await this.db.failStuckJobs(cut.stuckJobs, STUCK_MESSAGE, dryRun);
    const reply: ReconcileReply = {
      scanned: { clips: clips.length, detections: references.length, audioObjects: audioObjects.length, jobs: jobs.inFlight },
      deleted: { orphanClips: 0, expiredClips: 0, expiredDetections: 0, expiredLogs: 0, staleAudioObjects: 0 },
      repaired: { detectionsMissingClip: 0, stuckJobs: jobs.stuck, ...(imports ? { interruptedImports: imports.interrupted } : {}) },
      ...(plan.stoppedBy ? { stoppedBy: plan.stoppedBy } : {}),
      dryRun,
      durationMs: 0,
    };
    if (dryRun) this.countPlan(plan, reply);
    else await this.apply(plan, reply, failures);
    if (this.archive && !reply.stoppedBy) {
      const spent = Object.values(reply.deleted).reduce((sum, n) => sum + n, 0);
      const archive = await this.archive.reconcile(request.nowMs, { maxDeletions: Math.max(0, request.maxDeletions - spent), maxShare: request.maxClipShare }, dryRun, failures);
      if (archive) {
        reply.archive = archive.counts;
        if (archive.stoppedBy) reply.stoppedBy = archive.stoppedBy;
      }
    }

    reply.durationMs = Math.round(performance.now() - started);
    this.logger.info(
      { ...reply, ...(failures.count > 0 ? { failures: failures.count, firstFailures: failures.first } : {}) },
      'reconciliation',
    );
    return reply;
  }

  /** A dry run reports what it would have done. */
  private countPlan(plan: ReconcilePlan, reply: ReconcileReply): void {
    reply.repaired.detectionsMissingClip = plan.missingClips.length;
    reply.deleted = {
      orphanClips: plan.orphanClips.length,
      expiredClips: plan.expiredClips.length + plan.expiredDetections.filter((d) => d.clipPath !== null).length,
      expiredDetections: plan.expiredDetections.length,
      expiredLogs: plan.expiredLogIds.length,
      staleAudioObjects: plan.staleAudio.length,
    };
  }

  private async apply(plan: ReconcilePlan, reply: ReconcileReply, failures: Failures): Promise<void> {
    // Repairs. A file may have arrived since the listing: look once more before clearing.
    const missing: string[] = [];
    for (const ref of plan.missingClips) {
      await this.attempt(failures, `clip ${ref.clipPath}`, async () => {
        if (!(await this.clipExists(ref.clipPath))) missing.push(ref.detectionId);
      });
    }
    reply.repaired.detectionsMissingClip = await this.db.clearClipPaths(missing);

    for (const name of plan.staleAudio) {
      await this.attempt(failures, `audio ${name}`, async () => {
        if (await this.audio.deleteAudio(name)) reply.deleted.staleAudioObjects++;
      });
    }
    if (plan.expiredLogIds.length > 0) reply.deleted.expiredLogs = await this.db.deleteLogs(plan.expiredLogIds);

    // A new detection may have claimed an orphan's path since the listing (clip paths are
    // deterministic: a reprocess writes the same one).
    const claimed = await this.db.referencedClipPaths(plan.orphanClips);
    for (const path of plan.orphanClips.filter((p) => !claimed.has(p))) {
      await this.attempt(failures, `clip ${path}`, async () => {
        if (await this.clips.delete(path)) reply.deleted.orphanClips++;
      });
    }

    if (plan.expiredDetections.length > 0) {
      reply.deleted.expiredDetections = await this.db.deleteDetections(plan.expiredDetections.map((d) => d.id));
      await this.deleteClipFiles(plan.expiredDetections.flatMap((d) => (d.clipPath ? [d.clipPath] : [])), reply, failures);
    }
    if (plan.expiredClips.length > 0) {
      await this.db.clearClipPaths(plan.expiredClips.map((c) => c.detectionId));
      await this.deleteClipFiles(plan.expiredClips.map((c) => c.clipPath), reply, failures);
    }
  }

  private async deleteClipFiles(paths: string[], reply: ReconcileReply, failures: Failures): Promise<void> {
    for (const path of paths) {
      await this.attempt(failures, `clip ${path}`, async () => {
        if (await this.clips.delete(path)) reply.deleted.expiredClips++;
      });
    }
  }

  /**
   * An unusable (legacy, unsafe) path can never be served from this store: it counts as missing.
   * Any other error (storage unreachable) propagates, and the detection keeps its clip path.
   */
  private async clipExists(path: string): Promise<boolean> {
    try {
      return await this.clips.exists(path);
    } catch (error) {
      if (error instanceof UnsafeClipPathError) return false;
      throw error;
    }
  }

  private async attempt(failures: Failures, what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      failures.note(what, error);
    }
  }
}
