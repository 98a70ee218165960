-- Issue 10, "when the API is gone": the audio archive also remembers windows for which Limitless
-- answered 404 (no audio recorded in that window). Without them a reprocess of an archived day
-- found only the windows that had audio, asked Limitless for the others and — with the API gone —
-- showed the day "partly downloaded" although nothing was ever lost.
--
-- Such a window is an "empty marker": a row with empty = true and no file (path, bytes and sha256
-- all null), and `empty_at`, when Limitless answered 404 for it — ingestion trusts a marker only
-- when that answer came late enough after the window's end that no late upload can follow
-- (INGESTION_LATE_UPLOAD_MINUTES, the same rule as for windows settled by a 'today' run). Every
-- other row is an archived window with its file, as before (empty_at null). The path UNIQUE
-- constraint still holds for files (NULLs are distinct in a UNIQUE constraint), and the primary
-- key (user_id, window_start) keeps one row per window start: the same window is either kept
-- audio or a marker, never both.

ALTER TABLE public.audio_archive ADD COLUMN IF NOT EXISTS empty boolean NOT NULL DEFAULT false;
ALTER TABLE public.audio_archive ADD COLUMN IF NOT EXISTS empty_at timestamptz;
ALTER TABLE public.audio_archive ALTER COLUMN bytes DROP NOT NULL;
ALTER TABLE public.audio_archive ALTER COLUMN sha256 DROP NOT NULL;
ALTER TABLE public.audio_archive ALTER COLUMN path DROP NOT NULL;
ALTER TABLE public.audio_archive DROP CONSTRAINT IF EXISTS audio_archive_empty_check;
ALTER TABLE public.audio_archive ADD CONSTRAINT audio_archive_empty_check CHECK (
  (empty AND path IS NULL AND bytes IS NULL AND sha256 IS NULL AND empty_at IS NOT NULL)
  OR (NOT empty AND path IS NOT NULL AND bytes IS NOT NULL AND sha256 IS NOT NULL AND empty_at IS NULL));

-- One user's archive in one row. `windows`, `bytes`, `days` and the dates mean what they meant
-- before (the kept audio: "1.2 GB kept over 14 days"); `emptyWindows` counts the markers apart. A
-- user with markers only shows windows 0, days 0 and no dates.
CREATE OR REPLACE FUNCTION public.giggles_archive_summary(p_user_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT jsonb_build_object(
    'windows', count(*) FILTER (WHERE NOT a.empty),
    'emptyWindows', count(*) FILTER (WHERE a.empty),
    'bytes', coalesce(sum(a.bytes), 0),
    'days', count(DISTINCT a.local_date) FILTER (WHERE NOT a.empty),
    'oldestDate', (min(a.local_date) FILTER (WHERE NOT a.empty))::text,
    'newestDate', (max(a.local_date) FILTER (WHERE NOT a.empty))::text)
    FROM public.audio_archive a WHERE a.user_id = p_user_id;
$$;

-- Every user's archive totals (the operator's `giggles status`), users without one left out.
CREATE OR REPLACE FUNCTION public.giggles_archive_totals() RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT coalesce(jsonb_agg(t ORDER BY t."userId"), '[]'::jsonb) FROM (
    SELECT a.user_id::text AS "userId",
           count(*) FILTER (WHERE NOT a.empty) AS windows,
           count(*) FILTER (WHERE a.empty) AS "emptyWindows",
           coalesce(sum(a.bytes), 0) AS bytes,
           count(DISTINCT a.local_date) FILTER (WHERE NOT a.empty) AS days,
           (min(a.local_date) FILTER (WHERE NOT a.empty))::text AS "oldestDate",
           (max(a.local_date) FILTER (WHERE NOT a.empty))::text AS "newestDate"
      FROM public.audio_archive a GROUP BY a.user_id) t;
$$;

REVOKE ALL ON FUNCTION public.giggles_archive_summary(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.giggles_archive_summary(uuid) TO service_role;
REVOKE ALL ON FUNCTION public.giggles_archive_totals() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.giggles_archive_totals() TO service_role;

-- Days processed before this migration: a user who keeps audio gets a marker for every window
-- whose last outcome was 'empty' (Limitless answered 404), dated by when that outcome was recorded
-- (audio_segments.updated_at, the `recordedAtMs` ingestion already judges 'today' windows by —
-- so an early 404 is not trusted by ingestion either). Windows with kept audio keep their row.
INSERT INTO public.audio_archive (user_id, local_date, window_start, window_end, empty, empty_at)
SELECT DISTINCT ON (s.user_id, s.start_time)
       s.user_id, s.date, s.start_time, s.end_time, true, coalesce(s.updated_at, s.created_at)
  FROM public.audio_segments s
  JOIN public.users u ON u.id = s.user_id AND u.audio_archive
 WHERE s.status = 'empty' AND s.last_outcome = 'empty' AND s.date IS NOT NULL
   AND coalesce(s.updated_at, s.created_at) IS NOT NULL
 ORDER BY s.user_id, s.start_time, s.end_time DESC, coalesce(s.updated_at, s.created_at) DESC
ON CONFLICT (user_id, window_start) DO NOTHING;
