/**
 * The three payloads of the results stream, tagged by kind. Decoding goes by the subject a
 * message arrived on, through the contracts' validators: anything else is a ContractViolation,
 * which the consumer runner dead-letters at once.
 */
import {
  ContractViolation,
  decodePayload,
  SUBJECTS,
  type JobProgress,
  type SegmentResult,
  type WindowOutcome,
} from '@giggles/contracts';

export type ResultMessage =
  | { kind: 'segment'; payload: SegmentResult }
  | { kind: 'window'; payload: WindowOutcome }
  | { kind: 'job'; payload: JobProgress };

export type ResultKind = ResultMessage['kind'];

export function decodeResultMessage(data: Uint8Array, subject: string): ResultMessage {
  switch (subject) {
    case SUBJECTS.segmentResult:
      return { kind: 'segment', payload: decodePayload(SUBJECTS.segmentResult, data) };
    case SUBJECTS.windowOutcome:
      return { kind: 'window', payload: decodePayload(SUBJECTS.windowOutcome, data) };
    case SUBJECTS.jobProgress:
      return { kind: 'job', payload: decodePayload(SUBJECTS.jobProgress, data) };
    default:
      throw new ContractViolation(subject, [`persistence has no handler for subject ${subject}`]);
  }
}
