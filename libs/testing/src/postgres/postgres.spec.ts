import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySqlDirectory, applySupabaseBootstrap } from './apply-sql';
import { withClient } from './pg-admin';
import { type PostgresHandle, startPostgres } from './test-database';

/** The machine's shared server (CI and dev machines run one on 5432). */
const SHARED_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1);
}

describe('startPostgres on an existing server', () => {
  const handles: PostgresHandle[] = [];
  afterAll(async () => {
    for (const h of handles) await h.stop();
  });

  it('creates a fresh uniquely named database and drops it on stop', async () => {
    const [a, b] = await Promise.all([startPostgres({ url: SHARED_URL }), startPostgres({ url: SHARED_URL })]);
    handles.push(a, b);
    expect(a.server.private).toBe(false);
    expect(a.database).toMatch(/^giggles_test_[0-9a-f]{12}$/);
    expect(a.database).not.toBe(b.database);
    expect(await withClient(a.url, async (c) => (await c.query('select current_database() as d')).rows[0].d)).toBe(a.database);
    await a.stop();
    handles.splice(handles.indexOf(a), 1);
    expect(await databaseExists(SHARED_URL, a.database)).toBe(false);
    expect(await databaseExists(SHARED_URL, b.database)).toBe(true);
  });

  it('bootstraps Supabase roles and auth idempotently, also concurrently', async () => {
    const [a, b] = await Promise.all([startPostgres({ url: SHARED_URL }), startPostgres({ url: SHARED_URL })]);
    handles.push(a, b);
    await Promise.all([applySupabaseBootstrap(a.url), applySupabaseBootstrap(b.url)]);
    await applySupabaseBootstrap(a.url); // again: no error
    const roles = await withClient(a.url, async (c) =>
      (
        await c.query(
          `select rolname, rolcanlogin, rolbypassrls from pg_roles
           where rolname in ('anon','authenticated','service_role','authenticator') order by rolname`,
        )
      ).rows,
    );
    expect(roles).toEqual([
      { rolname: 'anon', rolcanlogin: false, rolbypassrls: false },
      { rolname: 'authenticated', rolcanlogin: false, rolbypassrls: false },
      { rolname: 'authenticator', rolcanlogin: true, rolbypassrls: false },
      { rolname: 'service_role', rolcanlogin: false, rolbypassrls: true },
    ]);
    const uid = await withClient(b.url, async (c) => {
      await c.query('begin');
      await c.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: '0b6f1c1e-8d5e-4c1a-9a53-3f6e2d7c9b10', role: 'authenticated' }),
      ]);
      const r = await c.query('select auth.uid() as uid, auth.role() as role');
      await c.query('commit');
      return r.rows[0];
    });
    expect(uid).toEqual({ uid: '0b6f1c1e-8d5e-4c1a-9a53-3f6e2d7c9b10', role: 'authenticated' });
    expect(await withClient(b.url, async (c) => (await c.query('select auth.uid() as uid')).rows[0].uid)).toBeNull();
  });

  it('applies a migrations directory in order, each file atomically', async () => {
    const h = await startPostgres({ url: SHARED_URL });
    handles.push(h);
    const dir = mkdtempSync(join(tmpdir(), 'giggles-migrations-'));
    try {
      writeFileSync(join(dir, '001_items.sql'), 'create table items (id int primary key);');
      writeFileSync(join(dir, '002_seed.sql'), 'insert into items values (1), (2);');
      writeFileSync(join(dir, 'README.md'), 'not sql');
      expect(await applySqlDirectory(h.url, dir)).toEqual(['001_items.sql', '002_seed.sql']);
      rmSync(join(dir, '001_items.sql'));
      rmSync(join(dir, '002_seed.sql'));
      writeFileSync(join(dir, '003_bad.sql'), 'insert into items values (3); select nope_not_a_function();');
      await expect(applySqlDirectory(h.url, dir)).rejects.toThrow(/003_bad\.sql failed/);
      const ids = await withClient(h.url, async (c) => (await c.query('select id from items order by id')).rows);
      expect(ids).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('startPostgres with a private cluster', () => {
  let h: PostgresHandle;
  beforeAll(async () => {
    h = await startPostgres({ mode: 'private' });
  });
  afterAll(() => h?.stop());

  it('runs initdb + postgres on a free port in a temp dir and removes it on stop', async () => {
    expect(h.server.private).toBe(true);
    expect(h.server.dataDir && existsSync(h.server.dataDir)).toBe(true);
    const version = await withClient(h.url, async (c) => (await c.query('show server_version_num')).rows[0].server_version_num);
    expect(Number(version)).toBeGreaterThanOrEqual(130000);
    await applySupabaseBootstrap(h.url);
    await h.stop();
    expect(existsSync(h.server.dataDir as string)).toBe(false);
    await expect(withClient(h.adminUrl, (c) => c.query('select 1'))).rejects.toThrow();
  });
});
