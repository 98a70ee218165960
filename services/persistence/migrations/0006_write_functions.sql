-- The write API of persistence, called through PostgREST RPC by the service-role client.
--
-- Each function is one transaction: a result is either stored completely (segment, detections,
-- log counters, job progress) or not at all. Each is idempotent: a redelivered message finds
-- the window's segment row already carrying this job's same outcome (job_id + last_outcome) and
-- returns without writing anything.
--
-- SECURITY INVOKER (the default): they run as service_role, which already owns every right they
-- need, so nothing is gained by running as the definer. EXECUTE is for service_role only.
-- search_path is pinned so no object on a caller's path can stand in for ours.

-- giggles.results.segment — SegmentResult (libs/contracts), each event optionally carrying the
-- clip path persistence chose for it (`clipPath`). Returns what was applied and, per event, the
-- stored detection and its clip path.
CREATE OR REPLACE FUNCTION public.giggles_record_segment_result(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_job_id text := giggles_internal.req(payload, 'jobId');
  v_date date := giggles_internal.req(payload, 'localDate')::date;
  v_trigger text := giggles_internal.req(payload, 'trigger');
  v_status text := giggles_internal.req(payload, 'status');
  v_start_ms bigint := giggles_internal.req(payload, 'windowStartMs')::bigint;
  v_start timestamptz := giggles_internal.ms_to_ts(v_start_ms);
  v_end timestamptz := giggles_internal.ms_to_ts(giggles_internal.req(payload, 'windowEndMs')::bigint);
  v_seg public.audio_segments;
  v_existed boolean;
  v_old_outcome text;
  v_recovered boolean;
  v_job public.jobs;
  v_log uuid;
  v_inserted integer := 0;
  v_duplicates integer := 0;
BEGIN
  IF v_status NOT IN ('processed', 'failed') THEN
    RAISE EXCEPTION 'segment result status must be processed or failed, got %', v_status USING ERRCODE = '22023';
  END IF;
  PERFORM giggles_internal.lock_user(v_user);

  SELECT * INTO v_seg FROM public.audio_segments
   WHERE user_id = v_user AND start_time = v_start AND end_time = v_end
   FOR UPDATE;
  v_existed := FOUND;

  -- Same job, same outcome (and for processed windows the same model, whose output would be
  -- identical): a redelivery or a repeated request for the same job.
  IF v_existed AND v_seg.job_id = v_job_id AND v_seg.last_outcome = v_status
     AND (v_status <> 'processed' OR v_seg.model_version IS NOT DISTINCT FROM payload ->> 'modelVersion') THEN
    RETURN jsonb_build_object(
      'applied', false, 'segmentId', v_seg.id, 'detectionsInserted', 0, 'duplicatesSkipped', 0,
      'events', giggles_internal.event_states(v_user, payload -> 'events'));
  END IF;

  -- The outcome this job recorded for the window before, if any: counters move from it.
  v_old_outcome := CASE WHEN v_existed AND v_seg.job_id = v_job_id THEN v_seg.last_outcome END;
  v_recovered := v_existed AND v_seg.status IN ('gap', 'failed') AND v_status = 'processed';

  -- A processed window stays processed: a later failure (say, a reprocess run whose inference
  -- crashed) is recorded as an error but does not make the window "not done" again.
  INSERT INTO public.audio_segments AS s (
    user_id, date, start_time, end_time, status, processed, decoded_seconds, model_version,
    processing_ms, job_id, last_outcome, trigger, attempts, error
  ) VALUES (
    v_user, v_date, v_start, v_end, v_status, v_status = 'processed',
    (payload ->> 'decodedSeconds')::double precision, payload ->> 'modelVersion',
    (payload ->> 'processingMs')::integer, v_job_id, v_status, v_trigger, 1,
    giggles_internal.json_object_or_null(payload -> 'error')
  )
  ON CONFLICT (user_id, start_time, end_time) DO UPDATE SET
    date = EXCLUDED.date,
    status = CASE WHEN EXCLUDED.status = 'processed' OR s.status NOT IN ('processed', 'empty')
                  THEN EXCLUDED.status ELSE s.status END,
    processed = coalesce(s.processed, false) OR EXCLUDED.processed,
    decoded_seconds = CASE WHEN EXCLUDED.processed THEN EXCLUDED.decoded_seconds ELSE s.decoded_seconds END,
    model_version = CASE WHEN EXCLUDED.processed THEN EXCLUDED.model_version ELSE s.model_version END,
    processing_ms = CASE WHEN EXCLUDED.processed THEN EXCLUDED.processing_ms ELSE s.processing_ms END,
    job_id = EXCLUDED.job_id,
    last_outcome = EXCLUDED.last_outcome,
    trigger = EXCLUDED.trigger,
    attempts = s.attempts + 1,
    error = EXCLUDED.error
  RETURNING * INTO v_seg;

  IF v_status = 'processed' THEN
    SELECT r.inserted, r.duplicates INTO v_inserted, v_duplicates
      FROM giggles_internal.insert_detections(v_user, v_seg.id, payload ->> 'modelVersion', payload -> 'events') r;
  END IF;

  v_job := giggles_internal.touch_job(v_job_id, v_user, v_date, v_trigger, 'running');
  v_log := giggles_internal.claim_log(v_user, v_date, v_trigger, v_job);
  IF v_log IS NOT NULL THEN
    PERFORM giggles_internal.count_outcome(
      v_log, v_old_outcome, v_status, v_recovered, v_start_ms, payload -> 'limitlessCalls', payload -> 'error',
      -- A window's audio counts once per job, even if a new model processes it again.
      CASE WHEN v_status = 'processed' AND v_old_outcome IS DISTINCT FROM 'processed'
           THEN (payload ->> 'decodedSeconds')::double precision END,
      (payload ->> 'processingMs')::bigint, v_inserted, v_duplicates);
  END IF;

  PERFORM giggles_internal.count_job_outcome(v_job_id, v_old_outcome, v_status);
  PERFORM giggles_internal.maybe_complete_job(v_job_id);

  RETURN jsonb_build_object(
    'applied', true, 'segmentId', v_seg.id, 'detectionsInserted', v_inserted, 'duplicatesSkipped', v_duplicates,
    'events', giggles_internal.event_states(v_user, payload -> 'events'));
END;
$$;

-- giggles.results.window — WindowOutcome: a window that produced no audio to infer.
-- empty: Limitless had nothing (a done window); gap: downloads kept failing (retried later);
-- failed: a window-level error that is not worth retrying automatically.
CREATE OR REPLACE FUNCTION public.giggles_record_window_outcome(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_job_id text := giggles_internal.req(payload, 'jobId');
  v_date date := giggles_internal.req(payload, 'localDate')::date;
  v_trigger text := giggles_internal.req(payload, 'trigger');
  v_status text := giggles_internal.req(payload, 'status');
  v_start_ms bigint := giggles_internal.req(payload, 'windowStartMs')::bigint;
  v_start timestamptz := giggles_internal.ms_to_ts(v_start_ms);
  v_end timestamptz := giggles_internal.ms_to_ts(giggles_internal.req(payload, 'windowEndMs')::bigint);
  v_seg public.audio_segments;
  v_existed boolean;
  v_old_outcome text;
  v_recovered boolean;
  v_job public.jobs;
  v_log uuid;
BEGIN
  IF v_status NOT IN ('empty', 'gap', 'failed') THEN
    RAISE EXCEPTION 'window outcome status must be empty, gap or failed, got %', v_status USING ERRCODE = '22023';
  END IF;
  PERFORM giggles_internal.lock_user(v_user);

  SELECT * INTO v_seg FROM public.audio_segments
   WHERE user_id = v_user AND start_time = v_start AND end_time = v_end
   FOR UPDATE;
  v_existed := FOUND;

  IF v_existed AND v_seg.job_id = v_job_id AND v_seg.last_outcome = v_status THEN
    RETURN jsonb_build_object('applied', false, 'segmentId', v_seg.id, 'status', v_seg.status);
  END IF;

  -- The outcome this job recorded for the window before, if any: counters move from it.
  v_old_outcome := CASE WHEN v_existed AND v_seg.job_id = v_job_id THEN v_seg.last_outcome END;
  v_recovered := v_existed AND v_seg.status IN ('gap', 'failed') AND v_status = 'empty';

  -- Done windows are never downgraded: processed stays processed, empty does not become a gap.
  INSERT INTO public.audio_segments AS s (
    user_id, date, start_time, end_time, status, processed, job_id, last_outcome, trigger, attempts, error
  ) VALUES (
    v_user, v_date, v_start, v_end, v_status, false, v_job_id, v_status, v_trigger, 1,
    giggles_internal.json_object_or_null(payload -> 'error')
  )
  ON CONFLICT (user_id, start_time, end_time) DO UPDATE SET
    date = EXCLUDED.date,
    status = CASE
               WHEN s.status = 'processed' THEN s.status
               WHEN s.status = 'empty' AND EXCLUDED.status <> 'empty' THEN s.status
               ELSE EXCLUDED.status
             END,
    job_id = EXCLUDED.job_id,
    last_outcome = EXCLUDED.last_outcome,
    trigger = EXCLUDED.trigger,
    attempts = s.attempts + 1,
    error = EXCLUDED.error
  RETURNING * INTO v_seg;

  v_job := giggles_internal.touch_job(v_job_id, v_user, v_date, v_trigger, 'running');
  v_log := giggles_internal.claim_log(v_user, v_date, v_trigger, v_job);
  IF v_log IS NOT NULL THEN
    PERFORM giggles_internal.count_outcome(
      v_log, v_old_outcome, v_status, v_recovered, v_start_ms, payload -> 'limitlessCalls', payload -> 'error',
      NULL, NULL, 0, 0);
  END IF;

  PERFORM giggles_internal.count_job_outcome(v_job_id, v_old_outcome, v_status);
  PERFORM giggles_internal.maybe_complete_job(v_job_id);

  RETURN jsonb_build_object('applied', true, 'segmentId', v_seg.id, 'status', v_seg.status);
END;
$$;

-- giggles.results.job — JobProgress from ingestion: the plan (windowsPlanned, windowsSkipped)
-- or the job's end by an invalid key or a job-level failure. Values are set, not added, so a
-- redelivery changes nothing.
CREATE OR REPLACE FUNCTION public.giggles_record_job_progress(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_job_id text := giggles_internal.req(payload, 'jobId');
  v_date date := giggles_internal.req(payload, 'localDate')::date;
  v_trigger text := giggles_internal.req(payload, 'trigger');
  v_timezone text := giggles_internal.req(payload, 'timezone');
  v_status text := giggles_internal.req(payload, 'status');
  v_planned integer := giggles_internal.req(payload, 'windowsPlanned')::integer;
  v_skipped integer := coalesce((payload ->> 'windowsSkipped')::integer, 0);
  v_error jsonb := giggles_internal.json_object_or_null(payload -> 'error');
  v_before public.jobs;
  v_job public.jobs;
  v_new_status text;
  v_changed boolean;
  v_log uuid;
BEGIN
  IF v_status NOT IN ('planned', 'key_invalid', 'failed') THEN
    RAISE EXCEPTION 'job progress status must be planned, key_invalid or failed, got %', v_status USING ERRCODE = '22023';
  END IF;
  PERFORM giggles_internal.lock_user(v_user);

  v_before := giggles_internal.touch_job(v_job_id, v_user, v_date, v_trigger, 'planned');
  -- "planned" never moves a job backwards (its windows may have reported first).
  v_new_status := CASE WHEN v_status = 'planned' THEN v_before.status ELSE v_status END;

  UPDATE public.jobs SET
    timezone = v_timezone,
    windows_planned = v_planned,
    windows_skipped = v_skipped,
    status = v_new_status,
    error = coalesce(v_error, error)
  WHERE job_id = v_job_id
    AND (timezone, windows_planned, windows_skipped, status, error)
        IS DISTINCT FROM (v_timezone, v_planned, v_skipped, v_new_status, coalesce(v_error, error))
  RETURNING * INTO v_job;
  v_changed := FOUND;
  IF NOT v_changed THEN
    v_job := v_before;
  END IF;

  v_log := giggles_internal.claim_log(v_user, v_date, v_trigger, v_job);
  IF v_log IS NOT NULL THEN
    UPDATE public.processing_logs SET
      timezone = v_timezone,
      windows_planned = v_planned,
      windows_skipped = v_skipped,
      status = CASE WHEN v_status = 'planned' THEN status ELSE 'failed' END,
      finished_at = CASE WHEN v_status = 'planned' THEN finished_at ELSE now() END,
      message = CASE v_status
                  WHEN 'key_invalid' THEN 'Limitless rejected the API key'
                  WHEN 'failed' THEN coalesce(v_error ->> 'message', 'processing failed')
                  ELSE message
                END,
      errors = CASE WHEN v_changed AND v_error IS NOT NULL AND v_before.status IS DISTINCT FROM v_new_status
                    THEN errors || jsonb_build_array(v_error || jsonb_build_object('outcome', v_status, 'at', now()))
                    ELSE errors END,
      last_processed = now()
    WHERE id = v_log
      AND (timezone, windows_planned, windows_skipped, status) IS DISTINCT FROM
          (v_timezone, v_planned, v_skipped, CASE WHEN v_status = 'planned' THEN status ELSE 'failed' END);
  END IF;

  PERFORM giggles_internal.maybe_complete_job(v_job_id);
  SELECT * INTO v_job FROM public.jobs WHERE job_id = v_job_id;
  RETURN jsonb_build_object('applied', v_changed, 'status', v_job.status,
                            'windowsDone', v_job.windows_done, 'windowsPlanned', v_job.windows_planned);
END;
$$;

-- A user deletes a detection. The row becomes a tombstone (deleted_at set, clip_path cleared) so
-- reprocessing cannot recreate it; the old clip path is returned so the caller can delete the
-- clip file. Repeating the call returns deleted = false.
CREATE OR REPLACE FUNCTION public.giggles_delete_detection(p_user_id uuid, p_detection_id uuid) RETURNS jsonb
  LANGUAGE sql
  SET search_path = pg_catalog, public
  AS $$
  WITH target AS (
    SELECT id, clip_path FROM public.laughter_detections
     WHERE id = p_detection_id AND user_id = p_user_id AND deleted_at IS NULL
     FOR UPDATE
  ), gone AS (
    UPDATE public.laughter_detections d
       SET deleted_at = now(), clip_path = NULL
      FROM target
     WHERE d.id = target.id
    RETURNING target.clip_path
  )
  SELECT jsonb_build_object('deleted', count(*) > 0, 'clipPath', max(clip_path)) FROM gone;
$$;

-- Stores a new (already encrypted) Limitless key as the user's only active key. One function so
-- that deactivating the old key and inserting the new one cannot be split by a crash.
CREATE OR REPLACE FUNCTION public.giggles_set_user_key(p_user_id uuid, p_encrypted_api_key text) RETURNS uuid
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_id uuid;
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  UPDATE public.limitless_keys SET is_active = false WHERE user_id = p_user_id AND is_active;
  INSERT INTO public.limitless_keys (user_id, encrypted_api_key, is_active, status)
  VALUES (p_user_id, p_encrypted_api_key, true, 'valid')
  RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_record_segment_result(jsonb)',
    'public.giggles_record_window_outcome(jsonb)',
    'public.giggles_record_job_progress(jsonb)',
    'public.giggles_delete_detection(uuid, uuid)',
    'public.giggles_set_user_key(uuid, text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
