/**
 * One user's laughs for the gateway (migrations/0010): a day's page, notes and review marks,
 * deleting a day, the export pages and a laugh's clip path. Laughs come back in the contracts'
 * `Laugh` shape, built in SQL (giggles_internal.laugh_json).
 */
import { Inject, Injectable } from '@nestjs/common';
import { type Laugh, type ReviewLabel } from '@giggles/contracts';
import { unwrap, unwrapNullable } from '../database/database-error';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

export interface DayLaughsPage {
  total: number;
  laughs: Laugh[];
}

/** What to change on a laugh: absent = leave alone, null = clear. */
export interface LaughChange {
  notes?: string | null;
  review?: ReviewLabel | null;
}

export interface DeletedDay {
  laughsDeleted: number;
  clipPaths: string[];
}

@Injectable()
export class LaughsRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  async dayLaughs(userId: string, localDate: string, page: { minProbability: number; offset: number; limit: number }): Promise<DayLaughsPage> {
    const reply = unwrap(
      'list day laughs',
      await this.db.rpc('giggles_day_laughs', {
        p_user_id: userId,
        p_date: localDate,
        p_min_probability: page.minProbability,
        p_offset: page.offset,
        p_limit: page.limit,
      }),
    ) as unknown as DayLaughsPage;
    return { total: Number(reply.total), laughs: reply.laughs };
  }

  /** The laugh after the change; null when it is not the user's live laugh. */
  async updateLaugh(userId: string, laughId: string, change: LaughChange): Promise<Laugh | null> {
    const reply = unwrapNullable(
      'update laugh',
      await this.db.rpc('giggles_update_laugh', {
        p_user_id: userId,
        p_laugh_id: laughId,
        p_set_notes: change.notes !== undefined,
        p_notes: change.notes ?? null,
        p_set_review: change.review !== undefined,
        p_review: change.review ?? null,
      }),
    );
    return reply as unknown as Laugh | null;
  }

  /** Tombstones the local day's live laughs; their clip paths are the caller's to delete. */
  async deleteDay(userId: string, localDate: string): Promise<DeletedDay> {
    return unwrap('delete day', await this.db.rpc('giggles_delete_day', { p_user_id: userId, p_date: localDate })) as unknown as DeletedDay;
  }

  /** One export page in (start, id) order after `after`. */
  async exportPage(userId: string, after: { startMs: number; id: string } | undefined, limit: number): Promise<Laugh[]> {
    return unwrap(
      'export laughs',
      await this.db.rpc('giggles_export_laughs', {
        p_user_id: userId,
        ...(after ? { p_after_ms: after.startMs, p_after_id: after.id } : {}),
        p_limit: limit,
      }),
    ) as unknown as Laugh[];
  }

  /**
   * The clip of the user's live laugh: `{found: false}` for another user's, a deleted or an
   * unknown laugh; `clipPath` null when the laugh has no clip.
   */
  async laughClip(userId: string, laughId: string): Promise<{ found: boolean; clipPath: string | null }> {
    const rows = unwrap(
      'find laugh clip',
      await this.db.from('laughter_detections').select('clip_path').eq('id', laughId).eq('user_id', userId).is('deleted_at', null).limit(1),
    ) as Array<{ clip_path: string | null }>;
    return rows[0] ? { found: true, clipPath: rows[0].clip_path } : { found: false, clipPath: null };
  }
}
