/**
 * The part of a Supabase database that Giggles relies on, for databases that are not Supabase
 * (tests, the bundled local stack): the API roles PostgREST switches to, the `auth` schema with
 * `auth.uid()` / `auth.role()` / `auth.jwt()` reading PostgREST's `request.jwt.claims`, a minimal
 * `auth.users`, and Supabase's default grants on `public` (tables are protected by RLS).
 *
 * Idempotent and safe to run concurrently against one cluster: roles are cluster-wide, so they are
 * created only when missing (a concurrent creator is tolerated) and never dropped. Running it on a
 * real Supabase project changes nothing that matters (everything already exists).
 *
 * Persistence migrations may run this first (or copy it into their first migration).
 */
export const SUPABASE_ROLES_SQL = `
DO $bootstrap$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
    ('anon', 'NOLOGIN NOINHERIT'),
    ('authenticated', 'NOLOGIN NOINHERIT'),
    ('service_role', 'NOLOGIN NOINHERIT BYPASSRLS'),
    ('authenticator', 'LOGIN NOINHERIT')
  ) AS t(name, attrs) LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I %s', r.name, r.attrs);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- created concurrently by another test database's bootstrap
      END;
    END IF;
  END LOOP;
  FOR r IN SELECT unnest(ARRAY['anon', 'authenticated', 'service_role']) AS name LOOP
    IF NOT pg_has_role('authenticator', r.name, 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT %I TO authenticator', r.name);
      EXCEPTION WHEN OTHERS THEN
        IF NOT pg_has_role('authenticator', r.name, 'MEMBER') THEN RAISE; END IF;
      END;
    END IF;
  END LOOP;
END
$bootstrap$;
`;

export const SUPABASE_AUTH_SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS auth;

CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY,
  aud text DEFAULT 'authenticated',
  role text DEFAULT 'authenticated',
  email text UNIQUE,
  encrypted_password text,
  email_confirmed_at timestamptz,
  raw_app_meta_data jsonb DEFAULT '{}'::jsonb,
  raw_user_meta_data jsonb DEFAULT '{}'::jsonb,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
  )::uuid
$$;

CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
  )::text
$$;

CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.jwt() TO anon, authenticated, service_role;
GRANT ALL ON auth.users TO service_role;

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated, service_role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO anon, authenticated, service_role;
GRANT ALL ON ALL FUNCTIONS IN SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
`;

/** Roles, then the auth schema and grants: run against the database PostgREST will serve. */
export const SUPABASE_BOOTSTRAP_SQL = `${SUPABASE_ROLES_SQL}\n${SUPABASE_AUTH_SCHEMA_SQL}`;
