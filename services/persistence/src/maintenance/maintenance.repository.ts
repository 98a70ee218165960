/**
 * The database side of the reconciliation run: listings of clip references and expired rows,
 * and the deletions and repairs the plan decided. Listings are paged (hosted PostgREST caps a
 * response at 1000 rows); id lists go out in batches that keep request URLs short.
 */
import { Inject, Injectable } from '@nestjs/common';
import { check, unwrap } from '../database/database-error';
import { type LaughterDetectionRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { isoToMs, msToIso } from '../database/time';
import { type ClipReference, type ExpiredDetection } from './reconcile-plan';

const PAGE = 1000;
const ID_BATCH = 100;

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ID_BATCH) out.push(items.slice(i, i + ID_BATCH));
  return out;
}

export interface StuckJobs {
  /** Jobs planned or running when the run looked. */
  inFlight: number;
  /** Of those, the ones with no update since the cut-off (failed unless dry run). */
  stuck: number;
}

@Injectable()
export class MaintenanceRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** Every detection (live or tombstone) with a clip path. */
  async listClipReferences(): Promise<ClipReference[]> {
    const found: ClipReference[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const rows = unwrap(
        'list clip references',
        await this.db
          .from('laughter_detections')
          .select('id, clip_path, deleted_at, event_start, created_at')
          .not('clip_path', 'is', null)
          .order('id')
          .range(offset, offset + PAGE - 1),
      ) as Array<Pick<LaughterDetectionRow, 'id' | 'clip_path' | 'deleted_at' | 'event_start' | 'created_at'>>;
      for (const row of rows) {
        found.push({
          detectionId: row.id,
          clipPath: row.clip_path as string,
          live: row.deleted_at === null,
          eventStartMs: isoToMs(row.event_start),
          createdAtMs: row.created_at ? isoToMs(row.created_at) : 0,
        });
      }
      if (rows.length < PAGE) return found;
    }
  }

  /** Which of these paths a detection row refers to now (checked again right before deleting). */
  async referencedClipPaths(paths: readonly string[]): Promise<Set<string>> {
    const referenced = new Set<string>();
    for (const batch of batches(paths)) {
      const rows = unwrap(
        'check clip references',
        await this.db.from('laughter_detections').select('clip_path').in('clip_path', batch),
      ) as Array<Pick<LaughterDetectionRow, 'clip_path'>>;
      for (const row of rows) if (row.clip_path) referenced.add(row.clip_path);
    }
    return referenced;
  }

  /** Detections (live or tombstone) whose event started before `cutoffMs`, oldest first. */
  async listExpiredDetections(cutoffMs: number, limit: number): Promise<ExpiredDetection[]> {
    if (limit <= 0) return [];
    const rows = unwrap(
      'list expired detections',
      await this.db
        .from('laughter_detections')
        .select('id, clip_path')
        .lt('timestamp', msToIso(cutoffMs))
        .order('timestamp')
        .order('id')
        .limit(limit),
    ) as Array<Pick<LaughterDetectionRow, 'id' | 'clip_path'>>;
    return rows.map((row) => ({ id: row.id, clipPath: row.clip_path }));
  }

  /** Deletes detections; returns how many rows went. */
  async deleteDetections(ids: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const batch of batches(ids)) {
      const rows = unwrap('delete expired detections', await this.db.from('laughter_detections').delete().in('id', batch).select('id'));
      deleted += rows.length;
    }
    return deleted;
  }

  /** Clears the clip path of live detections (their file is gone or about to go). */
  async clearClipPaths(ids: readonly string[]): Promise<number> {
    let cleared = 0;
    for (const batch of batches(ids)) {
      const rows = unwrap(
        'clear clip paths',
        await this.db
          .from('laughter_detections')
          .update({ clip_path: null })
          .in('id', batch)
          .not('clip_path', 'is', null)
          .select('id'),
      );
      cleared += rows.length;
    }
    return cleared;
  }

  /** Processing-log rows of local days before `cutoffDate` (YYYY-MM-DD), oldest first. */
  async listExpiredLogIds(cutoffDate: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = unwrap(
      'list expired logs',
      await this.db.from('processing_logs').select('id').lt('date', cutoffDate).order('date').order('id').limit(limit),
    ) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  async deleteLogs(ids: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const batch of batches(ids)) {
      const result = await this.db.from('processing_logs').delete({ count: 'exact' }).in('id', batch);
      check('delete expired logs', result);
      deleted += result.count ?? 0;
    }
    return deleted;
  }

  /** Fails planned/running jobs with no update since `cutoffMs` (code 'stuck'); dry run only counts. */
  /** Accepted imports with no progress since the cutoff are marked failed (IMPORT_INTERRUPTED, migration 0017). */
  async markInterruptedImports(cutoffMs: number, message: string, dryRun: boolean): Promise<{ processing: number; interrupted: number }> {
    return unwrap(
      'mark interrupted imports',
      await this.db.rpc('giggles_imports_mark_interrupted', { p_cutoff: msToIso(cutoffMs), p_message: message, p_dry_run: dryRun }),
    ) as unknown as { processing: number; interrupted: number };
  }

  async failStuckJobs(cutoffMs: number, message: string, dryRun: boolean): Promise<StuckJobs> {
    return unwrap(
      'fail stuck jobs',
      await this.db.rpc('giggles_fail_stuck_jobs', { p_cutoff: msToIso(cutoffMs), p_message: message, p_dry_run: dryRun }),
    ) as unknown as StuckJobs;
  }
}
