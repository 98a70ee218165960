import type { ClearDaysReply, OperationsStatusReply } from './queries';

/**
 * Request/reply payloads for the COMMANDS subjects, answered by `scheduler`. Same `QueryReply`
 * envelope as the queries. A user is named by `userId` (the gateway, which knows who is signed in)
 * or by `email` (the operator CLI); exactly one of the two.
 */

export interface UserRef {
  userId?: string;
  email?: string;
}

/** What happened to a job the command asked for. */
export const COMMAND_JOB_STATES = ['queued', 'already_queued', 'already_done'] as const;
export type CommandJobState = (typeof COMMAND_JOB_STATES)[number];

export interface CommandJob {
  jobId: string;
  userId: string;
  localDate: string;
  timezone: string;
  startMs: number;
  endMs: number;
  state: CommandJobState;
}

/** giggles.command.process-today — from the start of the user's local today to now. */
export type ProcessTodayRequest = UserRef;
export interface ProcessTodayReply {
  job: CommandJob;
}

/** giggles.command.process-day — one whole local day that has ended. */
export interface ProcessDayRequest extends UserRef {
  localDate: string;
}
export interface ProcessDayReply {
  job: CommandJob;
}

/** giggles.command.reprocess — local days [from, to], at most the scheduler's limit (default 31). */
export interface ReprocessRequest extends UserRef {
  from: string;
  to: string;
}
export interface ReprocessReply {
  removed: ClearDaysReply;
  jobs: CommandJob[];
}

/** giggles.command.status — `giggles status`. */
export type StatusRequest = Record<string, never>;
export interface DeadLetterSummary {
  subject: string;
  reason: string;
  at: string;
}
export interface StatusReply extends OperationsStatusReply {
  deadLetters: { count: number; recent: DeadLetterSummary[] };
  scheduler: { lastTickAt?: string; lastReconcileAt?: string; lastReconcileSummary?: string };
}
