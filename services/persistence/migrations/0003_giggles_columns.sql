-- What Giggles adds to the original tables, and the uniqueness the original lacked.
--
-- Existing projects may hold data the new unique keys would reject (the original wrote
-- duplicate segments and duplicate detections — its known faults), so each key is preceded by
-- a clean-up that keeps the oldest row and re-points references to it.

-- users ------------------------------------------------------------------------------------
ALTER TABLE public.users
  ADD COLUMN IF NOT EXISTS timezone text DEFAULT 'UTC';
UPDATE public.users SET timezone = 'UTC' WHERE timezone IS NULL;
ALTER TABLE public.users ALTER COLUMN timezone SET NOT NULL;

-- limitless_keys ---------------------------------------------------------------------------
-- status: whether Limitless accepted the key last time (401 → invalid). invalid_since tells the
-- user when, and lets the scheduler stop trying until the key changes.
ALTER TABLE public.limitless_keys
  ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'valid'
    CONSTRAINT limitless_keys_status_check CHECK (status IN ('valid', 'invalid')),
  ADD COLUMN IF NOT EXISTS invalid_since timestamptz;

-- One active key per user. The original read "the" active key with LIMIT 1 and no order, so
-- if several were active the newest is the one to keep.
UPDATE public.limitless_keys k
   SET is_active = false
 WHERE k.is_active
   AND EXISTS (
     SELECT 1 FROM public.limitless_keys newer
      WHERE newer.user_id = k.user_id AND newer.is_active
        AND (newer.created_at, newer.id) > (k.created_at, k.id)
   );
CREATE UNIQUE INDEX IF NOT EXISTS limitless_keys_one_active_per_user
  ON public.limitless_keys (user_id) WHERE is_active;

-- audio_segments ---------------------------------------------------------------------------
-- One row per (user, window). status is the window's durable state: processed (inferred),
-- empty (Limitless had no audio), gap (download kept failing; retried later), failed
-- (inference failed). job_id/last_outcome record the last outcome applied and make
-- redelivered results no-ops.
ALTER TABLE public.audio_segments
  ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'processed'
    CONSTRAINT audio_segments_status_check CHECK (status IN ('processed', 'empty', 'gap', 'failed')),
  ADD COLUMN IF NOT EXISTS decoded_seconds double precision,
  ADD COLUMN IF NOT EXISTS model_version text,
  ADD COLUMN IF NOT EXISTS job_id text,
  ADD COLUMN IF NOT EXISTS last_outcome text
    CONSTRAINT audio_segments_last_outcome_check CHECK (last_outcome IN ('processed', 'empty', 'gap', 'failed')),
  ADD COLUMN IF NOT EXISTS trigger text,
  ADD COLUMN IF NOT EXISTS attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS processing_ms integer,
  ADD COLUMN IF NOT EXISTS error jsonb;

-- Legacy rows that never finished processing are not done windows.
UPDATE public.audio_segments SET status = 'failed' WHERE processed IS NOT TRUE AND job_id IS NULL;

-- Duplicate windows from the original: keep the oldest, move detections onto it.
CREATE TEMPORARY TABLE giggles_segment_dupes ON COMMIT DROP AS
  SELECT id, keep_id FROM (
    SELECT id,
           first_value(id) OVER (PARTITION BY user_id, start_time, end_time ORDER BY created_at, id) AS keep_id
      FROM public.audio_segments
  ) ranked
  WHERE id <> keep_id;
UPDATE public.laughter_detections d
   SET audio_segment_id = dup.keep_id
  FROM giggles_segment_dupes dup
 WHERE d.audio_segment_id = dup.id;
DELETE FROM public.audio_segments s USING giggles_segment_dupes dup WHERE s.id = dup.id;

ALTER TABLE public.audio_segments
  ADD CONSTRAINT audio_segments_window_key UNIQUE (user_id, start_time, end_time);
-- NOT VALID: enforced for new rows without failing on whatever the original stored.
ALTER TABLE public.audio_segments
  ADD CONSTRAINT audio_segments_window_order CHECK (end_time > start_time) NOT VALID;

CREATE INDEX IF NOT EXISTS audio_segments_user_date ON public.audio_segments (user_id, date);

-- laughter_detections ----------------------------------------------------------------------
-- "timestamp" stays the event start (the original's column); event_start is generated from it
-- so the two can never disagree and legacy rows get it for free.
ALTER TABLE public.laughter_detections
  ADD COLUMN IF NOT EXISTS event_start timestamptz GENERATED ALWAYS AS ("timestamp") STORED,
  ADD COLUMN IF NOT EXISTS event_end timestamptz,
  ADD COLUMN IF NOT EXISTS peak_at timestamptz,
  ADD COLUMN IF NOT EXISTS mean_probability numeric(5, 4)
    CONSTRAINT laughter_detections_mean_probability_check CHECK (mean_probability >= 0 AND mean_probability <= 1),
  ADD COLUMN IF NOT EXISTS model_version text,
  -- Set when the user deletes a detection: the row stays as a tombstone so reprocessing the
  -- day cannot bring back a laugh the user removed.
  ADD COLUMN IF NOT EXISTS deleted_at timestamptz;
ALTER TABLE public.laughter_detections
  ADD COLUMN IF NOT EXISTS duration_s double precision
    GENERATED ALWAYS AS (extract(epoch FROM (event_end - "timestamp"))) STORED;
ALTER TABLE public.laughter_detections
  ADD CONSTRAINT laughter_detections_event_order CHECK (event_end IS NULL OR event_end >= "timestamp") NOT VALID;

-- The original's duplicate guards: a trigger that raised on any second detection at the same
-- instant (even of another class) and a (user, timestamp) key its own later fix replaced.
-- Both would turn a legitimate second class into an error; the key below replaces them.
DROP TRIGGER IF EXISTS prevent_duplicate_laughter_trigger ON public.laughter_detections;
DROP FUNCTION IF EXISTS public.prevent_duplicate_laughter();
ALTER TABLE public.laughter_detections DROP CONSTRAINT IF EXISTS unique_laughter_timestamp_user;
-- The original's class-aware fix is the same key as ours under another name.
ALTER TABLE public.laughter_detections DROP CONSTRAINT IF EXISTS unique_laughter_timestamp_user_class;

DELETE FROM public.laughter_detections d
 USING public.laughter_detections older
 WHERE d.user_id = older.user_id
   AND d."timestamp" = older."timestamp"
   AND d.class_id = older.class_id
   AND (older.created_at, older.id) < (d.created_at, d.id);

ALTER TABLE public.laughter_detections
  ADD CONSTRAINT laughter_detections_event_key UNIQUE (user_id, event_start, class_id);

CREATE INDEX IF NOT EXISTS laughter_detections_segment ON public.laughter_detections (audio_segment_id);
-- Overlap look-ups when a new event arrives: events of the user ending at or after its start.
CREATE INDEX IF NOT EXISTS laughter_detections_user_end
  ON public.laughter_detections (user_id, (coalesce(event_end, "timestamp")));
CREATE INDEX IF NOT EXISTS laughter_detections_user_clip
  ON public.laughter_detections (user_id, clip_path) WHERE clip_path IS NOT NULL;

-- processing_logs --------------------------------------------------------------------------
-- One row per (user, local date, trigger) describing the latest job of that trigger for that
-- day. Legacy rows keep trigger NULL, so they never collide with the key below.
ALTER TABLE public.processing_logs
  ADD COLUMN IF NOT EXISTS trigger text
    CONSTRAINT processing_logs_trigger_check CHECK (trigger IN ('nightly', 'today', 'reprocess', 'gap-retry', 'manual')),
  ADD COLUMN IF NOT EXISTS job_id text,
  ADD COLUMN IF NOT EXISTS timezone text,
  ADD COLUMN IF NOT EXISTS started_at timestamptz,
  ADD COLUMN IF NOT EXISTS finished_at timestamptz,
  ADD COLUMN IF NOT EXISTS windows_planned integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS windows_skipped integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS windows_empty integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS windows_gap integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS windows_failed integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS windows_retried integer NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS audio_seconds double precision NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS processing_ms bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS limitless_calls jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN IF NOT EXISTS errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN IF NOT EXISTS last_gap_filled_at timestamptz,
  ADD COLUMN IF NOT EXISTS gap_given_up_at timestamptz;

-- The original's counters were nullable; ours are incremented in place.
UPDATE public.processing_logs
   SET audio_files_downloaded = coalesce(audio_files_downloaded, 0),
       laughter_events_found = coalesce(laughter_events_found, 0),
       duplicates_skipped = coalesce(duplicates_skipped, 0)
 WHERE audio_files_downloaded IS NULL OR laughter_events_found IS NULL OR duplicates_skipped IS NULL;
ALTER TABLE public.processing_logs
  ALTER COLUMN audio_files_downloaded SET NOT NULL,
  ALTER COLUMN laughter_events_found SET NOT NULL,
  ALTER COLUMN duplicates_skipped SET NOT NULL;

ALTER TABLE public.processing_logs
  ADD CONSTRAINT processing_logs_day_trigger_key UNIQUE (user_id, date, trigger);

-- jobs -------------------------------------------------------------------------------------
-- One row per day job. jobId is deterministic (contracts messageIds.dayJob: user, day, trigger,
-- range), so a repeated request is the same job. Statuses follow the jobs.status query contract.
-- Outcome counters hold each window's latest outcome in this job; windows_done is their sum.
CREATE TABLE IF NOT EXISTS public.jobs (
  job_id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  timezone text,
  trigger text NOT NULL CHECK (trigger IN ('nightly', 'today', 'reprocess', 'gap-retry', 'manual')),
  status text NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'running', 'done', 'key_invalid', 'failed')),
  windows_planned integer,
  windows_skipped integer NOT NULL DEFAULT 0,
  windows_processed integer NOT NULL DEFAULT 0,
  windows_empty integer NOT NULL DEFAULT 0,
  windows_gap integer NOT NULL DEFAULT 0,
  windows_failed integer NOT NULL DEFAULT 0,
  windows_done integer GENERATED ALWAYS AS (windows_processed + windows_empty + windows_gap + windows_failed) STORED,
  error jsonb,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS jobs_user_date ON public.jobs (user_id, local_date);

DROP TRIGGER IF EXISTS giggles_touch_updated_at ON public.jobs;
CREATE TRIGGER giggles_touch_updated_at BEFORE UPDATE ON public.jobs
  FOR EACH ROW EXECUTE FUNCTION public.giggles_touch_updated_at();
