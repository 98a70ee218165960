-- What the gateway asks persistence for (QUERIES ensureUser … jobProgress, types in
-- libs/contracts/src/user-queries.ts): one user's own days, laughs, trends, review marks, key,
-- settings, and deleting any of it. Every function takes the user id and touches only that
-- user's rows; all are service_role-only, like 0006/0007/0009.
--
-- A laugh's local day is the day of the window it was found in (audio_segments.date: the user's
-- local day as the job planner computed it, so a later change of time zone does not move old
-- laughs). Never the UTC date. Every live laugh has a window (only tombstones of cleared days
-- lose theirs, 0009), so the day queries reach laughs through the (user, date) index of windows.

-- detection_reviews: the user's review marks, kept as labels ---------------------------------
-- "Not a laugh" takes a detection out of every count and chart and can be undone (the row is
-- deleted). The mark copies the detection's scores and times, so it stays a usable training label
-- for improving detection later even when the detection itself goes: deleting the laugh keeps
-- the mark (tombstones keep their id), clearing a day for a reprocess detaches it
-- (detection_id NULL), and a re-detected laugh over the same span and class picks it up again
-- (trigger below). Only deleting all of a user's data removes the user's marks.
CREATE TABLE IF NOT EXISTS public.detection_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  detection_id uuid UNIQUE REFERENCES public.laughter_detections (id) ON DELETE SET NULL,
  label text NOT NULL CONSTRAINT detection_reviews_label_check CHECK (label IN ('not_laugh')),
  event_start timestamptz NOT NULL,
  event_end timestamptz,
  peak_at timestamptz,
  probability numeric(5, 4) NOT NULL,
  mean_probability numeric(5, 4),
  class_id integer,
  class_name text,
  model_version text,
  reviewed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS detection_reviews_user_unattached
  ON public.detection_reviews (user_id, event_start) WHERE detection_id IS NULL;

ALTER TABLE public.detection_reviews ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.detection_reviews FROM PUBLIC, anon, authenticated;
GRANT ALL ON public.detection_reviews TO service_role;
GRANT SELECT ON public.detection_reviews TO authenticated;
DROP POLICY IF EXISTS giggles_reviews_own ON public.detection_reviews;
CREATE POLICY giggles_reviews_own ON public.detection_reviews
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

-- A detection stored again after its day was cleared takes back the mark of the same laugh
-- (same class, overlapping span): a reprocess cannot undo the user's review.
CREATE OR REPLACE FUNCTION giggles_internal.reattach_review() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
BEGIN
  UPDATE public.detection_reviews r SET detection_id = NEW.id
   WHERE r.id = (
     SELECT o.id FROM public.detection_reviews o
      WHERE o.user_id = NEW.user_id AND o.detection_id IS NULL
        AND o.class_id IS NOT DISTINCT FROM NEW.class_id
        AND coalesce(o.event_end, o.event_start) >= NEW."timestamp"
        AND o.event_start <= coalesce(NEW.event_end, NEW."timestamp")
      ORDER BY o.reviewed_at DESC
      LIMIT 1);
  RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS giggles_reattach_review ON public.laughter_detections;
CREATE TRIGGER giggles_reattach_review AFTER INSERT ON public.laughter_detections
  FOR EACH ROW EXECUTE FUNCTION giggles_internal.reattach_review();

-- limitless_keys: why Limitless rejected the key (shown to the user with invalid_since).
ALTER TABLE public.limitless_keys ADD COLUMN IF NOT EXISTS invalid_reason text;

-- Day look-ups of a user's windows by local date already use audio_segments_user_date; laughs
-- are found through their window, and the export pages in (start, id) order.
CREATE INDEX IF NOT EXISTS laughter_detections_user_start ON public.laughter_detections (user_id, "timestamp", id);
CREATE INDEX IF NOT EXISTS processing_logs_user_date ON public.processing_logs (user_id, date);

-- Helpers ------------------------------------------------------------------------------------

-- Instants on the wire: epoch milliseconds (floored, so paging keys match) and ISO 8601 in UTC.
CREATE OR REPLACE FUNCTION giggles_internal.ts_to_ms(ts timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog
  AS $$ SELECT floor(extract(epoch FROM ts) * 1000)::bigint $$;

CREATE OR REPLACE FUNCTION giggles_internal.iso(ts timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  SET search_path = pg_catalog
  AS $$ SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- Every laugh that has a window (all live ones) with its local day and review mark, in the shape
-- the contracts use. A view (inlined into each query, so a user and date filter reaches the
-- windows' (user_id, date) index), in the internal schema PostgREST does not expose;
-- security_invoker so RLS applies to whoever reads.
CREATE OR REPLACE VIEW giggles_internal.user_laughs WITH (security_invoker = true) AS
SELECT d.id,
       s.user_id,
       s.date AS local_date,
       d."timestamp" AS start_at,
       coalesce(d.event_end, d."timestamp") AS end_at,
       -- Legacy rows have no peak; a peak outside the span would break the contract.
       least(greatest(coalesce(d.peak_at, d."timestamp"), d."timestamp"), coalesce(d.event_end, d."timestamp")) AS peak_at,
       greatest(coalesce(d.duration_s, 0), 0) AS duration_s,
       d.probability,
       d.mean_probability,
       d.class_id,
       -- The original app detected only laughter and stored no class.
       coalesce(d.class_name, 'Laughter') AS class_name,
       d.notes,
       d.clip_path,
       d.model_version,
       d.deleted_at,
       r.label AS review,
       r.reviewed_at
  FROM public.laughter_detections d
  JOIN public.audio_segments s ON s.id = d.audio_segment_id AND s.user_id = d.user_id
  LEFT JOIN public.detection_reviews r ON r.detection_id = d.id;

-- One laugh as the contracts' Laugh (optional fields left out when empty).
CREATE OR REPLACE FUNCTION giggles_internal.laugh_json(x giggles_internal.user_laughs) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog
  AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'id', x.id,
    'localDate', to_char(x.local_date, 'YYYY-MM-DD'),
    'startMs', giggles_internal.ts_to_ms(x.start_at),
    'endMs', giggles_internal.ts_to_ms(x.end_at),
    'peakMs', giggles_internal.ts_to_ms(x.peak_at),
    'durationS', x.duration_s,
    'probability', x.probability,
    'meanProbability', x.mean_probability,
    'classId', x.class_id,
    'className', x.class_name,
    'notes', nullif(x.notes, ''),
    'review', x.review,
    'reviewedAt', giggles_internal.iso(x.reviewed_at),
    'hasClip', x.clip_path IS NOT NULL
  ));
$$;

-- giggles.query.days.page / days.one ------------------------------------------------------------
-- The user's days, newest first: any local day with a window (so every day with a live laugh), a log row or a job,
-- before p_before (exclusive), at most p_limit; or only p_date. Counts leave out deleted laughs
-- and laughs marked "not a laugh" (rejected_count counts those); audio is the windows' decoded
-- seconds (legacy windows without it count their length when processed). The columns after
-- rejected_count feed the day's state in words (src/services/day-state.ts).
CREATE OR REPLACE FUNCTION public.giggles_day_summaries(
  p_user_id uuid, p_before date DEFAULT NULL, p_limit integer DEFAULT 30, p_date date DEFAULT NULL
)
  RETURNS TABLE (
    local_date date,
    laugh_count bigint,
    laugh_seconds double precision,
    mean_probability double precision,
    audio_seconds double precision,
    windows_processed bigint,
    windows_empty bigint,
    windows_gap bigint,
    windows_failed bigint,
    rejected_count bigint,
    jobs_in_flight bigint,
    in_flight_planned bigint,
    in_flight_done bigint,
    latest_job_status text,
    gaps_given_up boolean,
    key_state text
  )
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH days AS (
    SELECT day FROM (
      SELECT s.date AS day FROM public.audio_segments s WHERE s.user_id = p_user_id
      UNION SELECT l.date FROM public.processing_logs l WHERE l.user_id = p_user_id
      UNION SELECT j.local_date FROM public.jobs j WHERE j.user_id = p_user_id
    ) every_day
    WHERE (p_before IS NULL OR day < p_before) AND (p_date IS NULL OR day = p_date)
    ORDER BY day DESC
    LIMIT greatest(p_limit, 0)
  ), laughs AS (
    SELECT x.local_date AS day,
           count(*) FILTER (WHERE x.review IS NULL) AS laugh_count,
           coalesce(sum(x.duration_s) FILTER (WHERE x.review IS NULL), 0) AS laugh_seconds,
           avg(x.probability) FILTER (WHERE x.review IS NULL) AS mean_probability,
           count(*) FILTER (WHERE x.review IS NOT NULL) AS rejected_count
      FROM giggles_internal.user_laughs x
     WHERE x.user_id = p_user_id AND x.deleted_at IS NULL AND x.local_date IN (SELECT day FROM days)
     GROUP BY x.local_date
  ), windows AS (
    SELECT s.date AS day,
           sum(coalesce(s.decoded_seconds,
                        CASE WHEN s.processed THEN extract(epoch FROM s.end_time - s.start_time)::double precision END,
                        0)) AS audio_seconds,
           count(*) FILTER (WHERE s.status = 'processed') AS windows_processed,
           count(*) FILTER (WHERE s.status = 'empty') AS windows_empty,
           count(*) FILTER (WHERE s.status = 'gap') AS windows_gap,
           count(*) FILTER (WHERE s.status = 'failed') AS windows_failed
      FROM public.audio_segments s
     WHERE s.user_id = p_user_id AND s.date IN (SELECT day FROM days)
     GROUP BY s.date
  ), job_days AS (
    SELECT j.local_date AS day,
           count(*) FILTER (WHERE j.status IN ('planned', 'running')) AS jobs_in_flight,
           coalesce(sum(j.windows_planned - j.windows_skipped) FILTER (WHERE j.status IN ('planned', 'running')), 0) AS in_flight_planned,
           coalesce(sum(j.windows_done) FILTER (WHERE j.status IN ('planned', 'running')), 0) AS in_flight_done,
           (array_agg(j.status ORDER BY j.created_at DESC, j.job_id DESC))[1] AS latest_job_status
      FROM public.jobs j
     WHERE j.user_id = p_user_id AND j.local_date IN (SELECT day FROM days)
     GROUP BY j.local_date
  ), log_days AS (
    SELECT l.date AS day, bool_or(l.gap_given_up_at IS NOT NULL) AS gaps_given_up
      FROM public.processing_logs l
     WHERE l.user_id = p_user_id AND l.date IN (SELECT day FROM days)
     GROUP BY l.date
  ), key AS (
    SELECT coalesce((SELECT CASE k.status WHEN 'valid' THEN 'active' ELSE 'invalid' END
                       FROM public.limitless_keys k WHERE k.user_id = p_user_id AND k.is_active LIMIT 1), 'none') AS state
  )
  SELECT days.day,
         coalesce(laughs.laugh_count, 0),
         coalesce(laughs.laugh_seconds, 0)::double precision,
         laughs.mean_probability::double precision,
         coalesce(windows.audio_seconds, 0),
         coalesce(windows.windows_processed, 0),
         coalesce(windows.windows_empty, 0),
         coalesce(windows.windows_gap, 0),
         coalesce(windows.windows_failed, 0),
         coalesce(laughs.rejected_count, 0),
         coalesce(job_days.jobs_in_flight, 0),
         coalesce(job_days.in_flight_planned, 0)::bigint,
         coalesce(job_days.in_flight_done, 0)::bigint,
         job_days.latest_job_status,
         coalesce(log_days.gaps_given_up, false),
         key.state
    FROM days
    CROSS JOIN key
    LEFT JOIN laughs ON laughs.day = days.day
    LEFT JOIN windows ON windows.day = days.day
    LEFT JOIN job_days ON job_days.day = days.day
    LEFT JOIN log_days ON log_days.day = days.day
   ORDER BY days.day DESC;
$$;

-- giggles.query.laughs.day: the day's live laughs in time order (rejected ones included, marked),
-- at least p_min_probability, one page, with the number matching the filter.
CREATE OR REPLACE FUNCTION public.giggles_day_laughs(
  p_user_id uuid, p_date date, p_min_probability numeric DEFAULT 0, p_offset integer DEFAULT 0, p_limit integer DEFAULT 50
) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH matching AS (
    SELECT x FROM giggles_internal.user_laughs x
     WHERE x.user_id = p_user_id AND x.deleted_at IS NULL AND x.local_date = p_date
       AND x.probability >= coalesce(p_min_probability, 0)
  ), page AS (
    SELECT (m.x).start_at, (m.x).id, giggles_internal.laugh_json(m.x) AS laugh FROM matching m
     ORDER BY (m.x).start_at, (m.x).id
     OFFSET greatest(p_offset, 0) LIMIT greatest(p_limit, 0)
  )
  SELECT jsonb_build_object(
    'total', (SELECT count(*) FROM matching),
    'laughs', coalesce((SELECT jsonb_agg(laugh ORDER BY start_at, id) FROM page), '[]'::jsonb));
$$;

-- giggles.query.laughs.update: notes and/or the review mark of one live laugh of the user.
-- p_set_* say which to change (NULL values clear). NULL when the laugh is not the user's live one.
CREATE OR REPLACE FUNCTION public.giggles_update_laugh(
  p_user_id uuid, p_laugh_id uuid, p_set_notes boolean, p_notes text, p_set_review boolean, p_review text
) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_detection public.laughter_detections;
  v_laugh giggles_internal.user_laughs;
BEGIN
  SELECT * INTO v_detection FROM public.laughter_detections
   WHERE id = p_laugh_id AND user_id = p_user_id AND deleted_at IS NULL
   FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;

  IF p_set_notes THEN
    UPDATE public.laughter_detections SET notes = nullif(p_notes, '') WHERE id = p_laugh_id;
  END IF;

  IF p_set_review AND p_review IS NULL THEN
    DELETE FROM public.detection_reviews WHERE detection_id = p_laugh_id;
  ELSIF p_set_review THEN
    INSERT INTO public.detection_reviews (
      user_id, detection_id, label, event_start, event_end, peak_at, probability, mean_probability,
      class_id, class_name, model_version
    ) VALUES (
      p_user_id, p_laugh_id, p_review, v_detection."timestamp", v_detection.event_end, v_detection.peak_at,
      v_detection.probability, v_detection.mean_probability, v_detection.class_id, v_detection.class_name,
      v_detection.model_version
    )
    ON CONFLICT (detection_id) DO UPDATE SET label = EXCLUDED.label
    -- Marking again keeps the first review time; a different label is a new judgement.
    WHERE public.detection_reviews.label <> EXCLUDED.label;
  END IF;

  SELECT * INTO v_laugh FROM giggles_internal.user_laughs WHERE id = p_laugh_id;
  RETURN giggles_internal.laugh_json(v_laugh);
END;
$$;

-- One laugh of the user (live only), for reading its clip.
CREATE OR REPLACE FUNCTION public.giggles_laugh_clip(p_user_id uuid, p_laugh_id uuid) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT clip_path FROM public.laughter_detections
   WHERE id = p_laugh_id AND user_id = p_user_id AND deleted_at IS NULL;
$$;

-- giggles.query.days.delete: every live laugh of the local day becomes a tombstone (a reprocess
-- cannot bring them back); windows, logs and jobs stay, so nothing is downloaded again. Review
-- marks stay as labels. Returns the clip paths to delete after the commit.
CREATE OR REPLACE FUNCTION public.giggles_delete_day(p_user_id uuid, p_date date) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_count integer;
  v_clips text[];
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  WITH target AS (
    SELECT x.id, x.clip_path FROM giggles_internal.user_laughs x
     WHERE x.user_id = p_user_id AND x.deleted_at IS NULL AND x.local_date = p_date
  ), gone AS (
    UPDATE public.laughter_detections d
       SET deleted_at = now(), clip_path = NULL
      FROM target
     WHERE d.id = target.id AND d.user_id = p_user_id
    RETURNING target.clip_path
  )
  SELECT count(*), coalesce(array_agg(clip_path) FILTER (WHERE clip_path IS NOT NULL), '{}')
    INTO v_count, v_clips FROM gone;
  RETURN jsonb_build_object('laughsDeleted', v_count, 'clipPaths', to_jsonb(v_clips));
END;
$$;

-- giggles.query.users.delete-all: every row of one user, the users row last. Clip paths of the
-- user's detections come back for deleting the files after the commit.
CREATE OR REPLACE FUNCTION public.giggles_delete_user_data(p_user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_clips text[];
  v_detections integer;
  v_reviews integer;
  v_segments integer;
  v_logs integer;
  v_jobs integer;
  v_keys integer;
  v_users integer;
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  SELECT coalesce(array_agg(DISTINCT clip_path) FILTER (WHERE clip_path IS NOT NULL), '{}') INTO v_clips
    FROM public.laughter_detections WHERE user_id = p_user_id;
  DELETE FROM public.detection_reviews WHERE user_id = p_user_id;
  GET DIAGNOSTICS v_reviews = ROW_COUNT;
  DELETE FROM public.laughter_detections WHERE user_id = p_user_id;
  GET DIAGNOSTICS v_detections = ROW_COUNT;
  DELETE FROM public.audio_segments WHERE user_id = p_user_id;
  GET DIAGNOSTICS v_segments = ROW_COUNT;
  DELETE FROM public.processing_logs WHERE user_id = p_user_id;
  GET DIAGNOSTICS v_logs = ROW_COUNT;
  DELETE FROM public.jobs WHERE user_id = p_user_id;
  GET DIAGNOSTICS v_jobs = ROW_COUNT;
  DELETE FROM public.limitless_keys WHERE user_id = p_user_id;
  GET DIAGNOSTICS v_keys = ROW_COUNT;
  DELETE FROM public.users WHERE id = p_user_id;
  GET DIAGNOSTICS v_users = ROW_COUNT;
  RETURN jsonb_build_object(
    'detections', v_detections, 'reviews', v_reviews, 'segments', v_segments, 'logs', v_logs,
    'jobs', v_jobs, 'keys', v_keys, 'userRemoved', v_users > 0, 'clipPaths', to_jsonb(v_clips));
END;
$$;

-- The user's key as they may see it (never the ciphertext): state, when saved, when Limitless
-- rejected it and why, and when a download last used it (the newest window recorded since).
CREATE OR REPLACE FUNCTION public.giggles_key_status(p_user_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT coalesce((
    SELECT jsonb_strip_nulls(jsonb_build_object(
             'state', CASE k.status WHEN 'valid' THEN 'active' ELSE 'invalid' END,
             'savedAt', giggles_internal.iso(k.created_at),
             'invalidSince', CASE WHEN k.status = 'invalid' THEN giggles_internal.iso(k.invalid_since) END,
             'invalidReason', CASE WHEN k.status = 'invalid' THEN k.invalid_reason END,
             'lastUsedAt', giggles_internal.iso((
               SELECT max(coalesce(s.updated_at, s.created_at)) FROM public.audio_segments s
                WHERE s.user_id = p_user_id AND s.job_id IS NOT NULL
                  AND coalesce(s.updated_at, s.created_at) >= k.created_at))))
      FROM public.limitless_keys k
     WHERE k.user_id = p_user_id AND k.is_active
     LIMIT 1), '{"state": "none"}'::jsonb);
$$;

-- giggles.query.users.key-save: the new ciphertext replaces the active key (0006's
-- giggles_set_user_key, which deactivates the old one in the same transaction).
CREATE OR REPLACE FUNCTION public.giggles_save_key(p_user_id uuid, p_encrypted_api_key text) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_replaced boolean;
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE id = p_user_id) THEN
    RETURN NULL;
  END IF;
  SELECT EXISTS (SELECT 1 FROM public.limitless_keys WHERE user_id = p_user_id AND is_active) INTO v_replaced;
  PERFORM public.giggles_set_user_key(p_user_id, p_encrypted_api_key);
  RETURN jsonb_build_object('replaced', v_replaced, 'key', public.giggles_key_status(p_user_id));
END;
$$;

-- giggles.query.users.key-delete: the user's keys go (old inactive ones too: nothing of a key
-- is kept once the user removes it).
CREATE OR REPLACE FUNCTION public.giggles_delete_key(p_user_id uuid) RETURNS boolean
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_active integer;
BEGIN
  PERFORM giggles_internal.lock_user(p_user_id);
  SELECT count(*) INTO v_active FROM public.limitless_keys WHERE user_id = p_user_id AND is_active;
  DELETE FROM public.limitless_keys WHERE user_id = p_user_id;
  RETURN v_active > 0;
END;
$$;

-- giggles.query.users.profile (and the reply of ensure/settings): NULL when there is no row.
CREATE OR REPLACE FUNCTION public.giggles_user_profile(p_user_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT jsonb_build_object(
           'userId', u.id,
           'email', u.email,
           'timezone', u.timezone,
           'createdAt', giggles_internal.iso(coalesce(u.created_at, now())),
           'key', public.giggles_key_status(u.id))
    FROM public.users u WHERE u.id = p_user_id;
$$;

-- giggles.query.users.ensure: the users row of a Supabase Auth user, created on first sign-in.
-- An existing row (a returning user, or a user of the original app, whose users.id is their
-- auth id) is kept exactly as it is. NULL when the e-mail belongs to another user's row.
CREATE OR REPLACE FUNCTION public.giggles_ensure_user(p_user_id uuid, p_email text, p_timezone text DEFAULT NULL) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_created boolean;
BEGIN
  INSERT INTO public.users (id, email, timezone)
  VALUES (p_user_id, p_email, coalesce(p_timezone, 'UTC'))
  ON CONFLICT DO NOTHING;
  v_created := FOUND;
  IF NOT EXISTS (SELECT 1 FROM public.users WHERE id = p_user_id) THEN
    RETURN NULL;
  END IF;
  RETURN public.giggles_user_profile(p_user_id) || jsonb_build_object('created', v_created);
END;
$$;

-- giggles.query.trends: per local day of [p_from, p_to] (zeros included) laughs, laughing and
-- audio seconds and the mean of the laughs of that day and the 6 before it (days before p_from
-- count, so the first week of the range is not skewed); laughs per local hour (the user's
-- current zone); up to 5 best days; the streak of days with a laugh ending at p_to (or the day
-- before, when p_to has none yet) and the longest streak in the range. Deleted and rejected
-- laughs are left out. One round trip, computed here rather than by loading rows into Node.
CREATE OR REPLACE FUNCTION public.giggles_trends(p_user_id uuid, p_from date, p_to date) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH tz AS (
    SELECT coalesce((SELECT timezone FROM public.users WHERE id = p_user_id), 'UTC') AS zone
  ), counted AS (
    SELECT x.local_date, x.duration_s, x.start_at
      FROM giggles_internal.user_laughs x
     WHERE x.user_id = p_user_id AND x.deleted_at IS NULL AND x.review IS NULL
       AND x.local_date BETWEEN p_from - 6 AND p_to
  ), series AS (
    SELECT d::date AS day FROM generate_series((p_from - 6)::timestamp, p_to::timestamp, interval '1 day') AS d
  ), per_day AS (
    SELECT series.day,
           count(counted.local_date) AS laughs,
           coalesce(sum(counted.duration_s), 0)::double precision AS laugh_seconds
      FROM series LEFT JOIN counted ON counted.local_date = series.day
     GROUP BY series.day
  ), audio AS (
    SELECT s.date AS day,
           sum(coalesce(s.decoded_seconds,
                        CASE WHEN s.processed THEN extract(epoch FROM s.end_time - s.start_time)::double precision END,
                        0)) AS audio_seconds
      FROM public.audio_segments s
     WHERE s.user_id = p_user_id AND s.date BETWEEN p_from AND p_to
     GROUP BY s.date
  ), averaged AS (
    SELECT per_day.day, per_day.laughs, per_day.laugh_seconds,
           coalesce(audio.audio_seconds, 0) AS audio_seconds,
           avg(per_day.laughs) OVER (ORDER BY per_day.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS moving_average
      FROM per_day LEFT JOIN audio ON audio.day = per_day.day
  ), in_range AS (
    SELECT * FROM averaged WHERE day BETWEEN p_from AND p_to
  ), islands AS (
    -- Consecutive laughing days share day − row number.
    SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS island
      FROM in_range WHERE laughs > 0
  ), streaks AS (
    SELECT min(day) AS first_day, max(day) AS last_day, count(*) AS length FROM islands GROUP BY island
  ), hours AS (
    SELECT h, count(counted.start_at) AS laughs
      FROM generate_series(0, 23) AS h
      LEFT JOIN counted
        ON counted.local_date BETWEEN p_from AND p_to
       AND extract(hour FROM counted.start_at AT TIME ZONE (SELECT zone FROM tz))::integer = h
     GROUP BY h
  )
  SELECT jsonb_build_object(
    'timezone', (SELECT zone FROM tz),
    'days', coalesce((SELECT jsonb_agg(jsonb_build_object(
               'localDate', to_char(day, 'YYYY-MM-DD'),
               'laughs', laughs,
               'laughSeconds', round(laugh_seconds::numeric, 3),
               'audioSeconds', round(audio_seconds::numeric, 3),
               'movingAverage7', round(moving_average, 4)) ORDER BY day) FROM in_range), '[]'::jsonb),
    'byHour', (SELECT jsonb_agg(laughs ORDER BY h) FROM hours),
    'bestDays', coalesce((SELECT jsonb_agg(jsonb_build_object('localDate', to_char(day, 'YYYY-MM-DD'), 'laughs', laughs) ORDER BY laughs DESC, day DESC)
                            FROM (SELECT day, laughs FROM in_range WHERE laughs > 0 ORDER BY laughs DESC, day DESC LIMIT 5) best), '[]'::jsonb),
    'currentStreak', coalesce((SELECT max(length) FROM streaks WHERE last_day >= p_to - 1), 0),
    'longestStreak', coalesce((SELECT max(length) FROM streaks), 0));
$$;

-- giggles.query.laughs.export: the user's live laughs (rejected ones included, marked) in
-- (start, id) order after a position, one page. Positions use millisecond starts, as on the wire.
CREATE OR REPLACE FUNCTION public.giggles_export_laughs(
  p_user_id uuid, p_after_ms bigint DEFAULT NULL, p_after_id uuid DEFAULT NULL, p_limit integer DEFAULT 500
) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  -- In ("timestamp", id) order, which the (user_id, "timestamp", id) index serves. A position is
  -- (start ms, id): the next page starts at that millisecond and skips ids up to the position's
  -- within it (starts stored with sub-millisecond digits — only legacy rows — compare by their ms).
  WITH page AS (
    SELECT d."timestamp" AS start_at, d.id
      FROM public.laughter_detections d
     WHERE d.user_id = p_user_id AND d.deleted_at IS NULL AND d.audio_segment_id IS NOT NULL
       AND (p_after_ms IS NULL
            OR (d."timestamp" >= giggles_internal.ms_to_ts(p_after_ms)
                AND (date_trunc('milliseconds', d."timestamp") > giggles_internal.ms_to_ts(p_after_ms)
                     OR d.id > coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'::uuid))))
     ORDER BY d."timestamp", d.id
     LIMIT greatest(p_limit, 0)
  )
  SELECT coalesce(jsonb_agg(giggles_internal.laugh_json(x) ORDER BY page.start_at, page.id), '[]'::jsonb)
    FROM page JOIN giggles_internal.user_laughs x ON x.id = page.id;
$$;

-- giggles.query.jobs.progress: a job of the user (NULL for anyone else's or an unknown id) with
-- the laughs it found so far (its log row's count while the row is this job's, else the live
-- laughs of the windows it recorded).
CREATE OR REPLACE FUNCTION public.giggles_job_progress(p_user_id uuid, p_job_id text) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT jsonb_build_object(
           'jobId', j.job_id,
           'localDate', to_char(j.local_date, 'YYYY-MM-DD'),
           'trigger', j.trigger,
           'status', j.status,
           'windowsPlanned', greatest(coalesce(j.windows_planned, 0) - j.windows_skipped, 0),
           'windowsDone', j.windows_done,
           'laughsFound', coalesce(
             (SELECT l.laughter_events_found FROM public.processing_logs l
               WHERE l.user_id = p_user_id AND l.job_id = j.job_id LIMIT 1),
             (SELECT count(*) FROM public.laughter_detections d
                JOIN public.audio_segments s ON s.id = d.audio_segment_id
               WHERE d.user_id = p_user_id AND s.job_id = j.job_id AND d.deleted_at IS NULL)),
           'updatedAt', giggles_internal.iso(j.updated_at))
    FROM public.jobs j
   WHERE j.job_id = p_job_id AND j.user_id = p_user_id;
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA giggles_internal FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA giggles_internal TO service_role;
REVOKE ALL ON giggles_internal.user_laughs FROM PUBLIC, anon, authenticated;
GRANT SELECT ON giggles_internal.user_laughs TO service_role;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_day_summaries(uuid, date, integer, date)',
    'public.giggles_day_laughs(uuid, date, numeric, integer, integer)',
    'public.giggles_update_laugh(uuid, uuid, boolean, text, boolean, text)',
    'public.giggles_laugh_clip(uuid, uuid)',
    'public.giggles_delete_day(uuid, date)',
    'public.giggles_delete_user_data(uuid)',
    'public.giggles_key_status(uuid)',
    'public.giggles_save_key(uuid, text)',
    'public.giggles_delete_key(uuid)',
    'public.giggles_user_profile(uuid)',
    'public.giggles_ensure_user(uuid, text, text)',
    'public.giggles_trends(uuid, date, date)',
    'public.giggles_export_laughs(uuid, bigint, uuid, integer)',
    'public.giggles_job_progress(uuid, text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
