/** Imported recordings (migration 0013): the only code that touches the imports table. */
import { Inject, Injectable } from '@nestjs/common';
import type { ImportBeginReply, ImportBeginRequest, ImportRecord } from '@giggles/contracts';
import { unwrap } from '../database/database-error';
import type { JsonValue } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

/** PostgREST/jsonb timestamps carry microseconds and an offset; the wire wants plain ISO. */
function fromRow(row: ImportRecord): ImportRecord {
  return { ...row, createdAt: new Date(row.createdAt).toISOString() };
}

@Injectable()
export class ImportsRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  async begin(request: ImportBeginRequest): Promise<ImportBeginReply> {
    const reply = unwrap('begin import', await this.db.rpc('giggles_import_begin', { payload: request as unknown as JsonValue })) as unknown as ImportBeginReply;
    return { import: fromRow(reply.import), duplicate: reply.duplicate };
  }

  async list(userId: string, limit: number, importId?: string): Promise<ImportRecord[]> {
    const rows = unwrap(
      'list imports',
      await this.db.rpc('giggles_imports_list', { p_user_id: userId, p_limit: limit, ...(importId ? { p_import_id: importId } : {}) }),
    );
    return (rows as unknown as ImportRecord[]).map(fromRow);
  }
}
