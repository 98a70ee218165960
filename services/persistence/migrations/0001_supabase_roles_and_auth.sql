-- Roles and the `auth` helpers that PostgREST and our RLS policies rely on.
--
-- On hosted Supabase all of this already exists (and belongs to supabase_admin), so every step
-- here only creates what is missing and never alters what is there. On a bare Postgres (the
-- bundled stack, CI) it sets up the same shape Supabase has.
--
-- Roles are cluster-wide: several databases in one cluster (tests) share them, so creation
-- tolerates a concurrent creator (duplicate_object) instead of failing.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    -- BYPASSRLS: the backend (persistence) sees every user's rows; users never get this role.
    CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticator') THEN
    -- PostgREST logs in as authenticator and switches to the JWT's role; NOINHERIT so that it
    -- has no rights of its own before the switch. Its password is set by the deployment.
    CREATE ROLE authenticator LOGIN NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- authenticator must be able to SET ROLE to each API role. Granted only when missing: on
-- Supabase the grants exist and re-granting would need ADMIN OPTION we may not have.
DO $$
DECLARE
  api_role text;
BEGIN
  FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT pg_has_role('authenticator', api_role, 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT %I TO authenticator', api_role);
      EXCEPTION WHEN unique_violation THEN NULL; -- a concurrent grant won the race
      END;
    END IF;
  END LOOP;
END $$;

-- Schema `auth` with auth.uid() / auth.role() as Supabase defines them: read from the JWT claims
-- PostgREST puts in `request.jwt.claims`. Created only when absent (Supabase owns its own).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auth') THEN
    CREATE SCHEMA auth;
    GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
  END IF;

  IF NOT EXISTS (
    SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'auth' AND p.proname = 'uid'
  ) THEN
    CREATE FUNCTION auth.uid() RETURNS uuid
      LANGUAGE sql STABLE
      AS $fn$
        SELECT nullif(
          coalesce(
            nullif(current_setting('request.jwt.claim.sub', true), ''),
            nullif(current_setting('request.jwt.claims', true), '')::json ->> 'sub'
          ),
          ''
        )::uuid
      $fn$;
    GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;
  END IF;

  IF NOT EXISTS (
    SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'auth' AND p.proname = 'role'
  ) THEN
    CREATE FUNCTION auth.role() RETURNS text
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(current_setting('request.jwt.claim.role', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')::json ->> 'role'
        )
      $fn$;
    GRANT EXECUTE ON FUNCTION auth.role() TO anon, authenticated, service_role;
  END IF;
END $$;

-- PostgREST needs to see the exposed schema; table-level rights are granted per table later.
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
