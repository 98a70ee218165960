import { ApiError } from '../api/client';

/** The words to show for a failed action: the gateway's message, or a plain fallback. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong — try again.';
}
