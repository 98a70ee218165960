/** Imported recordings (migration 0013): the only code that touches the imports table. */
import { Inject, Injectable } from '@nestjs/common';
import { IMPORT_STATUS_SCAN, type ImportBeginReply, type ImportBeginRequest, type ImportFailure, type ImportRecord } from '@giggles/contracts';
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

  /**
   * For `giggles status`: how many of the user's newest IMPORT_STATUS_SCAN imports were refused or
   * failed in processing, and the newest of them. Reads the same records the upload page shows
   * (giggles_imports_list), so "failed" means what it means there.
   */
  async failures(userId: string): Promise<{ failedImports: number; lastImportError?: ImportFailure }> {
    const failed = (await this.list(userId, IMPORT_STATUS_SCAN)).filter((i) => i.state === 'rejected' || i.state === 'failed');
    const newest = failed[0];
    return {
      failedImports: failed.length,
      ...(newest ? { lastImportError: { at: newest.createdAt, fileName: newest.fileName, error: newest.error ?? { code: newest.state, message: `import ${newest.state}` } } } : {}),
    };
  }
}
