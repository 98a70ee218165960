/**
 * How a consumer's handler says what went wrong. A `TransientError` (or any error that is not
 * permanent) is retried with backoff; a `PermanentError` or a `ContractViolation` goes straight
 * to the dead-letter stream, because retrying cannot change the outcome.
 */

export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** By name as well as class, so a second copy of a lib in node_modules cannot break the check. */
export function isPermanentError(error: unknown): boolean {
  if (error instanceof PermanentError) return true;
  return error instanceof Error && (error.name === 'PermanentError' || error.name === 'ContractViolation');
}
