/**
 * The Supabase Auth (GoTrue) stand-in of the compose test: libs/testing's Auth simulator, configured
 * from GoTrue's own variables so it drops into the `supabase-auth` service unchanged —
 * GOTRUE_API_HOST/PORT, GOTRUE_JWT_SECRET (HS256, the secret PostgREST and the gateway verify with),
 * GOTRUE_JWT_ISSUER (else API_EXTERNAL_URL + /auth/v1), GOTRUE_JWT_EXP, and GOTRUE_DB_DATABASE_URL,
 * where each new user is inserted into auth.users as GoTrue would (foreign keys point at it).
 * Users live in memory besides: a restart of this container forgets passwords (test use only).
 */
import { Client } from 'pg';
import { createJwtKeys, startSupabaseAuthSimulator } from '@giggles/testing';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The columns of GoTrue's auth.users that Giggles reads (the rest of GoTrue's table is not needed). */
const AUTH_USERS_TABLE = `
  CREATE TABLE IF NOT EXISTS auth.users (
    id uuid PRIMARY KEY,
    aud text DEFAULT 'authenticated',
    role text DEFAULT 'authenticated',
    email text UNIQUE,
    email_confirmed_at timestamptz,
    raw_app_meta_data jsonb DEFAULT '{}'::jsonb,
    raw_user_meta_data jsonb DEFAULT '{}'::jsonb,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
  )`;

async function insertAuthUser(databaseUrl: string, user: { id: string; email: string; user_metadata: unknown }): Promise<void> {
  // GoTrue's URL carries ?search_path=auth, which pg does not understand as a connection option.
  const url = new URL(databaseUrl);
  url.searchParams.delete('search_path');
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    // GoTrue creates its own auth.users; so does the stand-in, in the `auth` schema persistence's
    // first migration makes (with its grants) — a sign-up before the migrations ran fails clearly.
    const schema = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'auth'`);
    if (schema.rowCount === 0) throw new Error('schema auth does not exist yet: persistence has not migrated the database');
    await client.query(AUTH_USERS_TABLE);
    await client.query(
      `INSERT INTO auth.users (id, email, email_confirmed_at, raw_user_meta_data)
       VALUES ($1, $2, now(), $3) ON CONFLICT (id) DO NOTHING`,
      [user.id, user.email, JSON.stringify(user.user_metadata)],
    );
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const databaseUrl = required('GOTRUE_DB_DATABASE_URL');
  const keys = await createJwtKeys(required('GOTRUE_JWT_SECRET'));
  const issuer = process.env.GOTRUE_JWT_ISSUER || `${required('API_EXTERNAL_URL').replace(/\/+$/, '')}/auth/v1`;
  const auth = await startSupabaseAuthSimulator({
    host: process.env.GOTRUE_API_HOST || '0.0.0.0',
    port: Number(process.env.GOTRUE_API_PORT || 9999),
    keys,
    issuer,
    expiresIn: Number(process.env.GOTRUE_JWT_EXP || 3600),
    onUserCreated: (user) => insertAuthUser(databaseUrl, user),
  });
  process.stdout.write(`${JSON.stringify({ msg: 'supabase auth stand-in listening', url: auth.url, issuer })}\n`);
  const stop = () => void auth.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
