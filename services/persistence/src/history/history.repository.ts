/** Backfills and Limitless outages (migration 0011): the only code that touches their tables. */
import { Inject, Injectable } from '@nestjs/common';
import type { ApiOutage, ApiOutageSetRequest, BackfillPlanReply, BackfillProgress } from '@giggles/contracts';
import { unwrap, unwrapNullable } from '../database/database-error';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

/** PostgREST/jsonb timestamps carry microseconds and an offset; the wire wants plain ISO. */
function iso(value: string): string {
  return new Date(value).toISOString();
}

function progressFromRow(row: BackfillProgress): BackfillProgress {
  return {
    ...row,
    startedAt: iso(row.startedAt),
    updatedAt: iso(row.updatedAt),
    ...(row.givenUp ? { givenUp: row.givenUp.map((g) => ({ ...g, at: iso(g.at) })) } : {}),
  };
}

function outageFromRow(row: ApiOutage): ApiOutage {
  return {
    userId: row.userId,
    email: row.email,
    ...(row.unreachableSince ? { unreachableSince: iso(row.unreachableSince) } : {}),
    ...(row.pausedAt ? { pausedAt: iso(row.pausedAt) } : {}),
    ...(row.pauseReason ? { pauseReason: row.pauseReason } : {}),
    ...(row.lastProbeAt ? { lastProbeAt: iso(row.lastProbeAt) } : {}),
  };
}

@Injectable()
export class HistoryRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  async startBackfill(userId: string, from: string, to: string): Promise<BackfillProgress> {
    const row = unwrap('start backfill', await this.db.rpc('giggles_backfill_start', { p_user_id: userId, p_from: from, p_to: to }));
    return progressFromRow(row as unknown as BackfillProgress);
  }

  /** undefined when the user has no backfill. */
  async setBackfillState(userId: string, state: 'active' | 'paused'): Promise<BackfillProgress | undefined> {
    const row = unwrapNullable('set backfill state', await this.db.rpc('giggles_backfill_set_state', { p_user_id: userId, p_state: state }));
    return row ? progressFromRow(row as unknown as BackfillProgress) : undefined;
  }

  async backfillProgress(userId?: string): Promise<BackfillProgress[]> {
    const rows = unwrap('backfill progress', await this.db.rpc('giggles_backfill_progress', userId ? { p_user_id: userId } : {}));
    return (rows as unknown as BackfillProgress[]).map(progressFromRow);
  }

  async backfillPlan(limitPerUser: number): Promise<BackfillPlanReply> {
    return unwrap('backfill plan', await this.db.rpc('giggles_backfill_plan', { p_limit: limitPerUser })) as unknown as BackfillPlanReply;
  }

  async outages(): Promise<ApiOutage[]> {
    const rows = unwrap('api outages', await this.db.rpc('giggles_api_outages', {}));
    return (rows as unknown as ApiOutage[]).map(outageFromRow);
  }

  /** undefined when the user does not exist. */
  async setOutage(request: ApiOutageSetRequest): Promise<ApiOutage | undefined> {
    const row = unwrapNullable(
      'set api outage',
      await this.db.rpc('giggles_api_outage_set', {
        p_user_id: request.userId,
        p_action: request.action,
        ...(request.reason !== undefined ? { p_reason: request.reason } : {}),
      }),
    );
    return row ? outageFromRow(row as unknown as ApiOutage) : undefined;
  }

  /** The backfill stops retrying the day (0014); false when it already had. */
  async giveUpBackfillDay(userId: string, localDate: string, reason: string): Promise<boolean> {
    const reply = unwrap('give up backfill day', await this.db.rpc('giggles_backfill_give_up', { p_user_id: userId, p_date: localDate, p_reason: reason }));
    return (reply as unknown as { updated: boolean }).updated;
  }

  /** Removes a registered job that never started; false when there is none or it started (0014). */
  async discardJob(userId: string, jobId: string): Promise<boolean> {
    const reply = unwrap('discard job', await this.db.rpc('giggles_discard_job', { p_user_id: userId, p_job_id: jobId }));
    return (reply as unknown as { discarded: boolean }).discarded;
  }
}
