/**
 * A user's local days for the gateway (migrations/0010): day summaries (newest first, paged),
 * one day's windows, trends, and a job's progress. Everything is aggregated in SQL.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type CoverageWindow, type JobProgressReply, type TrendsReply } from '@giggles/contracts';
import { unwrap, unwrapNullable } from '../database/database-error';
import { type AudioSegmentRow, type DaySummaryRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { isoToMs } from '../database/time';

type WindowColumns = Pick<AudioSegmentRow, 'start_time' | 'end_time' | 'status' | 'decoded_seconds' | 'processed'>;

@Injectable()
export class UserDaysRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** Up to `limit` days before `before` (exclusive), newest first; or only `localDate`. */
  async daySummaries(userId: string, options: { before?: string; limit: number; localDate?: string }): Promise<DaySummaryRow[]> {
    const rows = unwrap(
      'list day summaries',
      await this.db.rpc('giggles_day_summaries', {
        p_user_id: userId,
        p_limit: options.limit,
        ...(options.before ? { p_before: options.before } : {}),
        ...(options.localDate ? { p_date: options.localDate } : {}),
      }),
    );
    return rows.map((row) => ({
      ...row,
      laugh_count: Number(row.laugh_count),
      laugh_seconds: Number(row.laugh_seconds),
      mean_probability: row.mean_probability === null ? null : Number(row.mean_probability),
      audio_seconds: Number(row.audio_seconds),
      windows_processed: Number(row.windows_processed),
      windows_empty: Number(row.windows_empty),
      windows_gap: Number(row.windows_gap),
      windows_failed: Number(row.windows_failed),
      rejected_count: Number(row.rejected_count),
      jobs_in_flight: Number(row.jobs_in_flight),
      in_flight_planned: Number(row.in_flight_planned),
      in_flight_done: Number(row.in_flight_done),
    }));
  }

  /** The day's windows in time order (legacy windows without decoded seconds count their length when processed). */
  async dayWindows(userId: string, localDate: string): Promise<CoverageWindow[]> {
    const rows = unwrap(
      'list day windows',
      await this.db
        .from('audio_segments')
        .select('start_time, end_time, status, decoded_seconds, processed')
        .eq('user_id', userId)
        .eq('date', localDate)
        .order('start_time'),
    ) as WindowColumns[];
    return rows.map((row) => {
      const startMs = isoToMs(row.start_time);
      const endMs = Math.max(startMs, isoToMs(row.end_time));
      const audioSeconds = row.decoded_seconds ?? (row.processed ? (endMs - startMs) / 1000 : 0);
      return { startMs, endMs, status: row.status, audioSeconds: Math.max(0, Number(audioSeconds)) };
    });
  }

  async trends(userId: string, from: string, to: string): Promise<TrendsReply> {
    const reply = unwrap('compute trends', await this.db.rpc('giggles_trends', { p_user_id: userId, p_from: from, p_to: to })) as unknown as TrendsReply;
    return {
      ...reply,
      days: reply.days.map((day) => ({
        ...day,
        laughSeconds: Number(day.laughSeconds),
        audioSeconds: Number(day.audioSeconds),
        movingAverage7: Number(day.movingAverage7),
      })),
    };
  }

  /** Null for an unknown job or another user's. */
  async jobProgress(userId: string, jobId: string): Promise<JobProgressReply | null> {
    const reply = unwrapNullable('read job progress', await this.db.rpc('giggles_job_progress', { p_user_id: userId, p_job_id: jobId }));
    return reply as unknown as JobProgressReply | null;
  }
}
