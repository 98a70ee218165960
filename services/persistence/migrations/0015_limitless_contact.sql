-- Issue 10, "when the API is gone": what Limitless said, per window and per job, so that an outage
-- is told from a day served from the archive; a reprocess refused while it would lose what only
-- the database holds; imported recordings kept through a reprocess.

-- limitless_contact ------------------------------------------------------------------------------
-- Per window, what the job that last recorded it heard from Limitless: 'answered' (any HTTP
-- status, a 404 "no audio" or a 503 included), 'unreachable' (no HTTP response at all, or an
-- api_unreachable gap ingestion recorded without asking again), 'none' (Limitless was not asked:
-- restored from the audio archive, imported, dead-lettered). NULL on windows recorded before 0015.
ALTER TABLE public.audio_segments ADD COLUMN IF NOT EXISTS limitless_contact text;
ALTER TABLE public.audio_segments DROP CONSTRAINT IF EXISTS audio_segments_limitless_contact_check;
ALTER TABLE public.audio_segments
  ADD CONSTRAINT audio_segments_limitless_contact_check CHECK (limitless_contact IN ('answered', 'unreachable', 'none'));

-- Per job, how many of its windows Limitless answered / could not be reached for. Added without a
-- default first so jobs that exist now keep NULL (their windows were not classified: the outage
-- rule keeps its old form for them); jobs registered from now on start at 0.
ALTER TABLE public.jobs ADD COLUMN IF NOT EXISTS windows_answered integer;
ALTER TABLE public.jobs ADD COLUMN IF NOT EXISTS windows_unreachable integer;
ALTER TABLE public.jobs ALTER COLUMN windows_answered SET DEFAULT 0;
ALTER TABLE public.jobs ALTER COLUMN windows_unreachable SET DEFAULT 0;

-- The contact one window result carries (its limitlessCalls, and its error code).
CREATE OR REPLACE FUNCTION giggles_internal.limitless_contact(payload jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog
  AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(payload -> 'limitlessCalls') = 'array'
                                                         THEN payload -> 'limitlessCalls' ELSE '[]'::jsonb END) c
                  WHERE coalesce((c ->> 'status')::numeric, 0) > 0) THEN 'answered'
    WHEN jsonb_typeof(payload -> 'limitlessCalls') = 'array' AND jsonb_array_length(payload -> 'limitlessCalls') > 0 THEN 'unreachable'
    -- Once a window found Limitless unreachable, ingestion records the job's other windows as
    -- api_unreachable gaps without asking again (their call list is empty).
    WHEN payload #>> '{error,code}' = 'api_unreachable' THEN 'unreachable'
    ELSE 'none'
  END;
$$;

-- The contact this job recorded before for the window of this result (NULL when another job, or
-- no job, recorded it). Takes the user's lock first, as the write functions do.
CREATE OR REPLACE FUNCTION giggles_internal.contact_before(payload jsonb) RETURNS text
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_contact text;
BEGIN
  PERFORM giggles_internal.lock_user(v_user);
  SELECT s.limitless_contact INTO v_contact FROM public.audio_segments s
   WHERE s.user_id = v_user
     AND s.start_time = giggles_internal.ms_to_ts(giggles_internal.req(payload, 'windowStartMs')::bigint)
     AND s.end_time = giggles_internal.ms_to_ts(giggles_internal.req(payload, 'windowEndMs')::bigint)
     AND s.job_id = giggles_internal.req(payload, 'jobId');
  RETURN v_contact;
END;
$$;

-- After an applied result: the window's contact, and the job's counters moved from what this job
-- recorded for the window before (a job's NULL counters — registered before 0015 — stay NULL).
CREATE OR REPLACE FUNCTION giggles_internal.count_contact(payload jsonb, p_result jsonb, p_before text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_contact text := giggles_internal.limitless_contact(payload);
BEGIN
  IF NOT coalesce((p_result ->> 'applied')::boolean, false) THEN
    RETURN;
  END IF;
  UPDATE public.audio_segments SET limitless_contact = v_contact WHERE id = (p_result ->> 'segmentId')::uuid;
  UPDATE public.jobs SET
    windows_answered = windows_answered + (v_contact = 'answered')::integer - (p_before IS NOT DISTINCT FROM 'answered')::integer,
    windows_unreachable = windows_unreachable + (v_contact = 'unreachable')::integer - (p_before IS NOT DISTINCT FROM 'unreachable')::integer
   WHERE job_id = giggles_internal.req(payload, 'jobId')
     AND (v_contact IS DISTINCT FROM p_before);
END;
$$;

-- The write functions of 0006 keep their bodies (moved, unchanged) and gain the contact
-- bookkeeping in thin public wrappers with the same signatures.
ALTER FUNCTION public.giggles_record_segment_result(jsonb) SET SCHEMA giggles_internal;
ALTER FUNCTION giggles_internal.giggles_record_segment_result(jsonb) RENAME TO record_segment_result_body;
ALTER FUNCTION public.giggles_record_window_outcome(jsonb) SET SCHEMA giggles_internal;
ALTER FUNCTION giggles_internal.giggles_record_window_outcome(jsonb) RENAME TO record_window_outcome_body;

-- giggles.results.segment (see giggles_internal.record_segment_result_body).
CREATE OR REPLACE FUNCTION public.giggles_record_segment_result(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_before text := giggles_internal.contact_before(payload);
  v_result jsonb;
BEGIN
  v_result := giggles_internal.record_segment_result_body(payload);
  PERFORM giggles_internal.count_contact(payload, v_result, v_before);
  RETURN v_result;
END;
$$;

-- giggles.results.window (see giggles_internal.record_window_outcome_body).
CREATE OR REPLACE FUNCTION public.giggles_record_window_outcome(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_before text := giggles_internal.contact_before(payload);
  v_result jsonb;
BEGIN
  v_result := giggles_internal.record_window_outcome_body(payload);
  PERFORM giggles_internal.count_contact(payload, v_result, v_before);
  RETURN v_result;
END;
$$;

-- What a finished job says about Limitless: 'evidence' of an outage (≥ 1 window unreachable and
-- none answered), 'break' (Limitless answered something, even a 404), or 'neutral' (Limitless was
-- not asked: windows restored from the archive, skipped, imported). A job registered before 0015
-- (NULL counters) keeps the old rule: evidence when every window was an api_unreachable gap,
-- a break otherwise.
CREATE OR REPLACE FUNCTION giggles_internal.job_contact_verdict(j public.jobs) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT CASE
    WHEN j.windows_answered IS NULL OR j.windows_unreachable IS NULL THEN
      CASE WHEN coalesce(j.windows_planned, 0) > 0 AND j.windows_gap = j.windows_planned
                AND NOT EXISTS (SELECT 1 FROM public.audio_segments s
                                 WHERE s.job_id = j.job_id AND s.user_id = j.user_id
                                   AND (s.status <> 'gap' OR coalesce(s.error ->> 'code', '') <> 'api_unreachable'))
           THEN 'evidence' ELSE 'break' END
    WHEN j.windows_answered > 0 THEN 'break'
    WHEN j.windows_unreachable > 0 THEN 'evidence'
    ELSE 'neutral'
  END;
$$;

-- giggles.query.outages.list (as 0011) with the verdicts above: per user with an active key, the
-- start of the current run of evidence — the first evidence job after the last break, neutral
-- jobs passing unnoticed — counted after the last resume, and the pause state.
CREATE OR REPLACE FUNCTION public.giggles_api_outages() RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH finished AS (
    SELECT j.user_id, j.created_at, giggles_internal.job_contact_verdict(j) AS verdict
      FROM public.jobs j
      LEFT JOIN public.limitless_outages o ON o.user_id = j.user_id
     WHERE j.status IN ('done', 'failed') AND j.trigger <> 'today'
       AND j.created_at > coalesce(o.resumed_at, '-infinity'::timestamptz)
       -- Asked every tick: only the recent past matters (the pause threshold is at most 30 days).
       AND j.created_at > now() - interval '31 days'
  ), runs AS (
    SELECT f.user_id,
           min(f.created_at) FILTER (WHERE f.verdict = 'evidence'
             AND f.created_at > coalesce((SELECT max(r.created_at) FROM finished r WHERE r.user_id = f.user_id AND r.verdict = 'break'), '-infinity'::timestamptz)) AS since
      FROM finished f
     GROUP BY f.user_id
  )
  SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
           'userId', u.id, 'email', coalesce(u.email, ''),
           'unreachableSince', r.since,
           'pausedAt', o.paused_at, 'pauseReason', o.pause_reason, 'lastProbeAt', o.last_probe_at))
           ORDER BY u.email, u.id), '[]'::jsonb)
    FROM public.users u
    LEFT JOIN runs r ON r.user_id = u.id
    LEFT JOIN public.limitless_outages o ON o.user_id = u.id
   WHERE (r.since IS NOT NULL OR o.paused_at IS NOT NULL)
     AND EXISTS (SELECT 1 FROM public.limitless_keys k WHERE k.user_id = u.id AND k.is_active);
$$;

-- Whether Limitless is unreachable for the user as far as we know now: downloads are paused, or
-- the newest finished job that heard anything (evidence or break, 'today' runs included: any run
-- is news of the API) found it unreachable.
CREATE OR REPLACE FUNCTION giggles_internal.api_unreachable_now(p_user_id uuid) RETURNS boolean
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT EXISTS (SELECT 1 FROM public.limitless_outages o WHERE o.user_id = p_user_id AND o.paused_at IS NOT NULL)
      OR coalesce((
        SELECT v.verdict = 'evidence' FROM (
          SELECT giggles_internal.job_contact_verdict(j) AS verdict, j.created_at, j.job_id
            FROM public.jobs j
            LEFT JOIN public.limitless_outages o ON o.user_id = j.user_id
           WHERE j.user_id = p_user_id AND j.status IN ('done', 'failed')
             AND j.created_at > coalesce(o.resumed_at, '-infinity'::timestamptz)
             AND j.created_at > now() - interval '31 days') v
         WHERE v.verdict <> 'neutral'
         ORDER BY v.created_at DESC, v.job_id DESC
         LIMIT 1), false);
$$;

-- A window of an imported recording (trigger 'import', job `import-<id>-<date>`): its audio was
-- transient, so nothing can bring its results back.
CREATE OR REPLACE FUNCTION giggles_internal.is_import_segment(s public.audio_segments) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, public
  -- Never NULL: rows of the original app (trigger and job_id NULL) are not imports.
  AS $$ SELECT coalesce(s.trigger = 'import', false) OR coalesce(s.job_id LIKE 'import-%', false) $$;

-- giggles.query.days.clear (as 0009) with two guards:
--  * refused (conflict, reason 'api_unreachable', nothing removed) while Limitless is unreachable
--    (giggles_internal.api_unreachable_now, or p_limitless_unreachable: the scheduler probed
--    Limitless just before this reprocess and nothing answered — the first reprocess of an outage
--    has no finished job to tell it yet) and some of the days hold processed windows with no
--    row in audio_archive: their results could not be brought back. daysAtRisk lists those days.
--  * imported recordings stay: their windows, laughs, logs and jobs are not removed (their audio
--    is gone; a reprocess could not recreate them), so the day still counts them afterwards.
-- One function, not an overload beside 0009's: PostgREST picks a function by its argument names.
DROP FUNCTION IF EXISTS public.giggles_clear_days(uuid, date, date);
CREATE OR REPLACE FUNCTION public.giggles_clear_days(p_user_id uuid, p_from date, p_to date, p_limitless_unreachable boolean DEFAULT false) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_busy text[];
  v_at_risk text[];
  v_clips text[];
  v_detections integer;
  v_windows integer;
  v_logs integer;
  v_jobs integer;
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  SELECT array_agg(job_id ORDER BY job_id) INTO v_busy FROM public.jobs
   WHERE user_id = p_user_id AND local_date BETWEEN p_from AND p_to AND status IN ('planned', 'running');
  IF v_busy IS NOT NULL THEN
    RETURN jsonb_build_object('conflict', true, 'reason', 'jobs_in_flight', 'jobsInFlight', to_jsonb(v_busy));
  END IF;

  IF coalesce(p_limitless_unreachable, false) OR giggles_internal.api_unreachable_now(p_user_id) THEN
    SELECT array_agg(DISTINCT to_char(s.date, 'YYYY-MM-DD') ORDER BY to_char(s.date, 'YYYY-MM-DD')) INTO v_at_risk
      FROM public.audio_segments s
     WHERE s.user_id = p_user_id AND s.date BETWEEN p_from AND p_to AND s.status = 'processed'
       AND NOT giggles_internal.is_import_segment(s)
       AND NOT EXISTS (SELECT 1 FROM public.audio_archive a WHERE a.user_id = p_user_id AND a.window_start = s.start_time);
    IF v_at_risk IS NOT NULL THEN
      RETURN jsonb_build_object('conflict', true, 'reason', 'api_unreachable', 'jobsInFlight', '[]'::jsonb, 'daysAtRisk', to_jsonb(v_at_risk));
    END IF;
  END IF;

  WITH gone AS (
    DELETE FROM public.laughter_detections d
     USING public.audio_segments s
     WHERE s.id = d.audio_segment_id
       AND s.user_id = p_user_id AND s.date BETWEEN p_from AND p_to
       AND NOT giggles_internal.is_import_segment(s)
       AND d.user_id = p_user_id AND d.deleted_at IS NULL
    RETURNING d.clip_path
  )
  SELECT count(*), coalesce(array_agg(clip_path) FILTER (WHERE clip_path IS NOT NULL), '{}')
    INTO v_detections, v_clips FROM gone;

  DELETE FROM public.audio_segments s
   WHERE s.user_id = p_user_id AND s.date BETWEEN p_from AND p_to AND NOT giggles_internal.is_import_segment(s);
  GET DIAGNOSTICS v_windows = ROW_COUNT;
  DELETE FROM public.processing_logs
   WHERE user_id = p_user_id AND date BETWEEN p_from AND p_to AND trigger IS NOT NULL AND trigger <> 'import';
  GET DIAGNOSTICS v_logs = ROW_COUNT;
  DELETE FROM public.jobs
   WHERE user_id = p_user_id AND local_date BETWEEN p_from AND p_to AND status NOT IN ('planned', 'running')
     AND trigger <> 'import';
  GET DIAGNOSTICS v_jobs = ROW_COUNT;

  RETURN jsonb_build_object(
    'conflict', false, 'detectionsRemoved', v_detections, 'windowsRemoved', v_windows,
    'logsRemoved', v_logs, 'jobsRemoved', v_jobs, 'clipPaths', to_jsonb(v_clips));
END;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_record_segment_result(jsonb)',
    'public.giggles_record_window_outcome(jsonb)',
    'public.giggles_api_outages()',
    'public.giggles_clear_days(uuid, date, date, boolean)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
  FOREACH fn IN ARRAY ARRAY[
    'giggles_internal.limitless_contact(jsonb)',
    'giggles_internal.contact_before(jsonb)',
    'giggles_internal.count_contact(jsonb, jsonb, text)',
    'giggles_internal.record_segment_result_body(jsonb)',
    'giggles_internal.record_window_outcome_body(jsonb)',
    'giggles_internal.job_contact_verdict(public.jobs)',
    'giggles_internal.api_unreachable_now(uuid)',
    'giggles_internal.is_import_segment(public.audio_segments)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
