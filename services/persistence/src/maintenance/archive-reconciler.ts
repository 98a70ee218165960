/**
 * Applies the archive's part of the reconciliation (archive-reconcile-plan.ts) to the archive
 * store and the audio_archive rows. Listing order: files before rows (a window's file is written
 * before its row, so a file listed without a row is either an orphan or a write in flight — each
 * orphan is looked up once more right before it is deleted). Rows go before their files.
 *
 * Empty markers (migrations/0016) have no file, so they are in neither listing: never an orphan
 * either way. They go with their day's retention (windows ended before the cut-off), outside the
 * deletion guards — a marker is a tiny row whose loss costs at most one Limitless request —
 * but only in a run that was not stopped by a guard, and not in a dry run.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { type AudioArchiveStore } from '../archive/audio-archive-store';
import { AudioArchiveRepository } from '../archive/audio-archive.repository';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from '../archive/audio-archive.service';
import { AUDIO_ARCHIVE_STORE } from '../archive/audio-bucket';
import { archiveRetentionCutoff, planArchiveReconciliation, type ArchiveGuards } from './archive-reconcile-plan';

export interface ArchiveCounts {
  scanned: number;
  orphanFiles: number;
  missingFiles: number;
  expired: number;
  /** Empty markers removed by retention (absent when none were due to be looked at). */
  expiredEmptyWindows?: number;
}

/** Failures of single items (the reconcile service's summary counts them). */
export interface FailureSink {
  note(what: string, error: unknown): void;
}

@Injectable()
export class ArchiveReconciler {
  constructor(
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
    @Inject(AudioArchiveRepository) private readonly rows: AudioArchiveRepository,
    @Optional() @Inject(AUDIO_ARCHIVE_STORE) private readonly store: AudioArchiveStore | null = null,
  ) {}

  /** Null when the deployment has no archive storage (AUDIO_ARCHIVE=off). */
  async reconcile(nowMs: number, guards: ArchiveGuards, dryRun: boolean, failures: FailureSink): Promise<{ counts: ArchiveCounts; stoppedBy?: string } | null> {
    const store = this.store;
    if (!store || this.settings.mode === 'off') return null;
    const files = await store.list('');
    const rows = await this.rows.allPaths();
    const cutoff = archiveRetentionCutoff(nowMs, this.settings.retentionDays);
    const expired = cutoff === undefined ? [] : await this.rows.expired(cutoff, guards.maxDeletions + 1);
    const plan = planArchiveReconciliation({ files, rows, expired }, guards);
    const counts: ArchiveCounts = { scanned: files.length, orphanFiles: 0, missingFiles: 0, expired: 0 };
    if (dryRun) {
      counts.orphanFiles = plan.orphanFiles.length;
      counts.missingFiles = plan.missingFiles.length;
      counts.expired = plan.expired.length;
    } else {
      // A window archived since the listing has its row now: its file stays.
      const claimed = await this.rows.existingPaths(plan.orphanFiles);
      for (const path of plan.orphanFiles.filter((p) => !claimed.has(p))) {
        await attempt(failures, `archive ${path}`, async () => {
          if (await store.delete(path)) counts.orphanFiles++;
        });
      }
      // A file may have arrived since the listing: look once more before removing its row.
      const gone: string[] = [];
      for (const path of plan.missingFiles) {
        await attempt(failures, `archive ${path}`, async () => {
          if (!(await store.exists(path))) gone.push(path);
        });
      }
      counts.missingFiles = await this.rows.deletePaths(gone);
      if (plan.expired.length > 0) {
        counts.expired = await this.rows.deletePaths(plan.expired);
        for (const path of plan.expired) await attempt(failures, `archive ${path}`, () => store.delete(path).then(() => undefined));
      }
      if (cutoff !== undefined && !plan.stoppedBy) {
        await attempt(failures, 'archive empty windows', async () => {
          counts.expiredEmptyWindows = await this.rows.deleteExpiredMarkers(cutoff);
        });
      }
    }
    return plan.stoppedBy ? { counts, stoppedBy: plan.stoppedBy } : { counts };
  }
}

async function attempt(failures: FailureSink, what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    failures.note(what, error);
  }
}
