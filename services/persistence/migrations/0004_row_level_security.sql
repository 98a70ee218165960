-- Row-level security: any client holding a user's token (authenticated role through PostgREST)
-- sees only that user's rows, may edit only the notes of its own detections, and may delete
-- its own detections. service_role (the backend) has BYPASSRLS.
--
-- The original granted ALL on every table to anon and authenticated and let users insert and
-- update segments, logs and keys directly. All of that is replaced: existing policies on these
-- tables are dropped and table rights are re-granted narrowly, so a project migrated from the
-- original ends up with exactly the rules below.

DO $$
DECLARE
  t text;
  pol record;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'limitless_keys', 'audio_segments', 'laughter_detections', 'processing_logs', 'jobs'] LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
    FOR pol IN SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = t LOOP
      EXECUTE format('DROP POLICY %I ON public.%I', pol.policyname, t);
    END LOOP;
    EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC, anon, authenticated', t);
    EXECUTE format('GRANT ALL ON public.%I TO service_role', t);
  END LOOP;
END $$;

-- (SELECT auth.uid()) rather than auth.uid(): evaluated once per statement, not per row.

GRANT SELECT ON public.users TO authenticated;
CREATE POLICY giggles_users_own ON public.users
  FOR SELECT TO authenticated USING (id = (SELECT auth.uid()));

-- Users may see that they have a key and whether it works, never the ciphertext.
GRANT SELECT (id, user_id, is_active, status, invalid_since, created_at, updated_at)
  ON public.limitless_keys TO authenticated;
CREATE POLICY giggles_keys_own ON public.limitless_keys
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

GRANT SELECT ON public.audio_segments TO authenticated;
CREATE POLICY giggles_segments_own ON public.audio_segments
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

GRANT SELECT, DELETE ON public.laughter_detections TO authenticated;
GRANT UPDATE (notes) ON public.laughter_detections TO authenticated;
CREATE POLICY giggles_detections_own_select ON public.laughter_detections
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()) AND deleted_at IS NULL);
CREATE POLICY giggles_detections_own_update ON public.laughter_detections
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid()) AND deleted_at IS NULL)
  WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY giggles_detections_own_delete ON public.laughter_detections
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));

GRANT SELECT ON public.processing_logs TO authenticated;
CREATE POLICY giggles_logs_own ON public.processing_logs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

GRANT SELECT ON public.jobs TO authenticated;
CREATE POLICY giggles_jobs_own ON public.jobs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));

-- The migration ledger is the runner's alone (Supabase's default privileges would otherwise
-- hand it to the API roles).
ALTER TABLE public.giggles_migrations ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.giggles_migrations FROM PUBLIC, anon, authenticated, service_role;

-- The original's duplicate_monitoring view ran with its owner's rights, so any signed-in user
-- could read every user's detection counts through it. It is dropped; nothing here uses it.
DROP VIEW IF EXISTS public.duplicate_monitoring;
