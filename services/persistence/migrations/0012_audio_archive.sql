-- Issue 10: "keep the audio" (opt-in). A user may ask that the original Ogg Opus of each
-- processed window be kept in the audio archive (persistence's AUDIO_ARCHIVE storage: a volume
-- directory or a Supabase Storage bucket) instead of being dropped once its result is stored.
-- Reprocessing then reads the archive instead of downloading from Limitless again.
--
-- users.audio_archive is the user's switch (off by default). audio_archive has one row per
-- archived window; the file itself lives at `path` in the archive storage. Rows are written only
-- after the file is durable, so a row always has a file unless something outside removed it
-- (the daily reconciliation finds both kinds of orphans).

ALTER TABLE public.users ADD COLUMN IF NOT EXISTS audio_archive boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS public.audio_archive (
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  -- The user's local day of the window (as the job planner computed it, like audio_segments.date).
  local_date date NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  bytes bigint NOT NULL CONSTRAINT audio_archive_bytes_check CHECK (bytes >= 0),
  sha256 text NOT NULL CONSTRAINT audio_archive_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- Relative path in the archive storage: <userId>/<localDate>/<windowStartMs>-<windowEndMs>.ogg
  path text NOT NULL CONSTRAINT audio_archive_path_key UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, window_start),
  CONSTRAINT audio_archive_window_check CHECK (window_end > window_start)
);
CREATE INDEX IF NOT EXISTS audio_archive_user_date ON public.audio_archive (user_id, local_date);
-- Retention deletes the oldest windows first, across users.
CREATE INDEX IF NOT EXISTS audio_archive_window_end ON public.audio_archive (window_end);

ALTER TABLE public.audio_archive ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.audio_archive FROM PUBLIC, anon, authenticated;
GRANT ALL ON public.audio_archive TO service_role;
GRANT SELECT ON public.audio_archive TO authenticated;
DROP POLICY IF EXISTS giggles_audio_archive_own ON public.audio_archive;
CREATE POLICY giggles_audio_archive_own ON public.audio_archive
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

-- One user's archive in one row: what GET /api/archive shows and `giggles status` prints.
CREATE OR REPLACE FUNCTION public.giggles_archive_summary(p_user_id uuid) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT jsonb_build_object(
    'windows', count(*),
    'bytes', coalesce(sum(a.bytes), 0),
    'days', count(DISTINCT a.local_date),
    'oldestDate', min(a.local_date)::text,
    'newestDate', max(a.local_date)::text)
    FROM public.audio_archive a WHERE a.user_id = p_user_id;
$$;

-- Every user's archive totals (the operator's `giggles status`), users without one left out.
CREATE OR REPLACE FUNCTION public.giggles_archive_totals() RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT coalesce(jsonb_agg(t ORDER BY t."userId"), '[]'::jsonb) FROM (
    SELECT a.user_id::text AS "userId", count(*) AS windows, sum(a.bytes) AS bytes,
           count(DISTINCT a.local_date) AS days,
           min(a.local_date)::text AS "oldestDate", max(a.local_date)::text AS "newestDate"
      FROM public.audio_archive a GROUP BY a.user_id) t;
$$;

REVOKE ALL ON FUNCTION public.giggles_archive_summary(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.giggles_archive_summary(uuid) TO service_role;
REVOKE ALL ON FUNCTION public.giggles_archive_totals() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.giggles_archive_totals() TO service_role;
