/** Per-day summaries: the web app's day list and the scheduler's due days. */
import { Inject, Injectable } from '@nestjs/common';
import { type DueDay, type DueReason, type UserDaySummary } from '@giggles/contracts';
import { check, unwrap } from '../database/database-error';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

/**
 * What giggles_clear_days removed, or what stopped it: jobs of those days in flight, or Limitless
 * unreachable while some days hold processed windows the audio archive does not keep (daysAtRisk).
 */
export type ClearedDays =
  | { conflict: true; reason: 'jobs_in_flight'; jobsInFlight: string[] }
  | { conflict: true; reason: 'api_unreachable'; daysAtRisk: string[] }
  | {
      conflict: false;
      detectionsRemoved: number;
      windowsRemoved: number;
      logsRemoved: number;
      jobsRemoved: number;
      /** Clip files of the removed detections: to delete once the transaction has committed. */
      clipPaths: string[];
    };

export interface DaySummary extends UserDaySummary {
  /** Decoded audio of the day's windows (seconds). */
  audioSeconds: number;
}

@Injectable()
export class DaysRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** Days with any window outcome, newest first, optionally within [from, to] (inclusive). */
  async userDays(userId: string, from?: string, to?: string): Promise<DaySummary[]> {
    const rows = unwrap(
      'list user days',
      await this.db.rpc('giggles_user_days', {
        p_user_id: userId,
        ...(from ? { p_from: from } : {}),
        ...(to ? { p_to: to } : {}),
      }),
    );
    return rows.map((row) => ({
      localDate: row.date,
      laughCount: Number(row.detections),
      audioSeconds: Number(row.audio_seconds),
      windowsProcessed: Number(row.windows_processed),
      windowsEmpty: Number(row.windows_empty),
      windowsGap: Number(row.windows_gap),
      windowsFailed: Number(row.windows_failed),
    }));
  }

  /**
   * Local days in [from, to] that still need a run, oldest first. With `timezone`, only a
   * whole-day job over the day's range in that zone covers it (migrations/0009).
   */
  async dueDays(userId: string, from: string, to: string, timezone?: string): Promise<DueDay[]> {
    const rows = unwrap(
      'list due days',
      await this.db.rpc('giggles_due_days', {
        p_user_id: userId,
        p_from: from,
        p_to: to,
        ...(timezone ? { p_timezone: timezone } : {}),
      }),
    );
    return rows.map((row) => ({
      localDate: row.local_date,
      reason: row.reason as DueReason,
      retries: Number(row.retries),
      ...(row.last_run_at ? { lastRunAt: new Date(row.last_run_at).toISOString() } : {}),
    }));
  }

  /** The user's jobs still planned or running. */
  async jobsInFlight(userId: string): Promise<number> {
    const result = await this.db
      .from('jobs')
      .select('job_id', { count: 'exact', head: true })
      .eq('user_id', userId)
      .in('status', ['planned', 'running']);
    check('count jobs in flight', result);
    return result.count ?? 0;
  }

  /**
   * Removes local days [from, to] before a reprocess, in one transaction: live detections,
   * windows, job-written logs, finished jobs; tombstones and imported recordings' results stay.
   * Nothing happens while a job of those days is in flight, nor while Limitless is unreachable
   * (as the jobs tell, or `limitlessUnreachable`: the caller's probe just now) and some of the
   * days hold results whose audio is not archived.
   */
  async clearDays(userId: string, from: string, to: string, limitlessUnreachable = false): Promise<ClearedDays> {
    const reply = unwrap(
      'clear days',
      await this.db.rpc('giggles_clear_days', { p_user_id: userId, p_from: from, p_to: to, p_limitless_unreachable: limitlessUnreachable }),
    ) as unknown as ClearedDays;
    return reply;
  }
}
