import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtKeys } from '../jwt/keys';
import { mintJwt } from '../jwt/mint-jwt';
import { runSql } from '../postgres/apply-sql';
import { withClient } from '../postgres/pg-admin';
import { type Harness, startHarness } from './start-harness';

const NOTES_SQL = `
create table notes (
  id bigint generated always as identity primary key,
  owner uuid not null default auth.uid(),
  body text not null
);
alter table notes enable row level security;
create policy notes_own on notes for all to authenticated
  using (owner = auth.uid()) with check (owner = auth.uid());
`;

const ALICE = '2f1b5a0e-6f0d-4b8e-9a57-0c1d2e3f4a5b';
const BOB = '7c9d8e7f-1a2b-4c3d-8e9f-a0b1c2d3e4f5';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    // A private nats-server even when NATS_URL is set: this suite must not reset a shared server's
    // Giggles streams under other projects' tests (external mode is covered in nats.spec.ts).
    nats: { mode: 'private' },
    migrate: (url) => runSql(url, NOTES_SQL),
    limitless: { keys: ['k'] },
    storageBuckets: ['clips'],
  });
  const { error } = await h
    .supabaseClient()
    .from('notes')
    .insert([
      { owner: ALICE, body: 'alice 1' },
      { owner: ALICE, body: 'alice 2' },
      { owner: BOB, body: 'bob 1' },
    ]);
  if (error) throw new Error(error.message);
});
afterAll(() => h?.stop());

describe('startHarness', () => {
  it('exposes NATS, a fresh database, the Supabase router and the Limitless simulator', async () => {
    const nc = await connect({ servers: h.natsUrl });
    expect(nc.getServer()).toBeTruthy();
    await nc.close();
    const db = await withClient(h.databaseUrl as string, async (c) => (await c.query('select current_database() d')).rows[0].d);
    expect(db).toBe(h.postgres?.database);
    expect(h.supabaseUrl).toBe(h.router?.url);
    expect(await h.postgrest?.isReady()).toBe(true);
    const lifelogs = await fetch(`${h.limitless?.url}/v1/lifelogs?limit=1`, { headers: { 'X-API-Key': 'k' } });
    expect(lifelogs.status).toBe(200);
    const up = await h.supabaseClient().storage.from('clips').upload('a/b.wav', Buffer.from('wav'));
    expect(up.error).toBeNull();
    expect(h.storage?.store.info('clips', 'a/b.wav').size).toBe(3);
  });

  it('supabase-js with the service role key sees every row', async () => {
    const { data, error } = await h.supabaseClient().from('notes').select('body').order('id');
    expect(error).toBeNull();
    expect(data?.map((r) => r.body)).toEqual(['alice 1', 'alice 2', 'bob 1']);
  });

  it.each(['HS256', 'ES256'] as const)('a user token (%s) sees only its own rows through RLS', async (alg) => {
    const token = await h.mintJwt({ role: 'authenticated', sub: BOB, alg });
    const { data, error } = await h.supabaseClient(token).from('notes').select('body, owner');
    expect(error).toBeNull();
    expect(data).toEqual([{ body: 'bob 1', owner: BOB }]);
    const denied = await h.supabaseClient(token).from('notes').insert({ owner: ALICE, body: 'forged' });
    expect(denied.error?.code).toBe('42501');
  });

  it('the anon key sees nothing', async () => {
    const { data, error } = await h.supabaseClient(h.anonKey).from('notes').select('body');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('rejects expired tokens and tokens signed with other keys', async () => {
    const expired = await mintJwt({ role: 'authenticated', sub: ALICE, expiresIn: -60, keys: h.jwtKeys });
    const r1 = await h.supabaseClient(expired).from('notes').select('body');
    expect(r1.status).toBe(401);
    expect(r1.error?.code).toBe('PGRST301');
    const stranger = await mintJwt({ role: 'service_role', keys: await createJwtKeys() });
    const r2 = await h.supabaseClient(stranger).from('notes').select('body');
    expect(r2.status).toBe(401);
  });

  it('reloadSchema makes tables created after start visible', async () => {
    await runSql(h.databaseUrl as string, 'create table late_table (id int primary key); insert into late_table values (42);');
    await h.reloadSchema('late_table');
    const { data, error } = await h.supabaseClient().from('late_table').select('id');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 42 }]);
  });
});

describe('Supabase Auth simulator behind the router', () => {
  const email = `user-${randomUUID()}@example.com`;

  it('signs up, signs in, returns the user, and its tokens pass RLS', async () => {
    const sb = h.supabaseClient(h.anonKey);
    const up = await sb.auth.signUp({ email, password: 'correct horse' });
    expect(up.error).toBeNull();
    const userId = up.data.user?.id as string;
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(up.data.session?.token_type).toBe('bearer');
    expect(up.data.session?.expires_in).toBe(3600);
    expect(up.data.user?.email).toBe(email);
    const row = await withClient(h.databaseUrl as string, async (c) => (await c.query('select email from auth.users where id = $1', [userId])).rows);
    expect(row).toEqual([{ email }]);

    const signIn = await sb.auth.signInWithPassword({ email, password: 'correct horse' });
    expect(signIn.error).toBeNull();
    const token = signIn.data.session?.access_token as string;
    const me = await sb.auth.getUser(token);
    expect(me.data.user?.id).toBe(userId);

    const client = h.supabaseClient(token);
    const ins = await client.from('notes').insert({ body: 'mine' }).select('body, owner');
    expect(ins.error).toBeNull();
    expect(ins.data).toEqual([{ body: 'mine', owner: userId }]);
    const mine = await client.from('notes').select('body');
    expect(mine.data).toEqual([{ body: 'mine' }]);

    const refreshed = await sb.auth.refreshSession({ refresh_token: signIn.data.session?.refresh_token as string });
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.user?.id).toBe(userId);
  });

  it('answers wrong passwords, duplicate sign-ups and bad tokens with GoTrue errors', async () => {
    const sb = h.supabaseClient(h.anonKey);
    const bad = await sb.auth.signInWithPassword({ email, password: 'wrong password' });
    expect(bad.error?.status).toBe(400);
    expect(bad.error?.code).toBe('invalid_credentials');
    const dup = await sb.auth.signUp({ email, password: 'another one' });
    expect(dup.error?.status).toBe(422);
    expect(dup.error?.code).toBe('user_already_exists');
    const weak = await sb.auth.signUp({ email: `w-${randomUUID()}@example.com`, password: '123' });
    expect(weak.error?.code).toBe('weak_password');
    const nobody = await sb.auth.getUser(await mintJwt({ role: 'authenticated', keys: await createJwtKeys() }));
    expect(nobody.data.user).toBeNull();
    expect(nobody.error).not.toBeNull();
  });
});

describe('startHarness failure handling', () => {
  it('stops what it started when a later step fails', async () => {
    const shared = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    let seen = '';
    await expect(
      startHarness({
        nats: false,
        postgres: { url: shared },
        migrate: async (url) => {
          seen = new URL(url).pathname.slice(1);
          throw new Error('migration exploded');
        },
      }),
    ).rejects.toThrow('migration exploded');
    expect(seen).toMatch(/^giggles_test_/);
    const left = await withClient(shared, async (c) => (await c.query('select 1 from pg_database where datname = $1', [seen])).rowCount);
    expect(left).toBe(0);
  });
});
