/**
 * The audio archive's part of the daily reconciliation, as a pure function of the listings (like
 * reconcile-plan.ts): files without a row are deleted, rows whose file is missing are removed,
 * and windows past AUDIO_ARCHIVE_RETENTION_DAYS are deleted (row, then file).
 *
 * Guards, the same as for clips: deletions share the run's remaining `maxDeletions`; files
 * deleted in one run (orphans + expired) never exceed `maxClipShare` of the files listed; and
 * rows are not removed at all when more than `maxClipShare` of them miss their file — an empty
 * or wrongly mounted archive volume must not erase the archive's records.
 */
import { DAY_MS } from './reconcile-plan';

export interface ArchiveListings {
  /** Every file in the archive store (listed before the rows are read). */
  files: string[];
  /** Every archived row's path. */
  rows: string[];
  /** Rows of windows that ended before the retention cut-off, oldest first. */
  expired: string[];
}

export interface ArchiveGuards {
  /** Deletions this run may still make (the rest of the run's maxDeletions). */
  maxDeletions: number;
  maxShare: number;
}

export interface ArchivePlan {
  orphanFiles: string[];
  missingFiles: string[];
  expired: string[];
  stoppedBy?: string;
}

export function archiveRetentionCutoff(nowMs: number, retentionDays: number): number | undefined {
  return retentionDays > 0 ? nowMs - retentionDays * DAY_MS : undefined;
}

export function planArchiveReconciliation(listings: ArchiveListings, guards: ArchiveGuards): ArchivePlan {
  const files = new Set(listings.files);
  const rows = new Set(listings.rows);
  const maxFiles = Math.floor(guards.maxShare * listings.files.length);
  let deletions = 0;
  let fileDeletions = 0;
  let stoppedBy: string | undefined;
  const take = (costsFile: boolean): boolean => {
    if (stoppedBy) return false;
    if (deletions + 1 > guards.maxDeletions) {
      stoppedBy = `maxDeletions: more archive deletions were due than the run allows; the rest waits for the next run`;
      return false;
    }
    if (costsFile && fileDeletions + 1 > maxFiles) {
      stoppedBy = `maxClipShare: deleting more than ${maxFiles} of ${listings.files.length} archived files (${Math.round(guards.maxShare * 100)}%) in one run is refused`;
      return false;
    }
    deletions++;
    if (costsFile) fileDeletions++;
    return true;
  };

  const orphanFiles = listings.files.filter((path) => !rows.has(path)).filter(() => take(true));
  const expired = listings.expired.filter((path) => take(files.has(path)));
  const expiredSet = new Set(expired);
  const missing = listings.rows.filter((path) => !files.has(path) && !expiredSet.has(path));
  let missingFiles: string[] = [];
  if (missing.length > Math.floor(guards.maxShare * listings.rows.length)) {
    stoppedBy ??= `maxClipShare: ${missing.length} of ${listings.rows.length} archived windows miss their file (is the archive storage mounted?); none were removed`;
  } else {
    missingFiles = missing.filter(() => take(false));
  }
  return { orphanFiles, missingFiles, expired, ...(stoppedBy ? { stoppedBy } : {}) };
}
