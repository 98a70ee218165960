import { createHash } from 'node:crypto';
import type { JobTrigger } from './payloads';

/**
 * Deterministic JetStream message ids (the `Nats-Msg-Id` header). Publishing the same logical
 * message twice inside the stream's duplicate window yields the same id, so the second publish is
 * a no-op. Ids are readable (`day:<user>:<date>:...`) while short and made of plain characters;
 * otherwise they are `<kind>#<sha256 prefix>` of the parts, which keeps them short and stable.
 * `#` never appears in a readable id, so the two forms cannot collide.
 */

const MAX_READABLE_LENGTH = 128;
const PLAIN_PART = /^[A-Za-z0-9._@-]+$/;

export function deterministicId(kind: string, parts: ReadonlyArray<string | number>): string {
  const text = parts.map(String);
  const readable = `${kind}:${text.join(':')}`;
  if (readable.length <= MAX_READABLE_LENGTH && text.every((part) => PLAIN_PART.test(part))) return readable;
  const digest = createHash('sha256').update(JSON.stringify([kind, ...text])).digest('hex');
  return `${kind}#${digest.slice(0, 40)}`;
}

export const messageIds = {
  /**
   * Also the job's `jobId`: a repeated request for the same user, day, trigger and range is one
   * job. `run` tells apart runs that must be new jobs although everything else is equal: the
   * n-th gap retry of a day, a second reprocess of the same range. Omitted, the id is unchanged
   * from before `run` existed.
   */
  dayJob: (userId: string, localDate: string, trigger: JobTrigger, startMs: number, endMs: number, run?: string | number): string =>
    deterministicId('day', run === undefined ? [userId, localDate, trigger, startMs, endMs] : [userId, localDate, trigger, startMs, endMs, run]),

  /**
   * A day job registered again under an id JetStream still remembers (an earlier job with the same
   * id ran within the stream's duplicate window, and its row was since cleared): every message of
   * the new run would be dropped as a duplicate, so it runs under this id instead.
   */
  dayJobAgain: (jobId: string, atMs: number): string => deterministicId('day', [jobId, 'again', atMs]),

  segmentReady: (userId: string, windowStartMs: number, windowEndMs: number, jobId: string): string =>
    deterministicId('seg', [userId, windowStartMs, windowEndMs, jobId]),

  segmentResult: (userId: string, windowStartMs: number, windowEndMs: number, jobId: string): string =>
    deterministicId('res', [userId, windowStartMs, windowEndMs, jobId]),

  windowOutcome: (userId: string, windowStartMs: number, windowEndMs: number, jobId: string): string =>
    deterministicId('win', [userId, windowStartMs, windowEndMs, jobId]),

  /** One progress message per job and status: re-planning after a crash does not double-count. */
  jobProgress: (jobId: string, status: string): string => deterministicId('job', [jobId, status]),

  /** A message dead-lettered twice (crash between dead-lettering and terminating) stays one dead letter. */
  deadLetter: (stream: string, streamSequence: number): string => deterministicId('dead', [stream, streamSequence]),
} as const;
