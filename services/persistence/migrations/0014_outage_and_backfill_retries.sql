-- Issue 10, "when the API is gone" and backfill retries: a registration JetStream dropped as a
-- duplicate can be discarded; backfill days that failed or left gaps are retried (by the
-- scheduler, on the nightly gap-retry schedule) and given up with a reason after the last retry.

-- giggles.query.jobs.discard -----------------------------------------------------------------------
-- Removes a registration that never started (planned, no plan reported yet). The scheduler calls
-- it when JetStream dropped the job's publish as a duplicate: an earlier job with the same id ran
-- within the stream's duplicate window and its row was cleared since (giggles_clear_days), so
-- every message of the new run would be dropped too; the scheduler registers the day again under
-- a fresh id. A job that has started is never removed here.
CREATE OR REPLACE FUNCTION public.giggles_discard_job(p_user_id uuid, p_job_id text) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_count integer;
BEGIN
  DELETE FROM public.jobs
   WHERE job_id = p_job_id AND user_id = p_user_id AND status = 'planned' AND windows_planned IS NULL;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN jsonb_build_object('discarded', v_count > 0);
END;
$$;

-- backfill_given_up ----------------------------------------------------------------------------
-- Backfill days the scheduler stopped retrying (SCHEDULER_MAX_RETRIES reached), with the reason
-- the user sees in the backfill's progress. Removed with the user (delete all my data).
CREATE TABLE IF NOT EXISTS public.backfill_given_up (
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  reason text NOT NULL,
  given_up_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, local_date)
);
ALTER TABLE public.backfill_given_up ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS giggles_backfill_given_up_own_rows ON public.backfill_given_up;
CREATE POLICY giggles_backfill_given_up_own_rows ON public.backfill_given_up FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

-- The days of [p_from, p_to] a backfill retries: giggles_due_days' answer for them, kept where a
-- backfill run failed — 'unprocessed' after a failed backfill job (a day whose only failure is an
-- older nightly job is still a plain backfill day), or 'gaps' after a finished backfill job (gap
-- or failed windows left, gaps not given up, no gap retry in flight; a nightly day's gaps are the
-- nightly retries' business) — and the backfill has not given the day up.
CREATE OR REPLACE FUNCTION giggles_internal.backfill_retry_days(p_user_id uuid, p_from date, p_to date, p_timezone text)
  RETURNS TABLE (local_date date, reason text, retries bigint, last_run_at timestamptz)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT d.local_date, d.reason, d.retries, d.last_run_at
    FROM public.giggles_due_days(p_user_id, p_from, p_to, p_timezone) d
   WHERE EXISTS (SELECT 1 FROM public.jobs j
                  WHERE j.user_id = p_user_id AND j.local_date = d.local_date AND j.trigger = 'backfill'
                    AND j.status = CASE d.reason WHEN 'gaps' THEN 'done' ELSE 'failed' END)
     AND NOT EXISTS (SELECT 1 FROM public.backfill_given_up g WHERE g.user_id = p_user_id AND g.local_date = d.local_date)
   ORDER BY d.local_date;
$$;

-- Progress of one backfill row (as 0011) with failures as retries see them: daysFailed counts the
-- days waiting for a retry (and days whose backfill job met an invalid key), daysGivenUp those
-- given up, givenUp the newest 20 of them with their reasons.
CREATE OR REPLACE FUNCTION giggles_internal.backfill_progress(b public.backfills) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT jsonb_build_object(
    'userId', b.user_id,
    'email', coalesce(u.email, ''),
    'timezone', coalesce(u.timezone, 'UTC'),
    'from', b.from_date,
    'to', b.to_date,
    'state', b.state,
    'totalDays', b.to_date - b.from_date + 1,
    'daysDone', (
      SELECT count(DISTINCT d.day) FROM (
        SELECT j.local_date AS day FROM public.jobs j
         WHERE j.user_id = b.user_id AND j.local_date BETWEEN b.from_date AND b.to_date
           AND giggles_internal.is_whole_day_trigger(j.trigger) AND j.status = 'done'
        UNION
        SELECT l.date FROM public.processing_logs l
         WHERE l.user_id = b.user_id AND l.date BETWEEN b.from_date AND b.to_date
           AND l.trigger IS NULL AND l.status = 'completed') d),
    'daysFailed', (
      SELECT count(*) FROM (
        SELECT r.local_date FROM giggles_internal.backfill_retry_days(b.user_id, b.from_date, b.to_date, coalesce(u.timezone, 'UTC')) r
        UNION
        SELECT j.local_date FROM public.jobs j
         WHERE j.user_id = b.user_id AND j.local_date BETWEEN b.from_date AND b.to_date
           AND j.trigger = 'backfill' AND j.status = 'key_invalid'
           AND NOT EXISTS (SELECT 1 FROM public.jobs k
                            WHERE k.user_id = b.user_id AND k.local_date = j.local_date
                              AND giggles_internal.is_whole_day_trigger(k.trigger) AND k.status = 'done')) f),
    'daysGivenUp', (
      SELECT count(*) FROM public.backfill_given_up g
       WHERE g.user_id = b.user_id AND g.local_date BETWEEN b.from_date AND b.to_date),
    'givenUp', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('localDate', to_char(g.local_date, 'YYYY-MM-DD'), 'reason', g.reason, 'at', g.given_up_at)
                                ORDER BY g.given_up_at DESC, g.local_date DESC), '[]'::jsonb)
        FROM (SELECT * FROM public.backfill_given_up g
               WHERE g.user_id = b.user_id AND g.local_date BETWEEN b.from_date AND b.to_date
               ORDER BY g.given_up_at DESC, g.local_date DESC LIMIT 20) g),
    'daysInFlight', (
      SELECT count(DISTINCT j.local_date) FROM public.jobs j
       WHERE j.user_id = b.user_id AND j.local_date BETWEEN b.from_date AND b.to_date
         AND j.trigger = 'backfill' AND j.status IN ('planned', 'running')),
    'audioSeconds', (
      SELECT coalesce(sum(coalesce(s.decoded_seconds, extract(epoch FROM s.end_time - s.start_time))), 0)::double precision
        FROM public.audio_segments s
       WHERE s.user_id = b.user_id AND s.date BETWEEN b.from_date AND b.to_date AND s.status = 'processed'),
    'laughs', (
      SELECT count(*) FROM public.laughter_detections d
        JOIN public.audio_segments s ON s.id = d.audio_segment_id
       WHERE s.user_id = b.user_id AND s.date BETWEEN b.from_date AND b.to_date
         AND d.user_id = b.user_id AND d.deleted_at IS NULL),
    'startedAt', b.started_at,
    'updatedAt', b.updated_at,
    'backfillJobsDone', (
      SELECT count(*) FROM public.jobs j
       WHERE j.user_id = b.user_id AND j.trigger = 'backfill' AND j.status = 'done' AND j.updated_at >= b.started_at))
  FROM public.users u WHERE u.id = b.user_id;
$$;

-- giggles.query.backfill.plan (as 0011) with each user's retry days; a backfill is done only when
-- nothing is uncovered, no job of its days is in flight (a gap retry included) and no day waits
-- for a retry.
CREATE OR REPLACE FUNCTION public.giggles_backfill_plan(p_limit integer) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_users jsonb := '[]'::jsonb;
  v_total integer;
  b record;
  v_days jsonb;
  v_retries jsonb;
  v_in_flight integer;
  v_all_in_flight integer;
  v_range_in_flight integer;
  v_queued integer;
BEGIN
  SELECT count(*) INTO v_total FROM public.jobs WHERE trigger = 'backfill' AND status IN ('planned', 'running');
  SELECT count(*) INTO v_queued FROM public.jobs WHERE trigger <> 'backfill' AND status = 'planned';
  FOR b IN
    SELECT bf.*, u.timezone FROM public.backfills bf
      JOIN public.users u ON u.id = bf.user_id
     WHERE bf.state = 'active'
       AND EXISTS (SELECT 1 FROM public.limitless_keys k WHERE k.user_id = bf.user_id AND k.is_active AND k.status = 'valid')
       AND NOT EXISTS (SELECT 1 FROM public.limitless_outages o WHERE o.user_id = bf.user_id AND o.paused_at IS NOT NULL)
     ORDER BY bf.started_at, bf.user_id
  LOOP
    SELECT coalesce(jsonb_agg(to_char(d.day, 'YYYY-MM-DD') ORDER BY d.day), '[]'::jsonb) INTO v_days FROM (
      SELECT g::date AS day FROM generate_series(b.from_date::timestamp, b.to_date::timestamp, interval '1 day') g
       WHERE NOT EXISTS (SELECT 1 FROM public.jobs j
                          WHERE j.user_id = b.user_id AND j.local_date = g::date
                            AND ((giggles_internal.is_whole_day_trigger(j.trigger) AND j.status IN ('planned', 'running', 'done'))
                                 OR (j.trigger = 'backfill' AND j.status IN ('failed', 'key_invalid'))))
         AND NOT EXISTS (SELECT 1 FROM public.processing_logs l
                          WHERE l.user_id = b.user_id AND l.date = g::date AND l.trigger IS NULL AND l.status = 'completed')
       ORDER BY 1
       LIMIT p_limit) d;
    SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
             'localDate', to_char(r.local_date, 'YYYY-MM-DD'), 'reason', r.reason, 'retries', r.retries,
             'lastRunAt', to_char(r.last_run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) ORDER BY r.local_date), '[]'::jsonb)
      INTO v_retries
      FROM (SELECT * FROM giggles_internal.backfill_retry_days(b.user_id, b.from_date, b.to_date, b.timezone) LIMIT p_limit) r;
    SELECT count(*) FILTER (WHERE trigger = 'backfill'), count(*), count(*) FILTER (WHERE local_date BETWEEN b.from_date AND b.to_date)
      INTO v_in_flight, v_all_in_flight, v_range_in_flight FROM public.jobs
     WHERE user_id = b.user_id AND status IN ('planned', 'running');
    IF jsonb_array_length(v_days) = 0 AND jsonb_array_length(v_retries) = 0 AND v_in_flight = 0 AND v_range_in_flight = 0 THEN
      UPDATE public.backfills SET state = 'done' WHERE user_id = b.user_id AND state = 'active';
    ELSE
      v_users := v_users || jsonb_build_array(jsonb_build_object(
        'userId', b.user_id, 'timezone', b.timezone, 'backfillInFlight', v_in_flight, 'jobsInFlight', v_all_in_flight,
        'days', v_days, 'retries', v_retries));
    END IF;
  END LOOP;
  RETURN jsonb_build_object('users', v_users, 'backfillInFlight', v_total, 'otherJobsQueued', v_queued);
END;
$$;

-- giggles.query.backfill.give-up: the day is no longer retried by the backfill; updated = false
-- when it already was given up.
CREATE OR REPLACE FUNCTION public.giggles_backfill_give_up(p_user_id uuid, p_date date, p_reason text) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_count integer;
BEGIN
  INSERT INTO public.backfill_given_up (user_id, local_date, reason)
  SELECT p_user_id, p_date, left(p_reason, 1000) WHERE EXISTS (SELECT 1 FROM public.users WHERE id = p_user_id)
  ON CONFLICT (user_id, local_date) DO NOTHING;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN jsonb_build_object('updated', v_count > 0);
END;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_discard_job(uuid, text)',
    'public.giggles_backfill_plan(integer)',
    'public.giggles_backfill_give_up(uuid, date, text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION giggles_internal.backfill_retry_days(uuid, date, date, text), giggles_internal.backfill_progress(public.backfills) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION giggles_internal.backfill_retry_days(uuid, date, date, text), giggles_internal.backfill_progress(public.backfills) TO service_role;
REVOKE ALL ON public.backfill_given_up FROM PUBLIC, anon, authenticated;
GRANT ALL ON public.backfill_given_up TO service_role;
GRANT SELECT ON public.backfill_given_up TO authenticated;
