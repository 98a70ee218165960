import type { JobState, UserKeyState } from './queries';

/**
 * Request/reply payloads for the QUERIES the gateway asks `persistence` (core NATS, `QueryReply`
 * envelope). Every request names the signed-in user by `userId`; persistence answers only with
 * that user's rows, and `not_found` for anything of another user — the gateway turns that into
 * 404, never 403. Days are the user's local days (`YYYY-MM-DD`, grouped in the user's timezone,
 * never in UTC).
 */

/** giggles.query.users.ensure — the `users` row for a Supabase Auth user (created on first sign-in). */
export interface EnsureUserRequest {
  userId: string;
  email: string;
  /** IANA zone; used only when the row is created (an existing user's zone is kept). */
  timezone?: string;
}
export interface UserProfileReply {
  userId: string;
  email: string;
  timezone: string;
  createdAt: string;
  key: LimitlessKeyStatus;
}
export interface EnsureUserReply extends UserProfileReply {
  /** True when this request created the row (a new account); false for returning and legacy users. */
  created: boolean;
}

/** The stored Limitless key as the user may see it — never the key itself. */
export interface LimitlessKeyStatus {
  state: UserKeyState;
  /** When the current key was saved. */
  savedAt?: string;
  /** When Limitless last rejected it (state 'invalid'). */
  invalidSince?: string;
  invalidReason?: string;
  /** When a download with it last reached Limitless (newest window recorded). */
  lastUsedAt?: string;
}

/** giggles.query.users.profile — `not_found` when the user has no row yet. */
export interface UserProfileRequest {
  userId: string;
}

/** giggles.query.users.settings — change settings; the timezone applies to days not yet processed. */
export interface UpdateSettingsRequest {
  userId: string;
  timezone?: string;
}
/** The profile after the change; `not_found` when the user has no row. */
export type UpdateSettingsReply = UserProfileReply;

/** giggles.query.users.key-save — store a key already checked against Limitless and encrypted by the gateway. */
export interface SaveKeyRequest {
  userId: string;
  /** base64(nonce ‖ ciphertext), AES-256-GCM with AAD = user id (`@giggles/crypto`). */
  encryptedKey: string;
}
export interface SaveKeyReply {
  /** True when an older key was replaced. */
  replaced: boolean;
  key: LimitlessKeyStatus;
}

/** giggles.query.users.key-delete */
export interface DeleteKeyRequest {
  userId: string;
}
export interface DeleteKeyReply {
  deleted: boolean;
}

/** giggles.query.users.delete-all — every row and clip file of one user (and the users row). */
export interface DeleteUserDataRequest {
  userId: string;
}
export interface DeleteUserDataReply {
  detections: number;
  clips: number;
  segments: number;
  logs: number;
  jobs: number;
  keys: number;
  userRemoved: boolean;
  /** Archived audio files removed (the audio archive, 0012). */
  archivedAudioFiles?: number;
}

/** In words a person reads on the day card. */
export const DAY_STATES = ['processing', 'done', 'partial', 'failed', 'no_audio', 'key_invalid'] as const;
export type DayState = (typeof DAY_STATES)[number];

/** One local day, counted without laughs marked "not a laugh" or deleted. */
export interface DaySummary {
  localDate: string;
  laughCount: number;
  laughSeconds: number;
  /** Mean probability of the counted laughs; absent when there are none. */
  meanProbability?: number;
  /** Audio actually decoded that day (so "no laughs" and "no audio" differ). */
  audioSeconds: number;
  windowsProcessed: number;
  windowsEmpty: number;
  windowsGap: number;
  windowsFailed: number;
  /** Laughs the user marked "not a laugh" (not in laughCount). */
  rejectedCount: number;
  state: DayState;
  /** Plain words for `state`, e.g. "2 of 12 windows could not be downloaded; retrying at 04:00". */
  stateMessage: string;
  /** Jobs of this day still planned or running. */
  jobsInFlight: number;
}

/** giggles.query.days.page — days newest first, `limit` (1..100, default 30) before `before`. */
export interface DaysPageRequest {
  userId: string;
  /** Exclusive upper bound (a local date); absent = from the newest day. */
  before?: string;
  limit?: number;
}
export const DAYS_PAGE = { default: 30, max: 100 } as const;
export interface DaysPageReply {
  timezone: string;
  days: DaySummary[];
  /** Pass as `before` for the next page; absent on the last page. */
  nextBefore?: string;
}

/** giggles.query.days.one — one day's summary and coverage; `not_found` when the day has nothing. */
export interface DayRequest {
  userId: string;
  localDate: string;
}
export interface CoverageWindow {
  startMs: number;
  endMs: number;
  status: 'processed' | 'empty' | 'gap' | 'failed';
  audioSeconds: number;
}
export interface DayReply {
  timezone: string;
  summary: DaySummary;
  /** The day's windows in time order (coverage band: which hours had audio). */
  windows: CoverageWindow[];
}

export const REVIEW_LABELS = ['not_laugh'] as const;
export type ReviewLabel = (typeof REVIEW_LABELS)[number];

export interface Laugh {
  id: string;
  localDate: string;
  startMs: number;
  endMs: number;
  peakMs: number;
  durationS: number;
  probability: number;
  meanProbability?: number;
  classId?: number;
  className: string;
  /** Plain text, ≤ NOTES_MAX_LENGTH characters; absent when none. */
  notes?: string;
  review?: ReviewLabel;
  reviewedAt?: string;
  hasClip: boolean;
}
export const NOTES_MAX_LENGTH = 2000;

/** giggles.query.laughs.day — a day's laughs in time order, paginated (limit 1..200, default 50). */
export interface DayLaughsRequest {
  userId: string;
  localDate: string;
  minProbability?: number;
  offset?: number;
  limit?: number;
}
export const DAY_LAUGHS_PAGE = { default: 50, max: 200 } as const;
export interface DayLaughsReply {
  localDate: string;
  timezone: string;
  /** Laughs matching the filter (rejected ones included, marked). */
  total: number;
  laughs: Laugh[];
}

/** giggles.query.laughs.update — notes and/or review mark; `null` clears. `not_found` for another user's id. */
export interface UpdateLaughRequest {
  userId: string;
  laughId: string;
  notes?: string | null;
  review?: ReviewLabel | null;
}
export interface UpdateLaughReply {
  laugh: Laugh;
}

/** giggles.query.laughs.delete — tombstone (a reprocess cannot bring it back) and its clip file removed. */
export interface DeleteLaughRequest {
  userId: string;
  laughId: string;
}
export interface DeleteLaughReply {
  deleted: boolean;
  clipRemoved: boolean;
}

/** giggles.query.days.delete — every laugh of the day tombstoned, their clips removed; windows kept (nothing re-downloads). */
export interface DeleteDayRequest {
  userId: string;
  localDate: string;
}
export interface DeleteDayReply {
  laughsDeleted: number;
  clipsRemoved: number;
  /** Archived audio files of the day removed (the audio archive, 0012). */
  archivedAudioFiles?: number;
}

/**
 * giggles.query.clips.read — bytes of a laugh's WAV clip, `length` (default and at most
 * CLIP_CHUNK_MAX) from `offset` (default 0); fewer at the end of the file. An `offset` at or past
 * the end fails with `range_not_satisfiable` (the message gives the size: "… clip of N bytes").
 * `not_found` for another user's laugh, a deleted laugh, or a laugh without a clip file.
 */
export interface ReadClipRequest {
  userId: string;
  laughId: string;
  offset?: number;
  length?: number;
}
export const CLIP_CHUNK_MAX = 262_144;
export interface ReadClipReply {
  size: number;
  /** Strong validator of the file's bytes (stable while the clip is unchanged). */
  etag: string;
  contentType: 'audio/wav';
  offset: number;
  dataBase64: string;
}

/** giggles.query.trends — computed in SQL over [from, to] (≤ 400 days), without rejected or deleted laughs. */
export interface TrendsRequest {
  userId: string;
  from: string;
  to: string;
}
/** Longest [from, to] a trends request may span, in days (both ends included). */
export const TRENDS_MAX_DAYS = 400;
export interface TrendDay {
  localDate: string;
  laughs: number;
  laughSeconds: number;
  audioSeconds: number;
  /** Mean of laughs over this day and the 6 before it. */
  movingAverage7: number;
}
export interface TrendsReply {
  timezone: string;
  /** Every day of [from, to], zeros included. */
  days: TrendDay[];
  /** Laughs per local hour 0..23. */
  byHour: number[];
  /** Up to 5 days with the most laughs, most first. */
  bestDays: { localDate: string; laughs: number }[];
  /** Consecutive days with at least one laugh, ending at `to` (or the day before), and the longest in range. */
  currentStreak: number;
  longestStreak: number;
}

/** giggles.query.laughs.export — every laugh of the user (deleted ones excluded), `limit` ≤ 1000 after `afterId`'s position (start time, id). */
export interface ExportLaughsRequest {
  userId: string;
  after?: { startMs: number; id: string };
  limit?: number;
}
export const EXPORT_PAGE = { default: 500, max: 1000 } as const;
export interface ExportLaughsReply {
  laughs: Laugh[];
  next?: { startMs: number; id: string };
}

/** giggles.query.jobs.progress — a job's progress for the user who owns it (`not_found` otherwise). */
export interface JobProgressRequest {
  userId: string;
  jobId: string;
}
export interface JobProgressReply {
  jobId: string;
  localDate: string;
  trigger: string;
  status: JobState;
  windowsPlanned: number;
  windowsDone: number;
  laughsFound: number;
  updatedAt: string;
}
