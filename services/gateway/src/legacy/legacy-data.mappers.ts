import type { CommandJob, DaySummary, Laugh } from '@giggles/contracts';
import { clipUrlOf } from '../laughter/laugh-view';

/**
 * The original (Python) app's JSON shapes, field for field (laughter-detector/src/models/audio.py:
 * `DailyLaughterSummary`, `LaughterDetectionResponse`), filled from today's data. Where the
 * original leaked a server file path (`clip_path`), this is the clip's URL.
 */
export interface LegacyDailySummary {
  date: string;
  total_laughter_events: number;
  average_probability: number;
  audio_segments_processed: number;
}

export interface LegacyLaughterDetection {
  id: string;
  /** The original named the downloaded segment; segments are internal now, so this is empty. */
  audio_segment_id: string;
  /** ISO 8601 instant (UTC) of the laugh's start. */
  timestamp: string;
  probability: number;
  /** URL of the clip (`/api/laughs/{id}/clip`), never a server path; null without a clip. */
  clip_path: string | null;
  notes: string | null;
  class_id: number | null;
  class_name: string | null;
  /** The laugh's instant: the row's insertion time is not part of the gateway's view of it. */
  created_at: string;
  updated_at: string | null;
}

export interface LegacyJob {
  job_id: string;
  date: string;
  state: string;
}

export function toLegacyDailySummary(day: DaySummary): LegacyDailySummary {
  return {
    date: day.localDate,
    total_laughter_events: day.laughCount,
    average_probability: day.meanProbability ?? 0,
    audio_segments_processed: day.windowsProcessed,
  };
}

export function toLegacyDetection(laugh: Laugh): LegacyLaughterDetection {
  const timestamp = new Date(laugh.startMs).toISOString();
  return {
    id: laugh.id,
    audio_segment_id: '',
    timestamp,
    probability: laugh.probability,
    clip_path: laugh.hasClip ? clipUrlOf(laugh.id) : null,
    notes: laugh.notes ?? null,
    class_id: laugh.classId ?? null,
    class_name: laugh.className ?? null,
    created_at: timestamp,
    updated_at: laugh.reviewedAt ?? null,
  };
}

export function toLegacyJob(job: Pick<CommandJob, 'jobId' | 'localDate' | 'state'>): LegacyJob {
  return { job_id: job.jobId, date: job.localDate, state: job.state };
}

/** The original counted and listed every detection; a laugh marked "not a laugh" is not one. */
export function isCountedLaugh(laugh: Laugh): boolean {
  return laugh.review !== 'not_laugh';
}
