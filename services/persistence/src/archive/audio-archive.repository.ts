/**
 * The audio_archive table and the users.audio_archive switch (migrations/0012). Rows are written
 * after their file is durable and deleted before their file, so a row without a file only
 * happens when something outside removed the file (the reconciliation removes such rows).
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ArchiveSize, type ArchiveTotalsUser } from '@giggles/contracts';
import { check, unwrap } from '../database/database-error';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { type AudioArchiveRow } from '../database/database.types';

export interface ArchiveRecord {
  userId: string;
  localDate: string;
  windowStartMs: number;
  windowEndMs: number;
  bytes: number;
  sha256: string;
  path: string;
}

/** PostgREST's `in` filter goes in the URL: delete in slices that keep it short. */
const SLICE = 100;
const PAGE = 1000;

function toRecord(row: AudioArchiveRow): ArchiveRecord {
  return {
    userId: row.user_id,
    localDate: row.local_date,
    windowStartMs: Date.parse(row.window_start),
    windowEndMs: Date.parse(row.window_end),
    bytes: Number(row.bytes),
    sha256: row.sha256,
    path: row.path,
  };
}

/** Absent dates stay absent (the contracts' optional fields), not null. */
function sizeOf(json: Record<string, unknown>): ArchiveSize {
  return {
    windows: Number(json.windows ?? 0),
    bytes: Number(json.bytes ?? 0),
    days: Number(json.days ?? 0),
    ...(typeof json.oldestDate === 'string' ? { oldestDate: json.oldestDate } : {}),
    ...(typeof json.newestDate === 'string' ? { newestDate: json.newestDate } : {}),
  };
}

@Injectable()
export class AudioArchiveRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** The user's switch; null when the user has no row. */
  async isEnabled(userId: string): Promise<boolean | null> {
    const rows = unwrap('read archive switch', await this.db.from('users').select('audio_archive').eq('id', userId).limit(1));
    return rows.length === 0 ? null : rows[0].audio_archive === true;
  }

  /** False when the user has no row. */
  async setEnabled(userId: string, enabled: boolean): Promise<boolean> {
    const rows = unwrap('set archive switch', await this.db.from('users').update({ audio_archive: enabled }).eq('id', userId).select('id'));
    return rows.length > 0;
  }

  async find(userId: string, windowStartMs: number): Promise<ArchiveRecord | null> {
    const rows = unwrap(
      'read archived window',
      await this.db.from('audio_archive').select('*').eq('user_id', userId).eq('window_start', new Date(windowStartMs).toISOString()).limit(1),
    );
    return rows.length === 0 ? null : toRecord(rows[0]);
  }

  /** Inserts, or replaces the row of the same window start (a longer download of the same window). */
  async upsert(record: ArchiveRecord): Promise<void> {
    check(
      'record archived window',
      await this.db.from('audio_archive').upsert(
        {
          user_id: record.userId,
          local_date: record.localDate,
          window_start: new Date(record.windowStartMs).toISOString(),
          window_end: new Date(record.windowEndMs).toISOString(),
          bytes: record.bytes,
          sha256: record.sha256,
          path: record.path,
        },
        { onConflict: 'user_id,window_start' },
      ),
    );
  }

  async dayWindows(userId: string, localDate: string, limit: number): Promise<ArchiveRecord[]> {
    const rows = unwrap(
      'list archived windows',
      await this.db.from('audio_archive').select('*').eq('user_id', userId).eq('local_date', localDate).order('window_start').limit(limit),
    );
    return rows.map(toRecord);
  }

  async summary(userId: string): Promise<ArchiveSize> {
    return sizeOf(unwrap('archive summary', await this.db.rpc('giggles_archive_summary', { p_user_id: userId })) as Record<string, unknown>);
  }

  async totals(): Promise<ArchiveTotalsUser[]> {
    const users = unwrap('archive totals', await this.db.rpc('giggles_archive_totals', {})) as Array<Record<string, unknown>>;
    return users.map((u) => ({ userId: String(u.userId), ...sizeOf(u) }));
  }

  /** Removes the rows of one day (or all days) of a user; returns their paths for deleting the files. */
  async deleteUserRows(userId: string, localDate?: string): Promise<string[]> {
    let query = this.db.from('audio_archive').delete().eq('user_id', userId);
    if (localDate !== undefined) query = query.eq('local_date', localDate);
    return unwrap('delete archived windows', await query.select('path')).map((row) => row.path);
  }

  /** Every archived path (the reconciliation's side of the comparison with the storage listing). */
  async allPaths(): Promise<string[]> {
    const paths: string[] = [];
    for (let from = 0; ; from += PAGE) {
      const rows = unwrap('list archive paths', await this.db.from('audio_archive').select('path').order('path').range(from, from + PAGE - 1));
      paths.push(...rows.map((row) => row.path));
      if (rows.length < PAGE) return paths;
    }
  }

  /** Which of these paths have a row now (checked again just before a file is deleted). */
  async existingPaths(paths: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < paths.length; i += SLICE) {
      const rows = unwrap('look up archive paths', await this.db.from('audio_archive').select('path').in('path', paths.slice(i, i + SLICE)));
      for (const row of rows) found.add(row.path);
    }
    return found;
  }

  /** Windows that ended before the cutoff, oldest first (retention). */
  async expired(cutoffMs: number, limit: number): Promise<string[]> {
    const rows = unwrap(
      'list expired archive',
      await this.db.from('audio_archive').select('path').lt('window_end', new Date(cutoffMs).toISOString()).order('window_end').limit(limit),
    );
    return rows.map((row) => row.path);
  }

  async deletePaths(paths: string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < paths.length; i += SLICE) {
      deleted += unwrap('delete archive rows', await this.db.from('audio_archive').delete().in('path', paths.slice(i, i + SLICE)).select('path')).length;
    }
    return deleted;
  }
}
