/** Per-day summaries: the web app's day list and the scheduler's due days. */
import { Inject, Injectable } from '@nestjs/common';
import { type DueDay, type DueReason, type UserDaySummary } from '@giggles/contracts';
import { unwrap } from '../database/database-error';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

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

  /** Local days in [from, to] that still need a run, oldest first. */
  async dueDays(userId: string, from: string, to: string): Promise<DueDay[]> {
    const rows = unwrap(
      'list due days',
      await this.db.rpc('giggles_due_days', { p_user_id: userId, p_from: from, p_to: to }),
    );
    return rows.map((row) => ({ localDate: row.local_date, reason: row.reason as DueReason }));
  }
}
