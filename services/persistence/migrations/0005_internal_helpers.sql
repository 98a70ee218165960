-- Building blocks of the write functions in 0006. They live in their own schema so PostgREST
-- (which exposes only `public`) never offers them as RPC endpoints; only service_role, the role
-- the write functions run as, may use them.

CREATE SCHEMA IF NOT EXISTS giggles_internal;
REVOKE ALL ON SCHEMA giggles_internal FROM PUBLIC;
GRANT USAGE ON SCHEMA giggles_internal TO service_role;

-- Payload fields are required unless a caller reads them with ->> directly.
CREATE OR REPLACE FUNCTION giggles_internal.req(payload jsonb, field text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  SET search_path = pg_catalog
  AS $$
DECLARE
  v text := payload ->> field;
BEGIN
  IF v IS NULL OR v = '' THEN
    RAISE EXCEPTION 'payload.% is required', field USING ERRCODE = '22023';
  END IF;
  RETURN v;
END;
$$;

-- Optional objects (ErrorInfo) may be absent, JSON null, or junk; only an object is stored.
CREATE OR REPLACE FUNCTION giggles_internal.json_object_or_null(j jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog
  AS $$ SELECT CASE WHEN jsonb_typeof(j) = 'object' THEN j END $$;

-- Wire times are epoch milliseconds; the database stores instants.
CREATE OR REPLACE FUNCTION giggles_internal.ms_to_ts(ms bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog
  AS $$ SELECT to_timestamp(ms / 1000.0) $$;

-- Every write for one user is serialised: outcomes of overlapping windows (two jobs for the same
-- day, a redelivery racing a retry) must see each other's detections to avoid duplicates.
CREATE OR REPLACE FUNCTION giggles_internal.lock_user(p_user uuid) RETURNS void
  LANGUAGE sql
  SET search_path = pg_catalog
  AS $$ SELECT pg_advisory_xact_lock(hashtextextended('giggles.user:' || p_user::text, 0)) $$;

-- The original's processing_logs.trigger_type only allows manual/scheduled/cron.
CREATE OR REPLACE FUNCTION giggles_internal.legacy_trigger_type(p_trigger text) RETURNS text
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog
  AS $$ SELECT CASE WHEN p_trigger IN ('nightly', 'gap-retry') THEN 'scheduled' ELSE 'manual' END $$;

-- The jobs row for a message, created on first sight: results can arrive before the job's
-- "planned" progress (different subjects, redeliveries), so any message may create it.
CREATE OR REPLACE FUNCTION giggles_internal.touch_job(
  p_job_id text, p_user uuid, p_date date, p_trigger text, p_status text
) RETURNS public.jobs
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_job public.jobs;
BEGIN
  INSERT INTO public.jobs (job_id, user_id, local_date, trigger, status)
  VALUES (p_job_id, p_user, p_date, p_trigger, p_status)
  ON CONFLICT (job_id) DO NOTHING;

  SELECT * INTO v_job FROM public.jobs WHERE job_id = p_job_id FOR UPDATE;
  IF v_job.user_id <> p_user OR v_job.local_date <> p_date OR v_job.trigger <> p_trigger THEN
    RAISE EXCEPTION 'job % belongs to another user, day or trigger', p_job_id USING ERRCODE = '22023';
  END IF;
  RETURN v_job;
END;
$$;

-- The processing_logs row of (user, day, trigger) for this job, or NULL when the row already
-- describes a newer job (a late message of an old run must not touch the new run's counters).
-- A newer job takes the row over and starts its counters from zero: the row shows the latest
-- run, as the original's one-row-per-day log did.
CREATE OR REPLACE FUNCTION giggles_internal.claim_log(
  p_user uuid, p_date date, p_trigger text, p_job public.jobs
) RETURNS uuid
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_log public.processing_logs;
  v_current_job_created timestamptz;
BEGIN
  INSERT INTO public.processing_logs (user_id, date, trigger, trigger_type, job_id, timezone, status, started_at, last_processed)
  VALUES (p_user, p_date, p_trigger, giggles_internal.legacy_trigger_type(p_trigger), p_job.job_id,
          p_job.timezone, 'processing', now(), now())
  ON CONFLICT (user_id, date, trigger) DO NOTHING;

  SELECT * INTO v_log FROM public.processing_logs
   WHERE user_id = p_user AND date = p_date AND trigger = p_trigger
   FOR UPDATE;

  IF v_log.job_id = p_job.job_id THEN
    RETURN v_log.id;
  END IF;

  SELECT created_at INTO v_current_job_created FROM public.jobs WHERE job_id = v_log.job_id;
  IF v_current_job_created > p_job.created_at THEN
    RETURN NULL;
  END IF;

  UPDATE public.processing_logs SET
    job_id = p_job.job_id,
    timezone = coalesce(p_job.timezone, timezone),
    status = 'processing',
    message = NULL,
    started_at = now(),
    finished_at = NULL,
    last_processed = now(),
    processing_duration_seconds = 0,
    windows_planned = 0,
    windows_skipped = 0,
    audio_files_downloaded = 0,
    windows_empty = 0,
    windows_gap = 0,
    windows_failed = 0,
    windows_retried = 0,
    audio_seconds = 0,
    processing_ms = 0,
    laughter_events_found = 0,
    duplicates_skipped = 0,
    limitless_calls = '[]'::jsonb,
    errors = '[]'::jsonb
  WHERE id = v_log.id;
  RETURN v_log.id;
END;
$$;

-- Adds one window outcome to a log row. p_old is the outcome this job recorded for the window
-- before (NULL the first time), so a window that changes outcome within a job moves between
-- counters instead of being counted twice. audio_files_downloaded counts processed windows.
CREATE OR REPLACE FUNCTION giggles_internal.count_outcome(
  p_log uuid,
  p_old text,
  p_new text,
  p_recovered boolean,
  p_window_start_ms bigint,
  p_calls jsonb,
  p_error jsonb,
  p_audio_seconds double precision,
  p_processing_ms bigint,
  p_events integer,
  p_duplicates integer
) RETURNS void
  LANGUAGE sql
  SET search_path = pg_catalog, public
  AS $$
  UPDATE public.processing_logs SET
    audio_files_downloaded = audio_files_downloaded + (p_new = 'processed')::int - coalesce(p_old = 'processed', false)::int,
    windows_empty = windows_empty + (p_new = 'empty')::int - coalesce(p_old = 'empty', false)::int,
    windows_gap = windows_gap + (p_new = 'gap')::int - coalesce(p_old = 'gap', false)::int,
    windows_failed = windows_failed + (p_new = 'failed')::int - coalesce(p_old = 'failed', false)::int,
    windows_retried = windows_retried + p_recovered::int,
    last_gap_filled_at = CASE WHEN p_recovered THEN now() ELSE last_gap_filled_at END,
    audio_seconds = audio_seconds + coalesce(p_audio_seconds, 0),
    processing_ms = processing_ms + coalesce(p_processing_ms, 0),
    laughter_events_found = laughter_events_found + p_events,
    duplicates_skipped = duplicates_skipped + p_duplicates,
    limitless_calls = limitless_calls || coalesce(
      (SELECT jsonb_agg(c || jsonb_build_object('windowStartMs', p_window_start_ms))
         FROM jsonb_array_elements(coalesce(p_calls, '[]'::jsonb)) AS c
        WHERE jsonb_typeof(c) = 'object'),
      '[]'::jsonb),
    errors = CASE WHEN p_error IS NULL OR jsonb_typeof(p_error) <> 'object' THEN errors
             ELSE errors || jsonb_build_array(p_error || jsonb_build_object(
               'windowStartMs', p_window_start_ms, 'outcome', p_new, 'at', now()))
             END,
    last_processed = now()
  WHERE id = p_log;
$$;

-- The job-side twin of count_outcome: moves the window between the job's outcome counters.
CREATE OR REPLACE FUNCTION giggles_internal.count_job_outcome(p_job_id text, p_old text, p_new text) RETURNS void
  LANGUAGE sql
  SET search_path = pg_catalog, public
  AS $$
  UPDATE public.jobs SET
    windows_processed = windows_processed + (p_new = 'processed')::int - coalesce(p_old = 'processed', false)::int,
    windows_empty = windows_empty + (p_new = 'empty')::int - coalesce(p_old = 'empty', false)::int,
    windows_gap = windows_gap + (p_new = 'gap')::int - coalesce(p_old = 'gap', false)::int,
    windows_failed = windows_failed + (p_new = 'failed')::int - coalesce(p_old = 'failed', false)::int,
    status = CASE WHEN status = 'planned' THEN 'running' ELSE status END
  WHERE job_id = p_job_id;
$$;

-- Marks the job done once every window it planned has an outcome, and closes its log row.
-- windows_planned counts all windows of the day's plan including the ones skipped as already
-- done (JobProgress.windowsSkipped), so the job waits for planned − skipped outcomes.
CREATE OR REPLACE FUNCTION giggles_internal.maybe_complete_job(p_job_id text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_job public.jobs;
BEGIN
  UPDATE public.jobs SET status = 'done', completed_at = now()
   WHERE job_id = p_job_id
     AND status IN ('planned', 'running')
     AND windows_planned IS NOT NULL
     AND windows_done >= windows_planned - windows_skipped
  RETURNING * INTO v_job;
  IF NOT FOUND THEN
    RETURN;
  END IF;

  UPDATE public.processing_logs SET
    status = 'completed',
    finished_at = now(),
    last_processed = now(),
    processing_duration_seconds = greatest(0, extract(epoch FROM now() - coalesce(started_at, now())))::int,
    message = format('%s windows processed, %s empty, %s gaps, %s failed, %s skipped; %s laughs found',
                     audio_files_downloaded, windows_empty, windows_gap, windows_failed, windows_skipped,
                     laughter_events_found)
  WHERE user_id = v_job.user_id AND date = v_job.local_date AND trigger = v_job.trigger AND job_id = p_job_id;
END;
$$;

-- Inserts a window's events, skipping the ones that are already stored. An event is the same
-- laugh as a stored detection of the same class whose time span touches or overlaps it — that
-- covers redeliveries (identical key), reprocessing, and windows that overlap or whose edges
-- moved between runs (the original's duplicate fault). Deleted detections (tombstones) count
-- too, so a laugh the user deleted stays deleted. ON CONFLICT DO NOTHING (no target) also
-- absorbs any unique key an existing project may still carry.
CREATE OR REPLACE FUNCTION giggles_internal.insert_detections(
  p_user uuid, p_segment uuid, p_model_version text, p_events jsonb,
  OUT inserted integer, OUT duplicates integer
)
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  e jsonb;
  v_start timestamptz;
  v_end timestamptz;
  v_class integer;
  v_id uuid;
BEGIN
  inserted := 0;
  duplicates := 0;
  FOR e IN SELECT value FROM jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) LOOP
    v_start := giggles_internal.ms_to_ts(giggles_internal.req(e, 'startMs')::bigint);
    v_end := giggles_internal.ms_to_ts(giggles_internal.req(e, 'endMs')::bigint);
    v_class := giggles_internal.req(e, 'classId')::integer;

    IF EXISTS (
      SELECT 1 FROM public.laughter_detections d
       WHERE d.user_id = p_user
         AND d.class_id = v_class
         AND coalesce(d.event_end, d."timestamp") >= v_start
         AND d."timestamp" <= v_end
    ) THEN
      duplicates := duplicates + 1;
      CONTINUE;
    END IF;

    v_id := NULL;
    INSERT INTO public.laughter_detections (
      user_id, audio_segment_id, "timestamp", event_end, peak_at, probability, mean_probability,
      class_id, class_name, model_version, clip_path
    ) VALUES (
      p_user, p_segment, v_start, v_end,
      giggles_internal.ms_to_ts((e ->> 'peakMs')::bigint),
      round(least(greatest(giggles_internal.req(e, 'probability')::numeric, 0), 1), 4),
      round(least(greatest((e ->> 'meanProbability')::numeric, 0), 1), 4),
      v_class, e ->> 'className', p_model_version, nullif(e ->> 'clipPath', '')
    )
    ON CONFLICT DO NOTHING
    RETURNING id INTO v_id;

    IF v_id IS NULL THEN
      duplicates := duplicates + 1;
    ELSE
      inserted := inserted + 1;
    END IF;
  END LOOP;
END;
$$;

-- What the caller needs per event after a segment write: the stored detection with that key
-- (if any) and its clip path. A clip object is worth storing only where the detection that
-- survived points at the path the caller asked for; this is recomputed on every call, so a
-- redelivered result gets the same answer.
CREATE OR REPLACE FUNCTION giggles_internal.event_states(p_user uuid, p_events jsonb) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'startMs', (x.e ->> 'startMs')::bigint,
           'classId', (x.e ->> 'classId')::integer,
           'detectionId', d.id,
           'clipPath', d.clip_path
         ) ORDER BY x.ord), '[]'::jsonb)
    FROM jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) WITH ORDINALITY AS x(e, ord)
    LEFT JOIN public.laughter_detections d
      ON d.user_id = p_user
     AND d."timestamp" = giggles_internal.ms_to_ts((x.e ->> 'startMs')::bigint)
     AND d.class_id = (x.e ->> 'classId')::integer
     AND d.deleted_at IS NULL;
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA giggles_internal FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA giggles_internal TO service_role;
