-- giggles.dead.giggles.results.* — a result persistence gave up on (invalid payload, permanent
-- rejection, deliveries exhausted), recorded where the user looks: the day's processing log.
--
-- payload: a WindowOutcome with status 'failed' and `error` = {code, message} (the dead letter's
-- reason), built by persistence from the dead message's identifying fields.
--
-- - This job has no outcome for the window yet: the window is recorded as failed, exactly as a
--   'failed' WindowOutcome (counters move, the error is listed, the job can finish).
-- - This job's outcome for the window is already stored (the write went through and a later
--   step — clip storage, object cleanup — kept failing): counters stay as they are; the error
--   is only listed, once (a dead letter recorded twice appends nothing).
CREATE OR REPLACE FUNCTION public.giggles_record_dead_letter(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_job_id text := giggles_internal.req(payload, 'jobId');
  v_date date := giggles_internal.req(payload, 'localDate')::date;
  v_trigger text := giggles_internal.req(payload, 'trigger');
  v_start_ms bigint := giggles_internal.req(payload, 'windowStartMs')::bigint;
  v_start timestamptz := giggles_internal.ms_to_ts(v_start_ms);
  v_end timestamptz := giggles_internal.ms_to_ts(giggles_internal.req(payload, 'windowEndMs')::bigint);
  v_error jsonb := giggles_internal.json_object_or_null(payload -> 'error');
  v_seg public.audio_segments;
  v_job public.jobs;
  v_log uuid;
  v_outcome jsonb;
BEGIN
  IF v_error IS NULL THEN
    RAISE EXCEPTION 'payload.error is required' USING ERRCODE = '22023';
  END IF;
  PERFORM giggles_internal.lock_user(v_user);

  SELECT * INTO v_seg FROM public.audio_segments
   WHERE user_id = v_user AND start_time = v_start AND end_time = v_end
   FOR UPDATE;

  IF NOT FOUND OR v_seg.job_id IS DISTINCT FROM v_job_id OR v_seg.last_outcome IS NULL THEN
    v_outcome := public.giggles_record_window_outcome(
      payload || jsonb_build_object('status', 'failed', 'limitlessCalls', coalesce(payload -> 'limitlessCalls', '[]'::jsonb)));
    RETURN v_outcome || jsonb_build_object('recordedAs', 'failed_window');
  END IF;

  v_job := giggles_internal.touch_job(v_job_id, v_user, v_date, v_trigger, 'running');
  v_log := giggles_internal.claim_log(v_user, v_date, v_trigger, v_job);
  IF v_log IS NOT NULL THEN
    UPDATE public.processing_logs SET
      errors = errors || jsonb_build_array(v_error || jsonb_build_object(
                 'windowStartMs', v_start_ms, 'outcome', v_seg.last_outcome, 'at', now())),
      last_processed = now()
    WHERE id = v_log
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(errors) AS e
         WHERE e ->> 'code' = v_error ->> 'code'
           AND e ->> 'message' IS NOT DISTINCT FROM v_error ->> 'message'
           AND e ->> 'windowStartMs' = v_start_ms::text);
  END IF;
  RETURN jsonb_build_object('applied', v_log IS NOT NULL AND FOUND, 'segmentId', v_seg.id, 'status', v_seg.status,
                            'recordedAs', 'note');
END;
$$;

REVOKE ALL ON FUNCTION public.giggles_record_dead_letter(jsonb) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.giggles_record_dead_letter(jsonb) TO service_role;
