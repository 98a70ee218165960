import { isLocalDate } from '@giggles/contracts';
import { OperatorError } from './operator-errors';

/** Loose on purpose: the scheduler is the judge of who exists; this only catches typos early. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireEmail(value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw OperatorError.usage('--user EMAIL is required');
  const email = value.trim();
  if (!EMAIL.test(email) || email.length > 320) throw OperatorError.usage(`--user must be an e-mail address, got "${value}"`);
  return email;
}

/** A real calendar date as YYYY-MM-DD (2025-02-30 is refused here, before anything is sent). */
export function requireDate(flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw OperatorError.usage(`${flag} YYYY-MM-DD is required`);
  if (!isLocalDate(value.trim())) throw OperatorError.usage(`${flag} must be a real calendar date as YYYY-MM-DD, got "${value}"`);
  return value.trim();
}
