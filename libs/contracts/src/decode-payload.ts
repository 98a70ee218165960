import { ContractViolation } from './contract-violation';
import { SUBJECTS } from './names';
import {
  parseDayJob,
  parseDeadLetter,
  parseJobProgress,
  parseSegmentReady,
  parseSegmentResult,
  parseWindowOutcome,
} from './parse-payloads';
import type { DayJob, DeadLetter, JobProgress, SegmentReady, SegmentResult, WindowOutcome } from './payloads';

/** The payload type each JetStream subject carries. */
export interface PayloadBySubject {
  [SUBJECTS.dayJob]: DayJob;
  [SUBJECTS.segmentReady]: SegmentReady;
  [SUBJECTS.segmentResult]: SegmentResult;
  [SUBJECTS.windowOutcome]: WindowOutcome;
  [SUBJECTS.jobProgress]: JobProgress;
}
export type PayloadSubject = keyof PayloadBySubject;
export type DeadLetterSubject = `${typeof SUBJECTS.deadLetterPrefix}${string}`;

export const PAYLOAD_PARSERS: { readonly [S in PayloadSubject]: (json: unknown) => PayloadBySubject[S] } = {
  [SUBJECTS.dayJob]: parseDayJob,
  [SUBJECTS.segmentReady]: parseSegmentReady,
  [SUBJECTS.segmentResult]: parseSegmentResult,
  [SUBJECTS.windowOutcome]: parseWindowOutcome,
  [SUBJECTS.jobProgress]: parseJobProgress,
};

/** The parser for a subject's payload (dead-letter subjects included), or undefined if it has none. */
export function payloadParserFor(subject: string): ((json: unknown) => unknown) | undefined {
  if (subject.startsWith(SUBJECTS.deadLetterPrefix)) return parseDeadLetter;
  return Object.prototype.hasOwnProperty.call(PAYLOAD_PARSERS, subject)
    ? PAYLOAD_PARSERS[subject as PayloadSubject]
    : undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → JSON value; bad UTF-8 or bad JSON is a `ContractViolation`, like any other bad payload. */
export function decodeJson(bytes: Uint8Array, contract = 'message'): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new ContractViolation(contract, ['body is not valid UTF-8']);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContractViolation(contract, [`body is not JSON (${(error as Error).message})`]);
  }
}

/** Decodes and validates a message body by the subject it arrived on. */
export function decodePayload<S extends PayloadSubject>(subject: S, bytes: Uint8Array): PayloadBySubject[S];
export function decodePayload(subject: DeadLetterSubject, bytes: Uint8Array): DeadLetter;
export function decodePayload(subject: string, bytes: Uint8Array): unknown;
export function decodePayload(subject: string, bytes: Uint8Array): unknown {
  const parse = payloadParserFor(subject);
  if (!parse) throw new ContractViolation(subject, [`no payload contract for subject ${subject}`]);
  return parse(decodeJson(bytes, subject));
}
