-- Issue 10, pipeline side: whole-history backfill (registered day jobs with trigger 'backfill',
-- one backfill row per user with its range and state) and "the Limitless API is gone" (per-user
-- download pause while every request fails to connect, resumed by a successful probe).

-- trigger 'backfill' ---------------------------------------------------------------------------
ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_trigger_check;
ALTER TABLE public.jobs
  ADD CONSTRAINT jobs_trigger_check CHECK (trigger IN ('nightly', 'today', 'reprocess', 'gap-retry', 'manual', 'backfill'));
ALTER TABLE public.processing_logs DROP CONSTRAINT IF EXISTS processing_logs_trigger_check;
ALTER TABLE public.processing_logs
  ADD CONSTRAINT processing_logs_trigger_check CHECK (trigger IN ('nightly', 'today', 'reprocess', 'gap-retry', 'manual', 'backfill'));

-- backfills --------------------------------------------------------------------------------------
-- One per user: the local days [from_date, to_date] to process oldest first. 'done' once no day
-- of the range is left uncovered and none is in flight (giggles_backfill_plan sets it).
CREATE TABLE IF NOT EXISTS public.backfills (
  user_id uuid PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE,
  from_date date NOT NULL,
  to_date date NOT NULL,
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'done')),
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT backfills_range_order CHECK (to_date >= from_date)
);
ALTER TABLE public.backfills ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS giggles_backfills_own_rows ON public.backfills;
CREATE POLICY giggles_backfills_own_rows ON public.backfills FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
DROP TRIGGER IF EXISTS giggles_touch_updated_at ON public.backfills;
CREATE TRIGGER giggles_touch_updated_at BEFORE UPDATE ON public.backfills
  FOR EACH ROW EXECUTE FUNCTION public.giggles_touch_updated_at();

-- limitless_outages ---------------------------------------------------------------------------------
-- Per user: paused_at is set while the scheduler plans no downloads for them because every
-- Limitless request failed to connect for longer than its threshold; resumed_at marks where the
-- next unreachable run may start counting (older failures never pause the user again).
CREATE TABLE IF NOT EXISTS public.limitless_outages (
  user_id uuid PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE,
  paused_at timestamptz,
  pause_reason text,
  resumed_at timestamptz,
  last_probe_at timestamptz,
  probes integer NOT NULL DEFAULT 0
);
ALTER TABLE public.limitless_outages ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS giggles_limitless_outages_own_rows ON public.limitless_outages;
CREATE POLICY giggles_limitless_outages_own_rows ON public.limitless_outages FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

-- The outage query looks up a job's windows by job id, every tick.
CREATE INDEX IF NOT EXISTS audio_segments_job_id ON public.audio_segments (job_id);

-- Whole-day triggers: a finished job of any of these covers its day. -------------------------------
CREATE OR REPLACE FUNCTION giggles_internal.is_whole_day_trigger(p_trigger text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT p_trigger IN ('nightly', 'reprocess', 'manual', 'backfill') $$;

-- giggles.query.days.due: as in 0009, with 'backfill' jobs covering their day -----------------------
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
                AND giggles_internal.is_whole_day_trigger(j.trigger)
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
                      THEN giggles_internal.is_whole_day_trigger(j.trigger) AND j.status = 'failed'
                      ELSE j.trigger = 'gap-retry' AND j.status NOT IN ('planned', 'running') END),
         (SELECT max(j.created_at) FROM public.jobs j WHERE j.user_id = p_user_id AND j.local_date = s.day)
    FROM state s
   WHERE NOT s.covered OR (s.has_open_windows AND NOT s.given_up AND NOT s.retry_in_flight)
   ORDER BY s.day;
$$;

-- Progress of one backfill row as the contract's BackfillProgress. -----------------------------------
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
      SELECT count(DISTINCT j.local_date) FROM public.jobs j
       WHERE j.user_id = b.user_id AND j.local_date BETWEEN b.from_date AND b.to_date
         AND j.trigger = 'backfill' AND j.status IN ('failed', 'key_invalid')
         AND NOT EXISTS (SELECT 1 FROM public.jobs k
                          WHERE k.user_id = b.user_id AND k.local_date = j.local_date
                            AND giggles_internal.is_whole_day_trigger(k.trigger) AND k.status = 'done')),
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

-- giggles.query.backfill.start --------------------------------------------------------------------
-- A new backfill, or a new range (and 'active' again) for the user's existing one; started_at is
-- kept unless the old one was done, so the ETA's rate covers the whole run.
CREATE OR REPLACE FUNCTION public.giggles_backfill_start(p_user_id uuid, p_from date, p_to date) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_row public.backfills;
BEGIN
  INSERT INTO public.backfills AS b (user_id, from_date, to_date, state)
  VALUES (p_user_id, p_from, p_to, 'active')
  ON CONFLICT (user_id) DO UPDATE SET
    from_date = EXCLUDED.from_date,
    to_date = EXCLUDED.to_date,
    state = 'active',
    started_at = CASE WHEN b.state = 'done' THEN now() ELSE b.started_at END
  RETURNING * INTO v_row;
  RETURN giggles_internal.backfill_progress(v_row);
END;
$$;

-- giggles.query.backfill.state ------------------------------------------------------------------------
-- Pause or resume; NULL when the user has no backfill. A done backfill stays done.
CREATE OR REPLACE FUNCTION public.giggles_backfill_set_state(p_user_id uuid, p_state text) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_row public.backfills;
BEGIN
  UPDATE public.backfills SET state = p_state WHERE user_id = p_user_id AND state <> 'done' AND state <> p_state;
  SELECT * INTO v_row FROM public.backfills WHERE user_id = p_user_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN giggles_internal.backfill_progress(v_row);
END;
$$;

-- giggles.query.backfill.progress -------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.giggles_backfill_progress(p_user_id uuid DEFAULT NULL) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT coalesce(jsonb_agg(giggles_internal.backfill_progress(b) ORDER BY b.started_at, b.user_id), '[]'::jsonb)
    FROM public.backfills b
   WHERE p_user_id IS NULL OR b.user_id = p_user_id;
$$;

-- giggles.query.backfill.plan -----------------------------------------------------------------------
-- For each active backfill of a user with an active valid key whose downloads are not paused:
-- the next p_limit days of the range no whole-day job covers (planned, running or done) and no
-- backfill job failed on (failures are reported, not retried in a loop), oldest first, and how
-- many backfill jobs (and jobs of any trigger) the user has in flight; otherJobsQueued counts
-- non-backfill jobs of everyone registered but not yet started (backfill yields to them). A
-- backfill with nothing uncovered and nothing in flight becomes 'done' here.
CREATE OR REPLACE FUNCTION public.giggles_backfill_plan(p_limit integer) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_users jsonb := '[]'::jsonb;
  v_total integer;
  b record;
  v_days jsonb;
  v_in_flight integer;
  v_all_in_flight integer;
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
    SELECT count(*) FILTER (WHERE trigger = 'backfill'), count(*) INTO v_in_flight, v_all_in_flight FROM public.jobs
     WHERE user_id = b.user_id AND status IN ('planned', 'running');
    IF jsonb_array_length(v_days) = 0 AND v_in_flight = 0 THEN
      UPDATE public.backfills SET state = 'done' WHERE user_id = b.user_id AND state = 'active';
    ELSE
      v_users := v_users || jsonb_build_array(jsonb_build_object(
        'userId', b.user_id, 'timezone', b.timezone, 'backfillInFlight', v_in_flight, 'jobsInFlight', v_all_in_flight, 'days', v_days));
    END IF;
  END LOOP;
  RETURN jsonb_build_object('users', v_users, 'backfillInFlight', v_total, 'otherJobsQueued', v_queued);
END;
$$;

-- giggles.query.outages.list --------------------------------------------------------------------------
-- Per user with an active key: the start of the current unbroken run of finished jobs whose every
-- window was a gap with code 'api_unreachable' (ingestion's classification: no connection to
-- Limitless at all), counted after the last resume, and the pause state. Users with neither are
-- left out.
CREATE OR REPLACE FUNCTION public.giggles_api_outages() RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH finished AS (
    SELECT j.user_id, j.created_at,
           (coalesce(j.windows_planned, 0) > 0 AND j.windows_gap = j.windows_planned
            AND NOT EXISTS (SELECT 1 FROM public.audio_segments s
                             WHERE s.job_id = j.job_id AND s.user_id = j.user_id
                               AND (s.status <> 'gap' OR coalesce(s.error ->> 'code', '') <> 'api_unreachable'))) AS unreachable
      FROM public.jobs j
      LEFT JOIN public.limitless_outages o ON o.user_id = j.user_id
     WHERE j.status IN ('done', 'failed') AND j.trigger <> 'today'
       AND j.created_at > coalesce(o.resumed_at, '-infinity'::timestamptz)
       -- Asked every tick: only the recent past matters (the pause threshold is at most 30 days).
       AND j.created_at > now() - interval '31 days'
  ), runs AS (
    SELECT f.user_id,
           min(f.created_at) FILTER (WHERE f.unreachable
             AND f.created_at > coalesce((SELECT max(r.created_at) FROM finished r WHERE r.user_id = f.user_id AND NOT r.unreachable), '-infinity'::timestamptz)) AS since
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

-- giggles.query.outages.set -----------------------------------------------------------------------------
-- pause (with the reason), resume (and from now on count afresh), probed (a failed probe).
CREATE OR REPLACE FUNCTION public.giggles_api_outage_set(p_user_id uuid, p_action text, p_reason text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_row public.limitless_outages;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE id = p_user_id) THEN
    RETURN NULL;
  END IF;
  INSERT INTO public.limitless_outages (user_id) VALUES (p_user_id) ON CONFLICT (user_id) DO NOTHING;
  IF p_action = 'pause' THEN
    UPDATE public.limitless_outages SET paused_at = coalesce(paused_at, now()), pause_reason = p_reason WHERE user_id = p_user_id;
  ELSIF p_action = 'resume' THEN
    UPDATE public.limitless_outages SET paused_at = NULL, pause_reason = NULL, resumed_at = now(),
           last_probe_at = now(), probes = probes + 1 WHERE user_id = p_user_id;
  ELSE
    UPDATE public.limitless_outages SET last_probe_at = now(), probes = probes + 1 WHERE user_id = p_user_id;
  END IF;
  SELECT * INTO v_row FROM public.limitless_outages WHERE user_id = p_user_id;
  RETURN (SELECT jsonb_strip_nulls(jsonb_build_object(
            'userId', u.id, 'email', coalesce(u.email, ''), 'pausedAt', v_row.paused_at,
            'pauseReason', v_row.pause_reason, 'lastProbeAt', v_row.last_probe_at))
            FROM public.users u WHERE u.id = p_user_id);
END;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_due_days(uuid, date, date, text)',
    'public.giggles_backfill_start(uuid, date, date)',
    'public.giggles_backfill_set_state(uuid, text)',
    'public.giggles_backfill_progress(uuid)',
    'public.giggles_backfill_plan(integer)',
    'public.giggles_api_outages()',
    'public.giggles_api_outage_set(uuid, text, text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION giggles_internal.is_whole_day_trigger(text), giggles_internal.backfill_progress(public.backfills) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION giggles_internal.is_whole_day_trigger(text), giggles_internal.backfill_progress(public.backfills) TO service_role;
REVOKE ALL ON public.backfills, public.limitless_outages FROM PUBLIC, anon, authenticated;
GRANT ALL ON public.backfills, public.limitless_outages TO service_role;
GRANT SELECT ON public.backfills, public.limitless_outages TO authenticated;
