-- Issue 10, recordings from any source: files imported with `giggles import` or uploaded on the
-- "Upload recordings" page. Ingestion probes and places each file, records it here (by sha256,
-- so the same file twice is a duplicate), then publishes one segment per local day it covers as
-- a job with trigger 'import' and id `import-<import id>-<local date>`. The segments, laughs,
-- audio hours and processing logs are the ordinary ones; this table only says which file became
-- which days, and why a file was refused.

-- trigger 'import' -----------------------------------------------------------------------------
-- Not a whole-day trigger (giggles_internal.is_whole_day_trigger stays as it is): an import never
-- marks a day as covered, so a user with a key still gets that day's nightly download.
ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_trigger_check;
ALTER TABLE public.jobs
  ADD CONSTRAINT jobs_trigger_check CHECK (trigger IN ('nightly', 'today', 'reprocess', 'gap-retry', 'manual', 'backfill', 'import'));
ALTER TABLE public.processing_logs DROP CONSTRAINT IF EXISTS processing_logs_trigger_check;
ALTER TABLE public.processing_logs
  ADD CONSTRAINT processing_logs_trigger_check CHECK (trigger IN ('nightly', 'today', 'reprocess', 'gap-retry', 'manual', 'backfill', 'import'));

-- imports ---------------------------------------------------------------------------------------
-- status: 'accepted' (segments published; done/failed is derived from its jobs and segments when
-- read) or 'rejected' (error says why; a rejected file may be imported again and replaces the row).
-- The users row cascades, so "delete all my data" removes a user's imports with the user.
CREATE TABLE IF NOT EXISTS public.imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  file_name text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bigint NOT NULL CHECK (bytes >= 0),
  source text NOT NULL CHECK (source IN ('cli', 'upload')),
  status text NOT NULL CHECK (status IN ('accepted', 'rejected')),
  placed_by text CHECK (placed_by IN ('start', 'embedded', 'name')),
  start_time timestamptz,
  end_time timestamptz,
  timezone text,
  days date[] NOT NULL DEFAULT '{}',
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT imports_user_sha256_key UNIQUE (user_id, sha256),
  CONSTRAINT imports_accepted_placed CHECK (
    status <> 'accepted' OR (start_time IS NOT NULL AND end_time > start_time AND timezone IS NOT NULL AND cardinality(days) > 0))
);
CREATE INDEX IF NOT EXISTS imports_user_created ON public.imports (user_id, created_at DESC);

ALTER TABLE public.imports ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS giggles_imports_own_rows ON public.imports;
CREATE POLICY giggles_imports_own_rows ON public.imports FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
DROP TRIGGER IF EXISTS giggles_touch_updated_at ON public.imports;
CREATE TRIGGER giggles_touch_updated_at BEFORE UPDATE ON public.imports
  FOR EACH ROW EXECUTE FUNCTION public.giggles_touch_updated_at();

-- The job id of one day's part of an import (ingestion builds the same string).
CREATE OR REPLACE FUNCTION giggles_internal.import_job_id(p_import uuid, p_day date) RETURNS text
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog
  AS $$ SELECT 'import-' || p_import::text || '-' || to_char(p_day, 'YYYY-MM-DD') $$;

-- One import as the contract's ImportRecord. State of an accepted import: failed when any of its
-- segments failed (the segment's error), done when every day's job is done, else processing.
-- Laughs per day: the user's live laughs (not deleted, not marked "not a laugh") inside the
-- recording's span on that day — laughs an overlapping recording already had count here too,
-- since they were heard in this file as well (persistence stores each laugh once).
CREATE OR REPLACE FUNCTION giggles_internal.import_json(i public.imports) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  WITH parts AS (
    SELECT day, giggles_internal.import_job_id(i.id, day) AS job_id FROM unnest(i.days) AS day
  ), part_jobs AS (
    SELECT p.day, j.status FROM parts p LEFT JOIN public.jobs j ON j.job_id = p.job_id
  ), failure AS (
    SELECT s.error FROM public.audio_segments s
     WHERE s.user_id = i.user_id AND s.job_id IN (SELECT job_id FROM parts) AND s.status = 'failed'
     ORDER BY s.start_time LIMIT 1
  ), day_laughs AS (
    SELECT p.day, (SELECT count(*) FROM giggles_internal.user_laughs x
                    WHERE x.user_id = i.user_id AND x.local_date = p.day AND x.deleted_at IS NULL AND x.review IS NULL
                      AND x.start_at >= i.start_time AND x.start_at < i.end_time) AS laughs
      FROM parts p
  ), state AS (
    SELECT CASE
      WHEN i.status = 'rejected' THEN 'rejected'
      WHEN EXISTS (SELECT 1 FROM failure) THEN 'failed'
      WHEN (SELECT bool_and(coalesce(status = 'done', false)) FROM part_jobs) THEN 'done'
      ELSE 'processing' END AS value
  )
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'importId', i.id,
    'fileName', i.file_name,
    'sha256', i.sha256,
    'bytes', i.bytes,
    'source', i.source,
    'state', (SELECT value FROM state),
    'placedBy', i.placed_by,
    'startMs', giggles_internal.ts_to_ms(i.start_time),
    'endMs', giggles_internal.ts_to_ms(i.end_time),
    'timezone', i.timezone,
    'days', coalesce((SELECT jsonb_agg(jsonb_build_object('localDate', to_char(d.day, 'YYYY-MM-DD'), 'laughs', d.laughs) ORDER BY d.day)
                        FROM day_laughs d), '[]'::jsonb),
    'laughs', coalesce((SELECT sum(laughs) FROM day_laughs), 0),
    'error', coalesce(i.error, (SELECT error FROM failure)),
    'createdAt', giggles_internal.iso(i.created_at)))
$$;

-- giggles.query.imports.begin: records an import (accepted, with its placement and days) or a
-- refusal (error). A file this user already imported and that was not refused is a duplicate:
-- nothing changes and the existing row comes back. A refused row is replaced by a new attempt.
CREATE OR REPLACE FUNCTION public.giggles_import_begin(payload jsonb) RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_user uuid := giggles_internal.req(payload, 'userId')::uuid;
  v_sha text := giggles_internal.req(payload, 'sha256');
  v_error jsonb := giggles_internal.json_object_or_null(payload -> 'error');
  v_existing public.imports;
  v_row public.imports;
BEGIN
  PERFORM giggles_internal.lock_user(v_user);
  SELECT * INTO v_existing FROM public.imports WHERE user_id = v_user AND sha256 = v_sha FOR UPDATE;
  IF FOUND AND v_existing.status <> 'rejected' THEN
    RETURN jsonb_build_object('import', giggles_internal.import_json(v_existing), 'duplicate', true);
  END IF;
  IF FOUND THEN
    DELETE FROM public.imports WHERE id = v_existing.id;
  END IF;

  INSERT INTO public.imports (user_id, file_name, sha256, bytes, source, status, placed_by, start_time, end_time, timezone, days, error)
  VALUES (
    v_user,
    left(giggles_internal.req(payload, 'fileName'), 255),
    v_sha,
    giggles_internal.req(payload, 'bytes')::bigint,
    giggles_internal.req(payload, 'source'),
    CASE WHEN v_error IS NULL THEN 'accepted' ELSE 'rejected' END,
    payload ->> 'placedBy',
    giggles_internal.ms_to_ts((payload ->> 'startMs')::bigint),
    giggles_internal.ms_to_ts((payload ->> 'endMs')::bigint),
    payload ->> 'timezone',
    coalesce((SELECT array_agg(d::date ORDER BY d::date) FROM jsonb_array_elements_text(coalesce(payload -> 'days', '[]'::jsonb)) AS d), '{}'),
    v_error)
  RETURNING * INTO v_row;
  RETURN jsonb_build_object('import', giggles_internal.import_json(v_row), 'duplicate', false);
END;
$$;

-- giggles.query.imports.list: one user's imports, newest first (or only p_import_id, if theirs).
CREATE OR REPLACE FUNCTION public.giggles_imports_list(p_user_id uuid, p_limit integer, p_import_id uuid DEFAULT NULL) RETURNS jsonb
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, public
  AS $$
  SELECT coalesce(jsonb_agg(giggles_internal.import_json(i) ORDER BY i.created_at DESC, i.id DESC), '[]'::jsonb)
    FROM (SELECT * FROM public.imports
           WHERE user_id = p_user_id AND (p_import_id IS NULL OR id = p_import_id)
           ORDER BY created_at DESC, id DESC
           LIMIT greatest(p_limit, 0)) i;
$$;

DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'public.giggles_import_begin(jsonb)',
    'public.giggles_imports_list(uuid, integer, uuid)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO service_role', fn);
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION giggles_internal.import_job_id(uuid, date), giggles_internal.import_json(public.imports) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION giggles_internal.import_job_id(uuid, date), giggles_internal.import_json(public.imports) TO service_role;
REVOKE ALL ON public.imports FROM PUBLIC, anon, authenticated;
GRANT ALL ON public.imports TO service_role;
GRANT SELECT ON public.imports TO authenticated;
