import type { UserRef } from './commands';
import type { DueDay } from './queries';

/**
 * Issue 10's pipeline side — whole-history backfill and "the Limitless API is gone" — as wire
 * names and payload types. Same `QueryReply` envelope and validation as QUERIES and COMMANDS.
 * Wire names never change once shipped.
 */

/** Request/reply subjects answered by `persistence`. */
export const HISTORY_QUERIES = {
  /** Records (or widens/reactivates) a user's backfill over local days [from, to]. */
  backfillStart: 'giggles.query.backfill.start',
  /** Active backfills with their next uncovered days, oldest first: what the tick may publish. */
  backfillPlan: 'giggles.query.backfill.plan',
  /** Pauses or resumes a user's backfill. */
  backfillSetState: 'giggles.query.backfill.state',
  /** Progress of every backfill, or one user's. */
  backfillProgress: 'giggles.query.backfill.progress',
  /** Per user: since when every Limitless request of their jobs failed to connect, and the pause. */
  apiOutages: 'giggles.query.outages.list',
  /** Pauses (with the reason) or resumes a user's downloads, and records a probe. */
  apiOutageSet: 'giggles.query.outages.set',
  /**
   * Removes a job registration that was never started (status planned, no plan reported): the
   * scheduler's way out when JetStream dropped the job's publish as a duplicate of an earlier
   * job with the same id (see JobDispatcher).
   */
  discardJob: 'giggles.query.jobs.discard',
  /** Records that a backfill day is no longer retried (failed or left gaps too often), with the reason. */
  backfillGiveUp: 'giggles.query.backfill.give-up',
} as const;

/** Request/reply subjects answered by `scheduler` (the CLI now, the gateway later). */
export const HISTORY_COMMANDS = {
  /** `giggles backfill`: every day from the first with audio (or `from`) up to yesterday. */
  backfill: 'giggles.command.backfill',
  /** Progress of backfills: days done of total, audio hours, laughs, failures, ETA. */
  backfillStatus: 'giggles.command.backfill-status',
  backfillPause: 'giggles.command.backfill-pause',
  backfillResume: 'giggles.command.backfill-resume',
} as const;

/** Request/reply subjects answered by `ingestion` (it owns the Limitless API). */
export const INGESTION_REQUESTS = {
  /** The user's first recorded instant, with as few Limitless requests as possible. */
  firstAudio: 'giggles.ingestion.first-audio',
  /** One cheap authenticated request: is the Limitless API answering for this user's key? */
  probe: 'giggles.ingestion.probe',
  /** An uploaded file in BUCKETS.audio: probe, place on the timeline, record, publish its segments (import-queries.ts). */
  importRecording: 'giggles.ingestion.import',
} as const;

export const BACKFILL_STATES = ['active', 'paused', 'done'] as const;
export type BackfillState = (typeof BACKFILL_STATES)[number];

/** How the first day was found: the lifelogs endpoint, a search on download-audio 404s, or nothing found. */
export const FIRST_AUDIO_METHODS = ['lifelogs', 'search', 'none'] as const;
export type FirstAudioMethod = (typeof FIRST_AUDIO_METHODS)[number];

export interface BackfillProgress {
  userId: string;
  email: string;
  timezone: string;
  from: string;
  to: string;
  state: BackfillState;
  totalDays: number;
  /** Days in the range a whole-day job (any trigger) finished. */
  daysDone: number;
  /**
   * Failures waiting for a retry: days whose backfill job failed, or that finished with gap or
   * failed windows, retried on the nightly gap-retry schedule (SCHEDULER_RETRY_BASE·2ⁿ⁻¹) until
   * SCHEDULER_MAX_RETRIES; then they count in daysGivenUp instead.
   */
  daysFailed: number;
  /** Days the backfill stopped retrying, with the reason (the newest BACKFILL_GIVEN_UP_SHOWN of them in givenUp). */
  daysGivenUp?: number;
  givenUp?: BackfillGivenUpDay[];
  daysInFlight: number;
  /** Audio the finished days held (processed windows), in seconds. */
  audioSeconds: number;
  /** Live laughs found in the range. */
  laughs: number;
  startedAt: string;
  updatedAt: string;
  /** Backfill jobs finished since startedAt (the rate the ETA is computed from). */
  backfillJobsDone: number;
  /** Scheduler only: seconds left at the rate so far; absent until a day finished or when nothing is left. */
  etaSeconds?: number;
}

export interface BackfillGivenUpDay {
  localDate: string;
  reason: string;
  at: string;
}
/** Most given-up days listed in a BackfillProgress (the count is always whole). */
export const BACKFILL_GIVEN_UP_SHOWN = 20;

// --- persistence ---------------------------------------------------------------------------

export interface BackfillStartRequest {
  userId: string;
  from: string;
  to: string;
}
export interface BackfillStartReply {
  backfill: BackfillProgress;
}

export interface BackfillPlanRequest {
  /** Most days returned per user. */
  limitPerUser: number;
}
export interface BackfillPlanUser {
  userId: string;
  timezone: string;
  /** The user's backfill jobs planned or running. */
  backfillInFlight: number;
  /** All the user's jobs planned or running (any trigger): the per-user in-flight limit counts these. */
  jobsInFlight: number;
  /** Uncovered days of the range, oldest first (at most limitPerUser). */
  days: string[];
  /**
   * Days of the range to retry, as giggles.query.days.due reports them: 'unprocessed' with
   * `retries` failed whole-day runs, or 'gaps' after `retries` gap retries — oldest first, at
   * most limitPerUser, none given up. The scheduler times them like the nightly retries.
   */
  retries?: DueDay[];
}
export interface BackfillPlanReply {
  users: BackfillPlanUser[];
  /** Backfill jobs of every user planned or running. */
  backfillInFlight: number;
  /** Other jobs (nightly, today, gap-retry, manual, reprocess) of every user registered but not yet started: backfill waits for them. */
  otherJobsQueued: number;
}

export interface BackfillSetStateRequest {
  userId: string;
  state: 'active' | 'paused';
}
export interface BackfillSetStateReply {
  backfill: BackfillProgress;
}

export interface BackfillProgressRequest {
  userId?: string;
}
export interface BackfillProgressReply {
  backfills: BackfillProgress[];
}

export interface ApiOutage {
  userId: string;
  email: string;
  /** Start of the current unbroken run of jobs whose every Limitless request failed to connect. */
  unreachableSince?: string;
  /** Set while downloads are paused for this user. */
  pausedAt?: string;
  pauseReason?: string;
  lastProbeAt?: string;
}
export type ApiOutagesRequest = Record<string, never>;
export interface ApiOutagesReply {
  outages: ApiOutage[];
}

export interface ApiOutageSetRequest {
  userId: string;
  /** pause: stop planning downloads; resume: plan again; probed: only record a (failed) probe. */
  action: 'pause' | 'resume' | 'probed';
  reason?: string;
}
export interface ApiOutageSetReply {
  outage: ApiOutage;
}

export interface BackfillGiveUpRequest {
  userId: string;
  localDate: string;
  reason: string;
}
export interface BackfillGiveUpReply {
  /** False when the day was already given up. */
  updated: boolean;
}

export interface DiscardJobRequest {
  userId: string;
  jobId: string;
}
export interface DiscardJobReply {
  /** False when there was no such job, or it had started (then it stays). */
  discarded: boolean;
}

// --- scheduler -----------------------------------------------------------------------------

export interface BackfillRequest extends UserRef {
  from?: string;
  to?: string;
}
export interface BackfillReply {
  backfill: BackfillProgress;
  /** How the first day was found when `from` was not given. */
  firstAudio?: { method: FirstAudioMethod; requests: number; atMs?: number };
}

export type BackfillStatusRequest = UserRef | Record<string, never>;
export interface BackfillStatusReply {
  backfills: BackfillProgress[];
  /** Users whose downloads are paused because the Limitless API is unreachable. */
  outages: ApiOutage[];
}

export type BackfillPauseRequest = UserRef;
export type BackfillResumeRequest = UserRef;
export interface BackfillPauseReply {
  backfill: BackfillProgress;
}

// --- ingestion -----------------------------------------------------------------------------

export interface FirstAudioRequest {
  userId: string;
  /** Search bounds (epoch ms): nothing earlier than notBeforeMs, nothing at or after notAfterMs. */
  notBeforeMs: number;
  notAfterMs: number;
}
export interface FirstAudioReply {
  method: FirstAudioMethod;
  /** Limitless requests made to find it. */
  requests: number;
  /** The first recorded instant found; absent when there is none in the bounds. */
  atMs?: number;
}

export interface ProbeRequest {
  userId: string;
}
export interface ProbeReply {
  /** True when Limitless answered at all (any HTTP status). */
  reachable: boolean;
  /** HTTP status, 0 when nothing answered. */
  status: number;
  error?: string;
}
