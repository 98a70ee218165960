/**
 * The database as supabase-js sees it through PostgREST, written by hand to match
 * `migrations/*.sql` (the shape `supabase gen types` produces). Timestamps and dates arrive as
 * ISO strings; numeric and bigint columns as JSON numbers.
 *
 * `type` aliases, not interfaces: supabase-js needs rows assignable to Record<string, unknown>.
 */

export type SegmentStatus = 'processed' | 'empty' | 'gap' | 'failed';
export type JobStatus = 'planned' | 'running' | 'done' | 'key_invalid' | 'failed';
export type LogStatus = 'pending' | 'processing' | 'completed' | 'failed';
export type KeyStatus = 'valid' | 'invalid';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type UserRow = {
  id: string;
  email: string;
  is_active: boolean | null;
  mfa_enabled: boolean | null;
  timezone: string;
  /** The user keeps processed audio in the archive (0012). */
  audio_archive: boolean;
  created_at: string | null;
  updated_at: string | null;
};

/**
 * One archived window (0012): the file is at `path` in the archive storage. An empty marker
 * (0016: Limitless answered 404 for the window) has `empty` true and no file: path, bytes and
 * sha256 are all null then, and only then.
 */
export type AudioArchiveRow = {
  user_id: string;
  local_date: string;
  window_start: string;
  window_end: string;
  empty: boolean;
  /** When Limitless answered 404 for an empty marker's window; null for rows with a file. */
  empty_at: string | null;
  bytes: number | null;
  sha256: string | null;
  path: string | null;
  created_at: string;
};

export type LimitlessKeyRow = {
  id: string;
  user_id: string;
  encrypted_api_key: string;
  is_active: boolean | null;
  status: KeyStatus;
  invalid_since: string | null;
  /** Why Limitless rejected the key (0010). */
  invalid_reason: string | null;
  created_at: string | null;
  updated_at: string | null;
};

export type AudioSegmentRow = {
  id: string;
  user_id: string;
  date: string;
  start_time: string;
  end_time: string;
  file_path: string | null;
  processed: boolean | null;
  status: SegmentStatus;
  decoded_seconds: number | null;
  model_version: string | null;
  job_id: string | null;
  last_outcome: SegmentStatus | null;
  /** What Limitless said to the job that last recorded the window (0015); NULL before 0015. */
  limitless_contact: 'answered' | 'unreachable' | 'none' | null;
  trigger: string | null;
  attempts: number;
  processing_ms: number | null;
  error: JsonValue | null;
  created_at: string | null;
  updated_at: string | null;
};

export type LaughterDetectionRow = {
  id: string;
  user_id: string;
  /** NULL only for tombstones whose window was cleared for a reprocess (0009). */
  audio_segment_id: string | null;
  timestamp: string;
  probability: number;
  clip_path: string | null;
  notes: string | null;
  class_id: number | null;
  class_name: string | null;
  event_start: string;
  event_end: string | null;
  duration_s: number | null;
  peak_at: string | null;
  mean_probability: number | null;
  model_version: string | null;
  deleted_at: string | null;
  created_at: string | null;
  updated_at: string | null;
};

export type ProcessingLogRow = {
  id: string;
  user_id: string;
  date: string;
  status: LogStatus;
  message: string | null;
  last_processed: string | null;
  trigger_type: string | null;
  trigger: string | null;
  job_id: string | null;
  timezone: string | null;
  started_at: string | null;
  finished_at: string | null;
  processing_duration_seconds: number | null;
  windows_planned: number;
  windows_skipped: number;
  audio_files_downloaded: number;
  windows_empty: number;
  windows_gap: number;
  windows_failed: number;
  windows_retried: number;
  audio_seconds: number;
  processing_ms: number;
  laughter_events_found: number;
  duplicates_skipped: number;
  limitless_calls: JsonValue;
  errors: JsonValue;
  api_calls: JsonValue | null;
  error_details: JsonValue | null;
  processing_steps: JsonValue | null;
  last_gap_filled_at: string | null;
  gap_given_up_at: string | null;
  created_at: string | null;
  updated_at: string | null;
};

export type JobRow = {
  job_id: string;
  user_id: string;
  local_date: string;
  timezone: string | null;
  trigger: string;
  status: JobStatus;
  windows_planned: number | null;
  windows_skipped: number;
  windows_processed: number;
  windows_empty: number;
  windows_gap: number;
  windows_failed: number;
  windows_done: number;
  /** Windows Limitless answered / could not be reached for (0015); NULL for jobs registered before 0015. */
  windows_answered: number | null;
  windows_unreachable: number | null;
  error: JsonValue | null;
  completed_at: string | null;
  /** The range the scheduler registered the job for (0009); NULL for rows created by results. */
  range_start: string | null;
  range_end: string | null;
  created_at: string;
  updated_at: string;
};

/** A user's review mark kept as a label with the detection's scores (0010). */
export type DetectionReviewRow = {
  id: string;
  user_id: string;
  /** NULL while the detection is gone (its day cleared for a reprocess) until it is found again. */
  detection_id: string | null;
  label: 'not_laugh';
  event_start: string;
  event_end: string | null;
  peak_at: string | null;
  probability: number;
  mean_probability: number | null;
  class_id: number | null;
  class_name: string | null;
  model_version: string | null;
  reviewed_at: string;
};

/** giggles_day_summaries (0010): one local day's counts and what its state in words is made of. */
export type DaySummaryRow = {
  local_date: string;
  laugh_count: number;
  laugh_seconds: number;
  mean_probability: number | null;
  audio_seconds: number;
  windows_processed: number;
  windows_empty: number;
  windows_gap: number;
  windows_failed: number;
  rejected_count: number;
  jobs_in_flight: number;
  in_flight_planned: number;
  in_flight_done: number;
  latest_job_status: JobStatus | null;
  gaps_given_up: boolean;
  key_state: 'active' | 'invalid' | 'none';
};

export type UserDayRow = {
  date: string;
  detections: number;
  audio_seconds: number;
  windows_processed: number;
  windows_empty: number;
  windows_gap: number;
  windows_failed: number;
};

export type DueDayRow = {
  local_date: string;
  reason: string;
  retries: number;
  last_run_at: string | null;
};

export type UserByEmailRow = {
  user_id: string;
  email: string;
  timezone: string;
  key_status: string;
};

type Table<Row, Relationships extends Relationship[] = []> = {
  Row: Row;
  Insert: Partial<Row>;
  Update: Partial<Row>;
  Relationships: Relationships;
};

type Relationship = {
  foreignKeyName: string;
  columns: string[];
  isOneToOne?: boolean;
  referencedRelation: string;
  referencedColumns: string[];
};

type UserFk<Name extends string> = {
  foreignKeyName: Name;
  columns: ['user_id'];
  isOneToOne: false;
  referencedRelation: 'users';
  referencedColumns: ['id'];
};

export type Database = {
  public: {
    Tables: {
      users: Table<UserRow>;
      limitless_keys: Table<LimitlessKeyRow, [UserFk<'limitless_keys_user_id_fkey'>]>;
      audio_segments: Table<AudioSegmentRow, [UserFk<'audio_segments_user_id_fkey'>]>;
      laughter_detections: Table<
        LaughterDetectionRow,
        [
          UserFk<'laughter_detections_user_id_fkey'>,
          {
            foreignKeyName: 'laughter_detections_audio_segment_id_fkey';
            columns: ['audio_segment_id'];
            isOneToOne: false;
            referencedRelation: 'audio_segments';
            referencedColumns: ['id'];
          },
        ]
      >;
      processing_logs: Table<ProcessingLogRow, [UserFk<'processing_logs_user_id_fkey'>]>;
      jobs: Table<JobRow, [UserFk<'jobs_user_id_fkey'>]>;
      detection_reviews: Table<DetectionReviewRow, [UserFk<'detection_reviews_user_id_fkey'>]>;
      audio_archive: Table<AudioArchiveRow, [UserFk<'audio_archive_user_id_fkey'>]>;
    };
    Views: { [_ in never]: never };
    Functions: {
      giggles_record_segment_result: { Args: { payload: JsonValue }; Returns: JsonValue };
      giggles_record_window_outcome: { Args: { payload: JsonValue }; Returns: JsonValue };
      giggles_record_job_progress: { Args: { payload: JsonValue }; Returns: JsonValue };
      giggles_record_dead_letter: { Args: { payload: JsonValue }; Returns: JsonValue };
      giggles_delete_detection: { Args: { p_user_id: string; p_detection_id: string }; Returns: JsonValue };
      giggles_set_user_key: { Args: { p_user_id: string; p_encrypted_api_key: string }; Returns: string };
      giggles_user_days: {
        Args: { p_user_id: string; p_from?: string; p_to?: string };
        Returns: UserDayRow[];
      };
      giggles_due_days: {
        Args: { p_user_id: string; p_from: string; p_to: string; p_timezone?: string };
        Returns: DueDayRow[];
      };
      giggles_register_job: { Args: { payload: JsonValue }; Returns: JsonValue };
      giggles_give_up_gaps: { Args: { p_user_id: string; p_date: string; p_reason: string }; Returns: JsonValue };
      giggles_clear_days: { Args: { p_user_id: string; p_from: string; p_to: string; p_limitless_unreachable?: boolean }; Returns: JsonValue };
      giggles_user_by_email: { Args: { p_email: string }; Returns: UserByEmailRow[] };
      giggles_operations_status: { Args: { p_user_id?: string }; Returns: JsonValue };
      giggles_fail_stuck_jobs: { Args: { p_cutoff: string; p_message: string; p_dry_run?: boolean }; Returns: JsonValue };
      giggles_imports_mark_interrupted: { Args: { p_cutoff: string; p_message: string; p_dry_run?: boolean }; Returns: JsonValue };
      // The gateway's queries (0010). jsonb replies are shaped like the contracts (user-queries.ts).
      giggles_day_summaries: {
        Args: { p_user_id: string; p_before?: string; p_limit?: number; p_date?: string };
        Returns: DaySummaryRow[];
      };
      giggles_day_laughs: {
        Args: { p_user_id: string; p_date: string; p_min_probability?: number; p_offset?: number; p_limit?: number };
        Returns: JsonValue;
      };
      giggles_update_laugh: {
        Args: { p_user_id: string; p_laugh_id: string; p_set_notes: boolean; p_notes: string | null; p_set_review: boolean; p_review: string | null };
        Returns: JsonValue;
      };
      giggles_laugh_clip: { Args: { p_user_id: string; p_laugh_id: string }; Returns: string | null };
      giggles_delete_day: { Args: { p_user_id: string; p_date: string }; Returns: JsonValue };
      giggles_delete_user_data: { Args: { p_user_id: string }; Returns: JsonValue };
      giggles_key_status: { Args: { p_user_id: string }; Returns: JsonValue };
      giggles_save_key: { Args: { p_user_id: string; p_encrypted_api_key: string }; Returns: JsonValue };
      giggles_delete_key: { Args: { p_user_id: string }; Returns: boolean };
      giggles_user_profile: { Args: { p_user_id: string }; Returns: JsonValue };
      giggles_ensure_user: { Args: { p_user_id: string; p_email: string; p_timezone?: string }; Returns: JsonValue };
      giggles_trends: { Args: { p_user_id: string; p_from: string; p_to: string }; Returns: JsonValue };
      giggles_export_laughs: {
        Args: { p_user_id: string; p_after_ms?: number; p_after_id?: string; p_limit?: number };
        Returns: JsonValue;
      };
      giggles_job_progress: { Args: { p_user_id: string; p_job_id: string }; Returns: JsonValue };
      // Backfill and API outages (0011; src/history). jsonb shaped like history-queries.ts.
      giggles_backfill_start: { Args: { p_user_id: string; p_from: string; p_to: string }; Returns: JsonValue };
      giggles_backfill_set_state: { Args: { p_user_id: string; p_state: string }; Returns: JsonValue };
      giggles_backfill_progress: { Args: { p_user_id?: string }; Returns: JsonValue };
      giggles_backfill_plan: { Args: { p_limit: number }; Returns: JsonValue };
      giggles_archive_summary: { Args: { p_user_id: string }; Returns: JsonValue };
      giggles_archive_totals: { Args: Record<string, never>; Returns: JsonValue };
      giggles_api_outages: { Args: Record<string, never>; Returns: JsonValue };
      giggles_api_outage_set: { Args: { p_user_id: string; p_action: string; p_reason?: string }; Returns: JsonValue };
      // Imported recordings (0013; src/imports). jsonb shaped like import-queries.ts.
      giggles_import_begin: { Args: { payload: JsonValue }; Returns: JsonValue };
      giggles_imports_list: { Args: { p_user_id: string; p_limit: number; p_import_id?: string }; Returns: JsonValue };
      // 0014: a never-started registration removed (its publish was dropped as a duplicate).
      giggles_discard_job: { Args: { p_user_id: string; p_job_id: string }; Returns: JsonValue };
      giggles_backfill_give_up: { Args: { p_user_id: string; p_date: string; p_reason: string }; Returns: JsonValue };
    };
    Enums: { [_ in never]: never };
    CompositeTypes: { [_ in never]: never };
  };
};
