/**
 * Payload shapes on the wire (JSON). Times are Unix epoch milliseconds (UTC instants) unless a
 * field says otherwise; `localDate` is the user's local calendar day (YYYY-MM-DD) in `timezone`.
 * Runtime validators for each live beside these types (see validators in this lib).
 */

/** Why a day job exists. The arrays below are the runtime lists the validators check against. */
export const JOB_TRIGGERS = ['nightly', 'today', 'reprocess', 'gap-retry', 'manual', 'backfill', 'import'] as const;
export type JobTrigger = (typeof JOB_TRIGGERS)[number];

export const SEGMENT_RESULT_STATUSES = ['processed', 'failed'] as const;
export const WINDOW_OUTCOME_STATUSES = ['empty', 'gap', 'failed'] as const;
export const JOB_PROGRESS_STATUSES = ['planned', 'key_invalid', 'failed'] as const;

/** giggles.jobs.day — process one user's local day (or the part of it in [startMs, endMs)). */
export interface DayJob {
  jobId: string; // deterministic: see messageIds.dayJob
  userId: string; // uuid
  localDate: string; // YYYY-MM-DD
  timezone: string; // IANA name
  startMs: number;
  endMs: number; // > startMs
  trigger: JobTrigger;
  requestedAt: string; // ISO instant
}

/** giggles.segments.ready — one downloaded window waiting for inference. */
export interface SegmentReady {
  jobId: string;
  userId: string;
  localDate: string;
  timezone: string;
  trigger: JobTrigger;
  windowStartMs: number;
  windowEndMs: number;
  audioObject: string; // name in BUCKETS.audio
  audioBytes: number;
  limitlessCalls: LimitlessCall[];
  /**
   * Imports only: the absolute time of the object's first sample when the window is only a part
   * of it (a file crossing local midnight is one segment per day over the same recording).
   * Inference then offsets events from here and keeps those starting inside the window.
   * Absent: the object starts at windowStartMs.
   */
  audioStartMs?: number;
}

export interface LimitlessCall {
  status: number; // HTTP status, 0 for a network error / timeout
  durationMs: number;
  bytes: number;
  at: string; // ISO instant
  error?: string;
}

export interface DetectedEvent {
  startMs: number;
  endMs: number;
  peakMs: number;
  probability: number; // peak, 0..1
  meanProbability: number; // 0..1
  classId: number;
  className: string;
  clipObject?: string; // name in BUCKETS.clips
  clipStartMs?: number;
  clipEndMs?: number;
}

export interface ErrorInfo {
  code: string;
  message: string;
}

/** giggles.results.segment — inference's outcome for one window. */
export interface SegmentResult {
  jobId: string;
  userId: string;
  localDate: string;
  trigger: JobTrigger;
  windowStartMs: number;
  windowEndMs: number;
  status: (typeof SEGMENT_RESULT_STATUSES)[number]; // 'processed' | 'failed'
  decodedSeconds: number;
  modelVersion: string;
  events: DetectedEvent[];
  audioObject: string;
  limitlessCalls: LimitlessCall[];
  processingMs: number;
  error?: ErrorInfo;
}

/** giggles.results.window — ingestion's outcome for a window that produced no audio to infer. */
export interface WindowOutcome {
  jobId: string;
  userId: string;
  localDate: string;
  trigger: JobTrigger;
  windowStartMs: number;
  windowEndMs: number;
  status: (typeof WINDOW_OUTCOME_STATUSES)[number]; // 'empty' | 'gap' | 'failed'
  limitlessCalls: LimitlessCall[];
  error?: ErrorInfo;
}

/** giggles.results.job — progress of a day job as ingestion sees it. */
export interface JobProgress {
  jobId: string;
  userId: string;
  localDate: string;
  timezone: string;
  trigger: JobTrigger;
  status: (typeof JOB_PROGRESS_STATUSES)[number]; // 'planned' | 'key_invalid' | 'failed'
  windowsPlanned: number;
  windowsSkipped: number; // already processed before
  at: string;
  error?: ErrorInfo;
}

/** A dead letter: the original message with why it died. */
export interface DeadLetter {
  subject: string;
  stream: string;
  deliveries: number;
  reason: string;
  payload: string; // the original message body (utf-8)
  at: string;
}
