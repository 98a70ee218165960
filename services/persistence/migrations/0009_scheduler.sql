-- What the scheduler needs from the database: jobs registered before they are published (with
-- their range), due days that know the user's time zone and how often a day was retried, giving
-- up on gaps, clearing days before a reprocess, the operator's status, and the reconciliation
-- run's stuck-job repair.

-- jobs: the range a job covers -------------------------------------------------------------
-- Registered by the scheduler (giggles_register_job) so a due-days check can tell whether a
-- whole-day job covered the day as the user's *current* time zone draws it. Rows made by
-- touch_job from a result (older jobs, jobs published before registration existed) have none.
ALTER TABLE public.jobs
  ADD COLUMN IF NOT EXISTS range_start timestamptz,
  ADD COLUMN IF NOT EXISTS range_end timestamptz;
CREATE INDEX IF NOT EXISTS jobs_in_flight ON public.jobs (created_at) WHERE status IN ('planned', 'running');

-- laughter_detections: tombstones outlive their window ----------------------------------------
-- Clearing days for a reprocess deletes the days' windows (audio_segments) but must keep the
-- detections the user deleted, or the reprocess would bring those laughs back. The original's
-- audio_segment_id was NOT NULL with ON DELETE CASCADE; it becomes optional with ON DELETE SET
-- NULL (still a superset: every original row still fits). Only tombstones are ever left without
-- a window — clear_days deletes a window's live detections itself.
ALTER TABLE public.laughter_detections ALTER COLUMN audio_segment_id DROP NOT NULL;
ALTER TABLE public.laughter_detections DROP CONSTRAINT IF EXISTS laughter_detections_audio_segment_id_fkey;
ALTER TABLE public.laughter_detections
  ADD CONSTRAINT laughter_detections_audio_segment_id_fkey
  FOREIGN KEY (audio_segment_id) REFERENCES public.audio_segments (id) ON DELETE SET NULL;

-- Retention sweeps by age.
CREATE INDEX IF NOT EXISTS laughter_detections_event_start ON public.laughter_detections ("timestamp");
CREATE INDEX IF NOT EXISTS processing_logs_date ON public.processing_logs (date);

-- giggles.query.jobs.register -------------------------------------------------------------
-- The jobs row of a day job, written before the scheduler publishes it. An existing job id
-- changes nothing and reports how far that job got.
CREATE OR REPLACE FUNCTION public.giggles_register_job(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_job_id text := giggles_internal.req(payload, 'jobId');
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_status text;
BEGIN
  INSERT INTO public.jobs (job_id, user_id, local_date, timezone, trigger, status, range_start, range_end)
  VALUES (
    v_job_id, v_user,
    giggles_internal.req(payload, 'localDate')::date,
    giggles_internal.req(payload, 'timezone'),
    giggles_internal.req(payload, 'trigger'),
    'planned',
    giggles_internal.ms_to_ts(giggles_internal.req(payload, 'startMs')::bigint),
    giggles_internal.ms_to_ts(giggles_internal.req(payload, 'endMs')::bigint)
  )
  ON CONFLICT (job_id) DO NOTHING;
  IF FOUND THEN
    RETURN jsonb_build_object('created', true, 'status', 'planned');
  END IF;
  SELECT status INTO v_status FROM public.jobs WHERE job_id = v_job_id;
  RETURN jsonb_build_object('created', false, 'status', v_status);
END;
$$;

-- giggles.query.days.due ------------------------------------------------------------------
-- Local days in [p_from, p_to] that still need a run:
--   unprocessed — no whole-day job (nightly, reprocess, manual) is planned, running or done for
--                 the day, and the original app did not complete it (legacy logs: trigger NULL).
--                 With p_timezone, a whole-day job covers the day only if its range is that
--                 day in that zone, or it has no stored range (rows from before 0009): a user
--                 who moved zones gets the hours the old day did not cover.
--   gaps        — covered, but some windows are gap/failed, nobody gave up on them, and no
--                 gap-retry job is in flight.
-- retries: earlier runs that left the day due (finished gap-retry jobs for 'gaps', failed
-- whole-day jobs for 'unprocessed'); last_run_at: the day's newest job of any trigger.
DROP FUNCTION IF EXISTS public.giggles_due_days(uuid, date, date);
CREATE OR REPLACE FUNCTION public.giggles_due_days(p_user_id uuid, p_from date, p_to date, p_timezone text DEFAULT NULL)
  RETURNS TABLE (local_date date, reason text, retries bigint, last_run_at timestamptz)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH days AS (
    SELECT d::date AS day FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') AS d
  ), state AS (
    SELECT days.day,
           EXISTS (
             SELECT 1 FROM public.jobs j
              WHERE j.user_id = p_user_id AND j.local_date = days.day
                AND j.trigger IN ('nightly', 'reprocess', 'manual')
                AND j.status IN ('planned', 'running', 'done')
                AND (p_timezone IS NULL
                     OR j.range_start IS NULL
                     OR (j.range_start = (days.day::timestamp AT TIME ZONE p_timezone)
                         AND j.range_end = ((days.day + 1)::timestamp AT TIME ZONE p_timezone)))
           ) OR EXISTS (
             SELECT 1 FROM public.processing_logs l
              WHERE l.user_id = p_user_id AND l.date = days.day AND l.trigger IS NULL AND l.status = 'completed'
           ) AS covered,
           EXISTS (
             SELECT 1 FROM public.audio_segments s
              WHERE s.user_id = p_user_id AND s.date = days.day AND s.status IN ('gap', 'failed')
           ) AS has_open_windows,
           EXISTS (
             SELECT 1 FROM public.processing_logs l
              WHERE l.user_id = p_user_id AND l.date = days.day AND l.gap_given_up_at IS NOT NULL
           ) AS given_up,
           EXISTS (
             SELECT 1 FROM public.jobs j
              WHERE j.user_id = p_user_id AND j.local_date = days.day
                AND j.trigger = 'gap-retry' AND j.status IN ('planned', 'running')
           ) AS retry_in_flight
      FROM days
  )
  SELECT s.day,
         CASE WHEN NOT s.covered THEN 'unprocessed' ELSE 'gaps' END,
         (SELECT count(*) FROM public.jobs j
           WHERE j.user_id = p_user_id AND j.local_date = s.day
             AND CASE WHEN NOT s.covered
                      THEN j.trigger IN ('nightly', 'reprocess', 'manual') AND j.status = 'failed'
                      ELSE j.trigger = 'gap-retry' AND j.status NOT IN ('planned', 'running') END),
         (SELECT max(j.created_at) FROM public.jobs j WHERE j.user_id = p_user_id AND j.local_date = s.day)
    FROM state s
   WHERE NOT s.covered OR (s.has_open_windows AND NOT s.given_up AND NOT s.retry_in_flight)
   ORDER BY s.day;
$$;

-- giggles.query.days.gaps-given-up ------------------------------------------------------------
-- Stops the gap retries of a day: every log row of the day without gap_given_up_at gets it, and
-- the reason is listed where the user looks (errors, message). A day with open windows but no
-- log row left (retention) gets a gap-retry row carrying the mark. updated = false when nothing
-- changed (already given up, or nothing to give up).
CREATE OR REPLACE FUNCTION public.giggles_give_up_gaps(p_user_id uuid, p_date date, p_reason text) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_note text := format('gaps given up at %s because %s',
                        to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), p_reason);
  v_count integer;
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  UPDATE public.processing_logs SET
    gap_given_up_at = now(),
    errors = errors || jsonb_build_array(jsonb_build_object('code', 'gaps_given_up', 'message', p_reason, 'at', now())),
    message = CASE WHEN coalesce(message, '') = '' THEN v_note ELSE message || '; ' || v_note END
  WHERE user_id = p_user_id AND date = p_date AND gap_given_up_at IS NULL;
  GET DIAGNOSTICS v_count = ROW_COUNT;

  IF v_count = 0
     AND NOT EXISTS (SELECT 1 FROM public.processing_logs WHERE user_id = p_user_id AND date = p_date)
     AND EXISTS (SELECT 1 FROM public.audio_segments
                  WHERE user_id = p_user_id AND date = p_date AND status IN ('gap', 'failed')) THEN
    INSERT INTO public.processing_logs (user_id, date, trigger, trigger_type, status, message, gap_given_up_at, errors, last_processed)
    VALUES (p_user_id, p_date, 'gap-retry', giggles_internal.legacy_trigger_type('gap-retry'), 'failed', v_note, now(),
            jsonb_build_array(jsonb_build_object('code', 'gaps_given_up', 'message', p_reason, 'at', now())), now());
    v_count := 1;
  END IF;
  RETURN jsonb_build_object('updated', v_count > 0);
END;
$$;

-- giggles.query.days.clear ----------------------------------------------------------------
-- Before a reprocess of local days [p_from, p_to]: deletes the live detections (returning their
-- clip paths; the caller removes the files after this commits), the windows, the logs written
-- by jobs (trigger set; the original app's rows stay) and the finished jobs. Tombstones stay
-- (their audio_segment_id becomes NULL) so a reprocess cannot bring back a deleted laugh.
-- Refuses (conflict) while a job of those days is planned or running: its results would land
-- in the cleared days.
CREATE OR REPLACE FUNCTION public.giggles_clear_days(p_user_id uuid, p_from date, p_to date) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_busy text[];
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
    RETURN jsonb_build_object('conflict', true, 'jobsInFlight', to_jsonb(v_busy));
  END IF;

  WITH gone AS (
    DELETE FROM public.laughter_detections d
     USING public.audio_segments s
     WHERE s.id = d.audio_segment_id
       AND s.user_id = p_user_id AND s.date BETWEEN p_from AND p_to
       AND d.user_id = p_user_id AND d.deleted_at IS NULL
    RETURNING d.clip_path
  )
  SELECT count(*), coalesce(array_agg(clip_path) FILTER (WHERE clip_path IS NOT NULL), '{}')
    INTO v_detections, v_clips FROM gone;

  DELETE FROM public.audio_segments WHERE user_id = p_user_id AND date BETWEEN p_from AND p_to;
  GET DIAGNOSTICS v_windows = ROW_COUNT;
  DELETE FROM public.processing_logs
   WHERE user_id = p_user_id AND date BETWEEN p_from AND p_to AND trigger IS NOT NULL;
  GET DIAGNOSTICS v_logs = ROW_COUNT;
  DELETE FROM public.jobs
   WHERE user_id = p_user_id AND local_date BETWEEN p_from AND p_to AND status NOT IN ('planned', 'running');
  GET DIAGNOSTICS v_jobs = ROW_COUNT;

  RETURN jsonb_build_object(
    'conflict', false, 'detectionsRemoved', v_detections, 'windowsRemoved', v_windows,
    'logsRemoved', v_logs, 'jobsRemoved', v_jobs, 'clipPaths', to_jsonb(v_clips));
END;
$$;

-- giggles.query.users.by-email --------------------------------------------------------------
-- Case-insensitive. key_status: the active key's state ('active' = Limitless accepts it), or
-- 'none' without an active key.
CREATE OR REPLACE FUNCTION public.giggles_user_by_email(p_email text)
  RETURNS TABLE (user_id uuid, email text, timezone text, key_status text)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT u.id, u.email, u.timezone,
         CASE k.status WHEN 'valid' THEN 'active' WHEN 'invalid' THEN 'invalid' ELSE 'none' END
    FROM public.users u
    LEFT JOIN public.limitless_keys k ON k.user_id = u.id AND k.is_active
   WHERE lower(u.email) = lower(p_email)
   ORDER BY u.email = p_email DESC, u.created_at, u.id
   LIMIT 1;
$$;

-- giggles.query.ops.status ----------------------------------------------------------------
-- Everything `giggles status` shows from the database: jobs in flight, and per user with any
-- key (active or not) the key state, the newest day a whole-day job finished, open gap days
-- and given-up days (newest first, at most 31 each).
CREATE OR REPLACE FUNCTION public.giggles_operations_status(p_user_id uuid DEFAULT NULL) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT jsonb_build_object(
    'jobsInFlight', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'jobId', j.job_id, 'userId', j.user_id, 'email', u.email, 'localDate', j.local_date,
               'trigger', j.trigger, 'status', j.status, 'windowsPlanned', coalesce(j.windows_planned, 0),
               'windowsDone', j.windows_done, 'registeredAt', j.created_at, 'updatedAt', j.updated_at)
             || CASE WHEN j.range_start IS NOT NULL AND j.range_end IS NOT NULL
                     THEN jsonb_build_object('startMs', (extract(epoch FROM j.range_start) * 1000)::bigint,
                                             'endMs', (extract(epoch FROM j.range_end) * 1000)::bigint)
                     ELSE '{}'::jsonb END
             ORDER BY j.created_at, j.job_id)
        FROM public.jobs j JOIN public.users u ON u.id = j.user_id
       WHERE j.status IN ('planned', 'running') AND (p_user_id IS NULL OR j.user_id = p_user_id)), '[]'::jsonb),
    'users', coalesce((
      SELECT jsonb_agg(jsonb_build_object(
               'userId', u.id, 'email', u.email, 'timezone', u.timezone,
               'keyStatus', CASE k.status WHEN 'valid' THEN 'active' WHEN 'invalid' THEN 'invalid' ELSE 'none' END,
               'lastProcessedDay', (
                 SELECT max(j.local_date) FROM public.jobs j
                  WHERE j.user_id = u.id AND j.status = 'done' AND j.trigger IN ('nightly', 'reprocess', 'manual')),
               'gapDays', coalesce((
                 SELECT jsonb_agg(g.date ORDER BY g.date DESC) FROM (
                   SELECT DISTINCT s.date FROM public.audio_segments s
                    WHERE s.user_id = u.id AND s.status IN ('gap', 'failed')
                      AND NOT EXISTS (SELECT 1 FROM public.processing_logs l
                                       WHERE l.user_id = u.id AND l.date = s.date AND l.gap_given_up_at IS NOT NULL)
                    ORDER BY s.date DESC LIMIT 31) g), '[]'::jsonb),
               'gapsGivenUp', coalesce((
                 SELECT jsonb_agg(g.date ORDER BY g.date DESC) FROM (
                   SELECT DISTINCT l.date FROM public.processing_logs l
                    WHERE l.user_id = u.id AND l.gap_given_up_at IS NOT NULL
                    ORDER BY l.date DESC LIMIT 31) g), '[]'::jsonb))
             ORDER BY u.email, u.id)
        FROM public.users u
        LEFT JOIN public.limitless_keys k ON k.user_id = u.id AND k.is_active
       WHERE EXISTS (SELECT 1 FROM public.limitless_keys any_key WHERE any_key.user_id = u.id)
         AND (p_user_id IS NULL OR u.id = p_user_id)), '[]'::jsonb));
$$;

-- giggles.query.maintenance.reconcile: jobs stuck in flight ------------------------------------
-- Planned/running jobs with no update since p_cutoff are failed with code 'stuck' (their days
-- become due again) and their open log rows say so. p_dry_run only counts.
CREATE OR REPLACE FUNCTION public.giggles_fail_stuck_jobs(p_cutoff timestamptz, p_message text, p_dry_run boolean DEFAULT false)
  RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_in_flight integer;
  v_ids text[];
  v_error jsonb := jsonb_build_object('code', 'stuck', 'message', p_message);
BEGIN
  SELECT count(*) INTO v_in_flight FROM public.jobs WHERE status IN ('planned', 'running');
  SELECT coalesce(array_agg(job_id), '{}') INTO v_ids FROM public.jobs
   WHERE status IN ('planned', 'running') AND updated_at < p_cutoff;
  IF NOT p_dry_run AND cardinality(v_ids) > 0 THEN
    UPDATE public.jobs SET status = 'failed', error = v_error
     WHERE job_id = ANY (v_ids) AND status IN ('planned', 'running');
    UPDATE public.processing_logs SET
      status = 'failed', finished_at = now(), message = p_message,
      errors = errors || jsonb_build_array(v_error || jsonb_build_object('at', now()))
     WHERE job_id = ANY (v_ids) AND status = 'processing';
  END IF;
  RETURN jsonb_build_object('inFlight', v_in_flight, 'stuck', cardinality(v_ids));
END;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_register_job(jsonb)',
    'public.giggles_due_days(uuid, date, date, text)',
    'public.giggles_give_up_gaps(uuid, date, text)',
    'public.giggles_clear_days(uuid, date, date)',
    'public.giggles_user_by_email(text)',
    'public.giggles_operations_status(uuid)',
    'public.giggles_fail_stuck_jobs(timestamptz, text, boolean)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;

-- "today" windows superseded by a whole-day run ---------------------------------------------------
-- A window a 'today' run stored soon after it ended may miss audio the pendant uploaded late, so
-- ingestion downloads that span again in the next whole-day run (INGESTION_LATE_UPLOAD_MINUTES),
-- as a window of the usual grid that contains the provisional one. Once that window is
-- processed, the provisional rows inside it are superseded: their detections move to the new
-- window (persistence already skipped the new run's copies of them as duplicates) and the rows
-- go, so the day counts its audio once.
CREATE OR REPLACE FUNCTION giggles_internal.supersede_today_windows() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_ids uuid[];
BEGIN
  SELECT array_agg(s.id) INTO v_ids FROM public.audio_segments s
   WHERE s.user_id = NEW.user_id
     AND s.id <> NEW.id
     AND s.trigger = 'today'
     AND s.start_time >= NEW.start_time
     AND s.end_time <= NEW.end_time;
  IF v_ids IS NOT NULL THEN
    UPDATE public.laughter_detections SET audio_segment_id = NEW.id WHERE audio_segment_id = ANY (v_ids);
    DELETE FROM public.audio_segments WHERE id = ANY (v_ids);
  END IF;
  RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS giggles_supersede_today_windows ON public.audio_segments;
CREATE TRIGGER giggles_supersede_today_windows
  AFTER INSERT OR UPDATE OF status, trigger ON public.audio_segments
  FOR EACH ROW
  WHEN (NEW.status = 'processed' AND NEW.trigger IS DISTINCT FROM 'today')
  EXECUTE FUNCTION giggles_internal.supersede_today_windows();
