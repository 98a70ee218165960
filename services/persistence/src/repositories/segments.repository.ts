/** Window outcomes, for ingestion's planner (which windows of a range need no download). */
import { Inject, Injectable } from '@nestjs/common';
import { type WindowRecord, type WindowStatus } from '@giggles/contracts';
import { unwrap } from '../database/database-error';
import { type AudioSegmentRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { isoToMs, msToIso } from '../database/time';

/** Statuses that mean "done": gap and failed windows are to be tried again. */
export const DONE_WINDOW_STATUSES: readonly WindowStatus[] = ['processed', 'empty'];

@Injectable()
export class SegmentsRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /**
   * Every window with an outcome that lies within [startMs, endMs), by start time, with the
   * trigger of the job that recorded it last and when (ingestion treats windows a 'today' run
   * recorded shortly after they ended as provisional).
   */
  async windowsWithOutcome(userId: string, startMs: number, endMs: number): Promise<WindowRecord[]> {
    const rows = unwrap(
      'list windows',
      await this.db
        .from('audio_segments')
        .select('start_time, end_time, status, trigger, created_at, updated_at')
        .eq('user_id', userId)
        .gte('start_time', msToIso(startMs))
        .lte('end_time', msToIso(endMs))
        .order('start_time'),
    ) as Array<Pick<AudioSegmentRow, 'start_time' | 'end_time' | 'status' | 'trigger' | 'created_at' | 'updated_at'>>;
    return rows.map((row) => {
      const recordedAt = row.updated_at ?? row.created_at;
      return {
        startMs: isoToMs(row.start_time),
        endMs: isoToMs(row.end_time),
        status: row.status,
        ...(row.trigger ? { trigger: row.trigger } : {}),
        ...(recordedAt ? { recordedAtMs: isoToMs(recordedAt) } : {}),
      };
    });
  }

  /** The windows of [startMs, endMs) that need no new download (processed or empty). */
  async windowsDone(userId: string, startMs: number, endMs: number): Promise<WindowRecord[]> {
    const windows = await this.windowsWithOutcome(userId, startMs, endMs);
    return windows.filter((window) => DONE_WINDOW_STATUSES.includes(window.status));
  }
}
