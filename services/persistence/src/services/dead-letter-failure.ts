/**
 * What a dead-lettered result means for the user: the window (or the whole job) failed, with the
 * dead letter's reason as the error. Recorded through the same write functions as any outcome,
 * so it lands in the day's processing log (`errors`, `windows_failed`), moves the job's counters,
 * and lets the job finish instead of waiting forever for a window that will never report.
 *
 * A message that failed validation is attributed only when its identifying fields (job, user,
 * local day, trigger, window) still pass the contract on their own; otherwise nobody can be told
 * and the dead-letter stream is the only record.
 */
import {
  parseJobProgress,
  parseWindowOutcome,
  SUBJECTS,
  type ErrorInfo,
  type JobProgress,
  type LimitlessCall,
  type WindowOutcome,
} from '@giggles/contracts';
import { type ResultMessage } from './result-message';

export const DEAD_LETTER_ERROR_CODE = 'dead_letter';
/** Long enough for a validator's list of problems; the dead letter itself keeps the full reason. */
const MAX_MESSAGE_LENGTH = 2_000;

export type FailureRecord = { kind: 'window'; outcome: WindowOutcome } | { kind: 'job'; progress: JobProgress };

const WINDOW_FIELDS = ['jobId', 'userId', 'localDate', 'trigger', 'windowStartMs', 'windowEndMs'] as const;
const JOB_FIELDS = ['jobId', 'userId', 'localDate', 'timezone', 'trigger', 'windowsPlanned', 'windowsSkipped'] as const;

export function failureRecordFor(
  subject: string,
  message: ResultMessage | undefined,
  rawPayload: string,
  reason: string,
  at: Date = new Date(),
): FailureRecord | null {
  const source = message ? (message.payload as unknown as Record<string, unknown>) : parseObject(rawPayload);
  if (!source) return null;
  const error: ErrorInfo = {
    code: DEAD_LETTER_ERROR_CODE,
    message: reason.length > MAX_MESSAGE_LENGTH ? `${reason.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : reason,
  };
  try {
    if (subject === SUBJECTS.segmentResult || subject === SUBJECTS.windowOutcome) {
      // A valid message's Limitless calls still count in the log; an invalid one's are not trusted.
      const limitlessCalls: LimitlessCall[] = message && message.kind !== 'job' ? message.payload.limitlessCalls : [];
      return {
        kind: 'window',
        outcome: parseWindowOutcome({ ...pick(source, WINDOW_FIELDS), status: 'failed', limitlessCalls, error }),
      };
    }
    if (subject === SUBJECTS.jobProgress) {
      return {
        kind: 'job',
        progress: parseJobProgress({ ...pick(source, JOB_FIELDS), status: 'failed', at: at.toISOString(), error }),
      };
    }
  } catch {
    // The identifying fields themselves are broken: there is no user to tell.
  }
  return null;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}
