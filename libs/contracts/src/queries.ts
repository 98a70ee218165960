import type { ErrorInfo, JobTrigger } from './payloads';

/**
 * Request/reply payloads for the QUERIES subjects (core NATS, answered by `persistence`). Every
 * reply travels in a `QueryReply` envelope. Replies are objects, never bare arrays, so fields can
 * be added later without breaking older readers.
 */

export type QueryReply<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };

/** Error codes a query reply can carry. */
export const QUERY_ERROR_CODES = {
  /** The request broke its contract. */
  invalidRequest: 'invalid_request',
  /** The thing asked about does not exist (no key for the user, unknown job). */
  notFound: 'not_found',
  /** The responder failed (database down, bug). Worth retrying later. */
  internal: 'internal',
  /** The request is valid but clashes with work in flight (reprocessing a day that is running). */
  conflict: 'conflict',
  /** A byte range that starts at or past the end of the thing read (a clip); the message says its size. */
  rangeNotSatisfiable: 'range_not_satisfiable',
} as const;

/**
 * giggles.query.users.active-keys — everyone the nightly run should process, a page at a time in
 * user-id order (hosted PostgREST caps rows per response, and a NATS message has a size limit):
 * ask again with `afterUserId` = the reply's `nextAfterUserId` until it is absent. With `userId`,
 * only that user (an empty list when they have no active key).
 */
export interface UsersWithActiveKeysRequest {
  userId?: string;
  afterUserId?: string;
  /** 1..1000, default 500. */
  limit?: number;
}
export const ACTIVE_KEY_USERS_PAGE = { default: 500, max: 1000 } as const;
export interface ActiveKeyUser {
  userId: string;
  email: string;
  /** As stored; the scheduler validates it per user so one bad row cannot hide everyone else. */
  timezone: string;
}
export interface UsersWithActiveKeysReply {
  users: ActiveKeyUser[];
  /** Present when more users may follow: pass it as `afterUserId`. */
  nextAfterUserId?: string;
}

/** giggles.query.users.key — a user's encrypted Limitless API key. `not_found` when none. */
export interface UserKeyRequest {
  userId: string;
}
export const KEY_STATUSES = ['active', 'invalid'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
export interface UserKeyReply {
  /** base64(nonce ‖ ciphertext), AES-256-GCM with AAD = user id. */
  encryptedKey: string;
  status: KeyStatus;
}

/** giggles.query.users.key-invalid — Limitless rejected the key (401/403); stop using it. */
export interface MarkKeyInvalidRequest {
  userId: string;
  reason: string;
}
export interface MarkKeyInvalidReply {
  /** False when the key was already invalid or absent. */
  updated: boolean;
}

/** giggles.query.windows.done — windows of [startMs, endMs) that already have an outcome. */
export interface WindowsDoneRequest {
  userId: string;
  startMs: number;
  endMs: number;
}
export const WINDOW_STATUSES = ['processed', 'empty', 'gap', 'failed'] as const;
export type WindowStatus = (typeof WINDOW_STATUSES)[number];
export interface WindowRecord {
  startMs: number;
  endMs: number;
  status: WindowStatus;
  /** The trigger of the job that recorded the window's outcome last ('today' runs are provisional). */
  trigger?: string;
  /** When that outcome was recorded (epoch ms). */
  recordedAtMs?: number;
}
export interface WindowsDoneReply {
  windows: WindowRecord[];
}

/**
 * giggles.query.days.due — local days in [from, to] (inclusive) that still need a run.
 * With `timezone`, a day counts as covered only by a whole-day job over that day's range in that
 * zone (a user who moved zones gets the hours the old day did not cover; done windows are skipped).
 */
export interface DueDaysRequest {
  userId: string;
  from: string;
  to: string;
  timezone?: string;
}
export const DUE_REASONS = ['unprocessed', 'gaps'] as const;
export type DueReason = (typeof DUE_REASONS)[number];
export interface DueDay {
  localDate: string;
  reason: DueReason;
  /**
   * Earlier runs of the day that left it due — gap-retry jobs for reason 'gaps', failed
   * whole-day jobs for 'unprocessed' — so the scheduler can grow its retry interval and give up.
   */
  retries?: number;
  /** When the day's latest job (any trigger) was registered; absent when it never ran. */
  lastRunAt?: string;
}
export interface DueDaysReply {
  days: DueDay[];
  /** The user's jobs still planned or running (per-user fairness limit). */
  jobsInFlight?: number;
}

/** giggles.query.days.list — the web app's list of a user's days, optionally within [from, to]. */
export interface UserDaysRequest {
  userId: string;
  from?: string;
  to?: string;
}
export interface UserDaySummary {
  localDate: string;
  laughCount: number;
  windowsProcessed: number;
  windowsEmpty: number;
  windowsGap: number;
  windowsFailed: number;
}
export interface UserDaysReply {
  days: UserDaySummary[];
}

/** giggles.query.detections.day — one day's laughter events for the chart and clip list. */
export interface DayDetectionsRequest {
  userId: string;
  localDate: string;
}
export interface DetectionRecord {
  id: string; // uuid of the stored detection
  startMs: number;
  endMs: number;
  peakMs: number;
  probability: number;
  className: string;
  /** Where persistence stored the clip; absent when no clip was cut. */
  clipPath?: string;
}
export interface DayDetectionsReply {
  localDate: string;
  detections: DetectionRecord[];
}

/** giggles.query.jobs.status — how far a day job got. `not_found` for an unknown job id. */
export interface JobStatusRequest {
  jobId: string;
}
export const JOB_STATES = ['planned', 'running', 'done', 'key_invalid', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];
export interface JobStatusReply {
  jobId: string;
  /** Lets the gateway check the job belongs to the caller. */
  userId: string;
  localDate: string;
  status: JobState;
  windowsPlanned: number;
  windowsSkipped: number;
  windowsProcessed: number;
  windowsEmpty: number;
  windowsGap: number;
  windowsFailed: number;
  updatedAt: string;
}

/** giggles.query.users.by-email — `not_found` when no user has that e-mail (case-insensitive). */
export interface UserByEmailRequest {
  email: string;
}
export const USER_KEY_STATES = ['active', 'invalid', 'none'] as const;
export type UserKeyState = (typeof USER_KEY_STATES)[number];
export interface UserByEmailReply {
  userId: string;
  email: string;
  timezone: string;
  keyStatus: UserKeyState;
}

/**
 * giggles.query.jobs.register — the jobs row of a day job, written before it is published.
 * `created` is false when the job id was already registered (then `status` says how far it got).
 */
export interface RegisterJobRequest {
  jobId: string;
  userId: string;
  localDate: string;
  timezone: string;
  trigger: JobTrigger;
  startMs: number;
  endMs: number;
}
export interface RegisterJobReply {
  created: boolean;
  status: JobState;
}

/** giggles.query.jobs.stalled — registered jobs still 'planned' with no progress since `olderThanMs`. */
export interface StalledJobsRequest {
  olderThanMs: number;
  limit?: number;
}
export interface StalledJob {
  jobId: string;
  userId: string;
  localDate: string;
  timezone: string;
  trigger: JobTrigger;
  startMs: number;
  endMs: number;
  registeredAt: string;
}
export interface StalledJobsReply {
  jobs: StalledJob[];
}

/** giggles.query.days.gaps-given-up — stop retrying a day's gaps; the log records when and why. */
export interface GiveUpGapsRequest {
  userId: string;
  localDate: string;
  reason: string;
}
export interface GiveUpGapsReply {
  updated: boolean;
}

/**
 * giggles.query.days.clear — before a reprocess: removes the live detections (and their clip
 * files), windows, jobs and processing logs of local days [from, to]. Detections the user
 * deleted stay as tombstones, so a reprocess cannot bring them back. `conflict` when a job for
 * one of those days is still planned or running.
 */
export interface ClearDaysRequest {
  userId: string;
  from: string;
  to: string;
  /**
   * The caller probed Limitless just before and nothing answered: refuse, as when the jobs tell
   * of an outage, if some of the days hold results the audio archive does not keep.
   */
  limitlessUnreachable?: boolean;
}
/**
 * How persistence's conflict for giggles.query.days.clear begins when it refuses because Limitless
 * is unreachable and the days hold results the audio archive does not keep: the scheduler passes
 * such a message through unchanged (it is written for the person who asked).
 */
export const LIMITLESS_UNREACHABLE_REFUSAL = "Limitless can't be reached right now";
export interface ClearDaysReply {
  detectionsRemoved: number;
  clipsRemoved: number;
  windowsRemoved: number;
  logsRemoved: number;
}

/** giggles.query.ops.status — the database side of `giggles status`; `userId` narrows it to one user. */
export interface OperationsStatusRequest {
  userId?: string;
}
export interface JobInFlight {
  jobId: string;
  userId: string;
  email: string;
  localDate: string;
  trigger: string;
  status: JobState;
  windowsPlanned: number;
  windowsDone: number;
  /** The job's range, when it was registered with one. */
  startMs?: number;
  endMs?: number;
  registeredAt: string;
  updatedAt: string;
}
export interface UserOperationsStatus {
  userId: string;
  email: string;
  timezone: string;
  keyStatus: UserKeyState;
  /** Newest local day with a finished whole-day job. */
  lastProcessedDay?: string;
  /** Days with gap/failed windows nobody gave up on yet, newest first (at most 31). */
  gapDays: string[];
  /** Days whose gaps were given up, newest first (at most 31). */
  gapsGivenUp: string[];
  /**
   * Imports (uploads and `giggles import`) refused or failed in processing, among the user's
   * newest IMPORT_STATUS_SCAN; absent from an older persistence.
   */
  failedImports?: number;
  /** The newest of those: when it was imported, the file, and why it failed. */
  lastImportError?: ImportFailure;
}

/** How many of a user's newest imports `giggles status` looks at. */
export const IMPORT_STATUS_SCAN = 200;

export interface ImportFailure {
  at: string;
  fileName: string;
  error: ErrorInfo;
}
export interface OperationsStatusReply {
  jobsInFlight: JobInFlight[];
  users: UserOperationsStatus[];
}

/**
 * giggles.query.maintenance.reconcile — one reconciliation and data-lifecycle run. Retention in
 * days; absent = keep forever. Deletions beyond `maxDeletions` (or, for clips, beyond
 * `maxClipShare` of all clips) are not made: the run stops and says which guard stopped it.
 */
export interface ReconcileRequest {
  /** The run's "now" (epoch ms); injected so tests control time. */
  nowMs: number;
  retention: { clipsDays?: number; detectionsDays?: number; logsDays?: number };
  /** Jobs planned/running with no update for this long are marked failed (their days become due again). */
  stuckJobMinutes: number;
  /** Audio objects older than this are deleted (their TTL should already have). */
  staleAudioMinutes: number;
  /**
   * Accepted imports still processing with no progress (the import and its parts' jobs) for this
   * long are marked failed with IMPORT_INTERRUPTED, so the file may be imported again. Absent: not checked.
   */
  lostImportMinutes?: number;
  maxDeletions: number;
  /** 0..1: refuse to delete more than this share of all stored clips in one run. */
  maxClipShare: number;
  dryRun?: boolean;
}
export interface ReconcileReply {
  scanned: { clips: number; detections: number; audioObjects: number; jobs: number };
  deleted: { orphanClips: number; expiredClips: number; expiredDetections: number; expiredLogs: number; staleAudioObjects: number };
  /** `interruptedImports` only when the request gave `lostImportMinutes`. */
  repaired: { detectionsMissingClip: number; stuckJobs: number; interruptedImports?: number };
  /**
   * The audio archive (absent when AUDIO_ARCHIVE=off): files listed, files without a row
   * deleted, rows whose file is missing removed, windows past AUDIO_ARCHIVE_RETENTION_DAYS deleted;
   * `expiredEmptyWindows`: empty-window markers (no file) removed by the same retention.
   */
  archive?: { scanned: number; orphanFiles: number; missingFiles: number; expired: number; expiredEmptyWindows?: number };
  /** The guard that stopped the run early, if any. */
  stoppedBy?: string;
  dryRun: boolean;
  durationMs: number;
}
