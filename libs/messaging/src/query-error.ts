import { QUERY_ERROR_CODES } from '@giggles/contracts';

/** Codes the client adds for failures that never reached a responder. */
export const QUERY_CLIENT_ERROR_CODES = {
  timeout: 'timeout',
  noResponders: 'no_responders',
} as const;

/**
 * A query that failed with a code. Handlers throw it to answer `{ok: false, error: {code,
 * message}}` (e.g. `new QueryError('not_found', 'no key for user')`); `request()` throws it when
 * the answer is a failure or never came.
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  static notFound(message: string): QueryError {
    return new QueryError(QUERY_ERROR_CODES.notFound, message);
  }
}
