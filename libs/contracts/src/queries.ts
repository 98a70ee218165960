import type { ErrorInfo } from './payloads';

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
} as const;

/** giggles.query.users.active-keys — everyone the nightly run should process. */
export type UsersWithActiveKeysRequest = Record<string, never>;
export interface ActiveKeyUser {
  userId: string;
  email: string;
  /** As stored; the scheduler validates it per user so one bad row cannot hide everyone else. */
  timezone: string;
}
export interface UsersWithActiveKeysReply {
  users: ActiveKeyUser[];
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
}
export interface WindowsDoneReply {
  windows: WindowRecord[];
}

/** giggles.query.days.due — local days in [from, to] (inclusive) that still need a run. */
export interface DueDaysRequest {
  userId: string;
  from: string;
  to: string;
}
export const DUE_REASONS = ['unprocessed', 'gaps'] as const;
export type DueReason = (typeof DUE_REASONS)[number];
export interface DueDay {
  localDate: string;
  reason: DueReason;
}
export interface DueDaysReply {
  days: DueDay[];
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
