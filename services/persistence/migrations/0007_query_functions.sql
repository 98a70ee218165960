-- Read-side aggregates answered by persistence. Functions because PostgREST does not group
-- (aggregates are off by default) and because "which days are due" needs a calendar series.
-- STABLE, SECURITY INVOKER, EXECUTE for service_role only, like the write functions.

-- A user's days, newest first: laughs (live detections) and window outcomes per local date.
-- audio_seconds is decoded audio; legacy rows without it count their window length if processed.
CREATE OR REPLACE FUNCTION public.giggles_user_days(p_user_id uuid, p_from date DEFAULT NULL, p_to date DEFAULT NULL)
  RETURNS TABLE (
    date date,
    detections bigint,
    audio_seconds double precision,
    windows_processed bigint,
    windows_empty bigint,
    windows_gap bigint,
    windows_failed bigint
  )
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH seg AS (
    SELECT s.date,
           sum(coalesce(s.decoded_seconds,
                        CASE WHEN s.processed THEN extract(epoch FROM s.end_time - s.start_time)::double precision END,
                        0)) AS audio_seconds,
           count(*) FILTER (WHERE s.status = 'processed') AS windows_processed,
           count(*) FILTER (WHERE s.status = 'empty') AS windows_empty,
           count(*) FILTER (WHERE s.status = 'gap') AS windows_gap,
           count(*) FILTER (WHERE s.status = 'failed') AS windows_failed
      FROM public.audio_segments s
     WHERE s.user_id = p_user_id
       AND (p_from IS NULL OR s.date >= p_from)
       AND (p_to IS NULL OR s.date <= p_to)
     GROUP BY s.date
  ), det AS (
    SELECT s.date, count(*) AS detections
      FROM public.laughter_detections d
      JOIN public.audio_segments s ON s.id = d.audio_segment_id
     WHERE d.user_id = p_user_id AND d.deleted_at IS NULL
       AND (p_from IS NULL OR s.date >= p_from)
       AND (p_to IS NULL OR s.date <= p_to)
     GROUP BY s.date
  )
  SELECT seg.date, coalesce(det.detections, 0), seg.audio_seconds,
         seg.windows_processed, seg.windows_empty, seg.windows_gap, seg.windows_failed
    FROM seg LEFT JOIN det ON det.date = seg.date
   ORDER BY seg.date DESC;
$$;

-- Local days in [p_from, p_to] that still need a run, for the scheduler:
--   unprocessed — no whole-day job (nightly, reprocess, manual) is planned, running or done for
--                 the day, and the original app did not complete it either (legacy log rows have
--                 no trigger). A "today" run covers only part of a day, so it does not count.
--   gaps        — the day was run but some windows are gap/failed, nobody gave up on them
--                 (processing_logs.gap_given_up_at), and no gap-retry job is already in flight.
CREATE OR REPLACE FUNCTION public.giggles_due_days(p_user_id uuid, p_from date, p_to date)
  RETURNS TABLE (local_date date, reason text)
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
  SELECT day, CASE WHEN NOT covered THEN 'unprocessed' ELSE 'gaps' END
    FROM state
   WHERE NOT covered OR (has_open_windows AND NOT given_up AND NOT retry_in_flight)
   ORDER BY day;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_user_days(uuid, date, date)',
    'public.giggles_due_days(uuid, date, date)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
