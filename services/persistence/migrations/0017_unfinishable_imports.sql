-- Imports whose processing was lost, and trying a failed import again (issue 10).
--
-- An accepted import is processed by its day parts' jobs. When ingestion dies after recording
-- the import but before (or while) publishing its parts, or a part's segment is lost, nothing
-- moves again and the import would read "processing" for ever. The daily reconciliation
-- (RECONCILE_LOST_IMPORT_MINUTES) marks such an import failed with IMPORT_INTERRUPTED: stored in
-- `error` of the accepted row (an accepted row with an error reads as failed).
--
-- A failed import — interrupted, or a part whose audio turned out unusable — is no longer a
-- duplicate: the same file (same sha256) may be imported again and replaces the row, like a
-- refused one always could. Laughs already stored from the first attempt stay and are not
-- counted twice (persistence's overlap de-duplication).

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
      WHEN i.error IS NOT NULL THEN 'failed'
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
  IF FOUND AND v_existing.status <> 'rejected' AND giggles_internal.import_json(v_existing) ->> 'state' <> 'failed' THEN
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

-- Marks accepted imports failed (IMPORT_INTERRUPTED) when they still read "processing", neither
-- the import nor any of its day parts' jobs changed since p_cutoff, and no part is in flight. Returns
-- {processing, interrupted}: imports still processing, and how many were (or, dry run, would be)
-- marked.
CREATE OR REPLACE FUNCTION public.giggles_imports_mark_interrupted(p_cutoff timestamptz, p_message text, p_dry_run boolean DEFAULT false)
  RETURNS jsonb
  LANGUAGE plpgsql
  SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_processing integer;
  v_ids uuid[];
BEGIN
  WITH open_imports AS (
    SELECT i.* FROM public.imports i
     WHERE i.status = 'accepted' AND i.error IS NULL AND giggles_internal.import_json(i) ->> 'state' = 'processing'
  )
  SELECT count(*),
         coalesce(array_agg(o.id) FILTER (
           WHERE o.updated_at < p_cutoff
             AND NOT EXISTS (SELECT 1 FROM unnest(o.days) AS day
                               JOIN public.jobs j ON j.job_id = giggles_internal.import_job_id(o.id, day)
                              WHERE j.updated_at >= p_cutoff)
             -- A part still planned or running is queued work, not lost work (a backlog can keep it
             -- waiting for hours): the stuck-job sweep (RECONCILE_STUCK_JOB_MINUTES) owns those, and an import
             -- whose part it fails reads failed through its job.
             AND NOT EXISTS (SELECT 1 FROM unnest(o.days) AS day
                               JOIN public.jobs j ON j.job_id = giggles_internal.import_job_id(o.id, day)
                              WHERE j.status IN ('planned', 'running'))), '{}')
    INTO v_processing, v_ids
    FROM open_imports o;
  IF NOT p_dry_run AND cardinality(v_ids) > 0 THEN
    UPDATE public.imports SET error = jsonb_build_object('code', 'IMPORT_INTERRUPTED', 'message', p_message)
     WHERE id = ANY (v_ids) AND status = 'accepted' AND error IS NULL;
  END IF;
  RETURN jsonb_build_object('processing', v_processing, 'interrupted', cardinality(v_ids));
END;
$$;

REVOKE ALL ON FUNCTION public.giggles_imports_mark_interrupted(timestamptz, text, boolean) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.giggles_imports_mark_interrupted(timestamptz, text, boolean) TO service_role;
