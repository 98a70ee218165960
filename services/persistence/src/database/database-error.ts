/**
 * supabase-js reports failures as `{ error }` values; repositories turn them into thrown
 * DatabaseErrors so callers (NATS handlers) can nak and retry. The message names the operation
 * and PostgREST's error, never the payload (which may hold user data).
 */
export interface PostgrestLikeError {
  message: string;
  code?: string;
  details?: string | null;
  hint?: string | null;
}

export class DatabaseError extends Error {
  constructor(
    readonly operation: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`${operation} failed: ${message}${code ? ` (${code})` : ''}`);
    this.name = 'DatabaseError';
  }

  /** Postgres class 22 (bad data) and 23 (constraint) will fail again on retry. */
  get permanent(): boolean {
    return this.code !== undefined && /^2[23]/.test(this.code);
  }
}

export function unwrap<T>(operation: string, result: { data: T | null; error: PostgrestLikeError | null }): T {
  if (result.error) throw new DatabaseError(operation, result.error.code, result.error.message);
  if (result.data === null) throw new DatabaseError(operation, undefined, 'no data returned');
  return result.data;
}

/** For writes whose response body is not needed (`Prefer: return=minimal`). */
export function check(operation: string, result: { error: PostgrestLikeError | null }): void {
  if (result.error) throw new DatabaseError(operation, result.error.code, result.error.message);
}

/** For functions that answer SQL NULL when there is nothing (another user's row, no such id). */
export function unwrapNullable<T>(operation: string, result: { data: T | null; error: PostgrestLikeError | null }): T | null {
  if (result.error) throw new DatabaseError(operation, result.error.code, result.error.message);
  return result.data;
}
