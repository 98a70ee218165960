/**
 * The audio_archive table and the users.audio_archive switch (migrations/0012). Rows are written
 * after their file is durable and deleted before their file, so a row without a file only
 * happens when something outside removed the file (the reconciliation removes such rows).
 *
 * Empty markers (migrations/0016) are rows with `empty` true and no file at all: windows for which
 * Limitless answered 404. Every method that deals in files (find, paths, retention's expired
 * list) leaves them out; `dayWindows`, the sizes and the deletes of a user's rows include them.
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

/** A window remembered as empty (Limitless had no audio for it): a row without a file. */
export interface EmptyMarker {
  userId: string;
  localDate: string;
  windowStartMs: number;
  windowEndMs: number;
  /** When Limitless answered 404 for the window. */
  emptyAtMs: number;
}

/** PostgREST's `in` filter goes in the URL: delete in slices that keep it short. */
const SLICE = 100;
const PAGE = 1000;

/** Only for rows with a file (the CHECK of 0016 makes path, bytes and sha256 set together). */
function toRecord(row: AudioArchiveRow): ArchiveRecord {
  return {
    userId: row.user_id,
    localDate: row.local_date,
    windowStartMs: Date.parse(row.window_start),
    windowEndMs: Date.parse(row.window_end),
    bytes: Number(row.bytes),
    sha256: row.sha256 ?? '',
    path: row.path ?? '',
  };
}

function toMarker(row: AudioArchiveRow): EmptyMarker {
  return {
    userId: row.user_id,
    localDate: row.local_date,
    windowStartMs: Date.parse(row.window_start),
    windowEndMs: Date.parse(row.window_end),
    emptyAtMs: row.empty_at === null ? 0 : Date.parse(row.empty_at),
  };
}

function pathsOf(rows: Array<{ path: string | null }>): string[] {
  return rows.flatMap((row) => (row.path === null ? [] : [row.path]));
}

/** Absent dates stay absent (the contracts' optional fields), not null. */
function sizeOf(json: Record<string, unknown>): ArchiveSize {
  return {
    windows: Number(json.windows ?? 0),
    ...(json.emptyWindows === undefined ? {} : { emptyWindows: Number(json.emptyWindows) }),
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

  /** The window's archived audio; null when there is none (no row, or an empty marker). */
  async find(userId: string, windowStartMs: number): Promise<ArchiveRecord | null> {
    const rows = unwrap(
      'read archived window',
      await this.db
        .from('audio_archive')
        .select('*')
        .eq('user_id', userId)
        .eq('window_start', new Date(windowStartMs).toISOString())
        .eq('empty', false)
        .limit(1),
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
          // Replaces an empty marker of the same start too (a late upload arrived after a 404).
          empty: false,
          empty_at: null,
          bytes: record.bytes,
          sha256: record.sha256,
          path: record.path,
        },
        { onConflict: 'user_id,window_start' },
      ),
    );
  }

  /**
   * Records that Limitless had no audio for the window, unless the same start already has kept
   * audio (a marker never replaces a file's row) or a marker with a 404 at least as recent (a
   * redelivered older outcome changes nothing). A marker of the same start with another end is
   * replaced. Races: two writers of one window start are the same user's windows, written one
   * outcome at a time by the results consumer.
   */
  async upsertEmpty(marker: EmptyMarker): Promise<'recorded' | 'audio_kept' | 'already_recorded'> {
    const rows = unwrap(
      'read archived window',
      await this.db.from('audio_archive').select('*').eq('user_id', marker.userId).eq('window_start', new Date(marker.windowStartMs).toISOString()).limit(1),
    );
    const existing = rows[0];
    if (existing && !existing.empty) return 'audio_kept';
    if (existing && Date.parse(existing.window_end) === marker.windowEndMs && toMarker(existing).emptyAtMs >= marker.emptyAtMs) return 'already_recorded';
    check(
      'record empty window',
      await this.db.from('audio_archive').upsert(
        {
          user_id: marker.userId,
          local_date: marker.localDate,
          window_start: new Date(marker.windowStartMs).toISOString(),
          window_end: new Date(marker.windowEndMs).toISOString(),
          empty: true,
          empty_at: new Date(marker.emptyAtMs).toISOString(),
          bytes: null,
          sha256: null,
          path: null,
        },
        { onConflict: 'user_id,window_start' },
      ),
    );
    return 'recorded';
  }

  /** The day's rows by start: the kept windows and the empty markers, `limit` of each at most. */
  async dayWindows(userId: string, localDate: string, limit: number): Promise<{ windows: ArchiveRecord[]; empty: EmptyMarker[] }> {
    const rows = unwrap(
      'list archived windows',
      await this.db.from('audio_archive').select('*').eq('user_id', userId).eq('local_date', localDate).order('window_start').limit(2 * limit),
    );
    return {
      windows: rows.filter((row) => !row.empty).slice(0, limit).map(toRecord),
      empty: rows.filter((row) => row.empty).slice(0, limit).map(toMarker),
    };
  }

  async summary(userId: string): Promise<ArchiveSize> {
    return sizeOf(unwrap('archive summary', await this.db.rpc('giggles_archive_summary', { p_user_id: userId })) as Record<string, unknown>);
  }

  async totals(): Promise<ArchiveTotalsUser[]> {
    const users = unwrap('archive totals', await this.db.rpc('giggles_archive_totals', {})) as Array<Record<string, unknown>>;
    return users.map((u) => ({ userId: String(u.userId), ...sizeOf(u) }));
  }

  /**
   * Removes the rows of one day (or all days) of a user, empty markers included; returns the
   * paths of the kept windows (for deleting the files) and how many markers went.
   */
  async deleteUserRows(userId: string, localDate?: string): Promise<{ paths: string[]; markers: number }> {
    let query = this.db.from('audio_archive').delete().eq('user_id', userId);
    if (localDate !== undefined) query = query.eq('local_date', localDate);
    const rows = unwrap('delete archived windows', await query.select('path'));
    const paths = pathsOf(rows);
    return { paths, markers: rows.length - paths.length };
  }

  /** Every archived path (the reconciliation's side of the comparison with the storage listing). */
  async allPaths(): Promise<string[]> {
    const paths: string[] = [];
    for (let from = 0; ; from += PAGE) {
      // Markers have no file: they are never a "row without its file".
      const rows = unwrap('list archive paths', await this.db.from('audio_archive').select('path').eq('empty', false).order('path').range(from, from + PAGE - 1));
      paths.push(...pathsOf(rows));
      if (rows.length < PAGE) return paths;
    }
  }

  /** Which of these paths have a row now (checked again just before a file is deleted). */
  async existingPaths(paths: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < paths.length; i += SLICE) {
      const rows = unwrap('look up archive paths', await this.db.from('audio_archive').select('path').in('path', paths.slice(i, i + SLICE)));
      for (const path of pathsOf(rows)) found.add(path);
    }
    return found;
  }

  /** Kept windows that ended before the cutoff, oldest first (retention). */
  async expired(cutoffMs: number, limit: number): Promise<string[]> {
    const rows = unwrap(
      'list expired archive',
      await this.db.from('audio_archive').select('path').eq('empty', false).lt('window_end', new Date(cutoffMs).toISOString()).order('window_end').limit(limit),
    );
    return pathsOf(rows);
  }

  /** Empty markers of windows that ended before the cutoff go with their day's retention; how many. */
  async deleteExpiredMarkers(cutoffMs: number): Promise<number> {
    const rows = unwrap(
      'delete expired empty windows',
      await this.db.from('audio_archive').delete().eq('empty', true).lt('window_end', new Date(cutoffMs).toISOString()).select('window_start'),
    );
    return rows.length;
  }

  async deletePaths(paths: string[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < paths.length; i += SLICE) {
      deleted += unwrap('delete archive rows', await this.db.from('audio_archive').delete().in('path', paths.slice(i, i + SLICE)).select('path')).length;
    }
    return deleted;
  }
}
