import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  loadMigrations,
  MIGRATIONS_DIR,
  MigrationChecksumError,
  MigrationFailedError,
  runMigrations,
} from '../src/database/migration-runner';
import { migrateFromEnv } from '../src/database/migrate';
import { createTestDatabase, type TestDatabase } from './support/database';

describe('migration runner', () => {
  const opened: TestDatabase[] = [];
  let dir: string;

  async function emptyDatabase(): Promise<TestDatabase> {
    const db = await createTestDatabase({ migrate: false });
    opened.push(db);
    return db;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'giggles-migrations-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.drop()));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function copyOfMigrations(name: string): Promise<string> {
    const target = join(dir, name);
    await cp(MIGRATIONS_DIR, target, { recursive: true });
    return target;
  }

  it('applies every migration to an empty database, in order, and records each', async () => {
    const db = await emptyDatabase();
    const files = (await loadMigrations()).map((m) => m.name);
    expect(files[0]).toBe('0001_supabase_roles_and_auth.sql');

    const report = await runMigrations({ connectionString: db.url });
    expect(report).toEqual({ applied: files, skipped: [] });

    const ledger = await db.query<{ name: string; sha256: string }>('SELECT name, sha256 FROM giggles_migrations ORDER BY name');
    expect(ledger.map((row) => row.name)).toEqual(files);
    expect(ledger.every((row) => /^[0-9a-f]{64}$/.test(row.sha256))).toBe(true);

    const tables = await db.query<{ tablename: string; rowsecurity: boolean }>(
      "SELECT tablename, rowsecurity FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    expect(tables).toEqual(
      ['audio_archive', 'audio_segments', 'backfill_given_up', 'backfills', 'detection_reviews', 'giggles_migrations', 'imports', 'jobs', 'laughter_detections', 'limitless_keys', 'limitless_outages', 'processing_logs', 'users'].map(
        (tablename) => ({ tablename, rowsecurity: true }),
      ),
    );

    const roles = await db.query<{ rolname: string; rolbypassrls: boolean; rolcanlogin: boolean; rolinherit: boolean }>(
      `SELECT rolname, rolbypassrls, rolcanlogin, rolinherit FROM pg_roles
        WHERE rolname IN ('anon', 'authenticated', 'service_role', 'authenticator') ORDER BY rolname`,
    );
    expect(roles).toEqual([
      { rolname: 'anon', rolbypassrls: false, rolcanlogin: false, rolinherit: false },
      { rolname: 'authenticated', rolbypassrls: false, rolcanlogin: false, rolinherit: false },
      { rolname: 'authenticator', rolbypassrls: false, rolcanlogin: true, rolinherit: false },
      { rolname: 'service_role', rolbypassrls: true, rolcanlogin: false, rolinherit: false },
    ]);
    const [claims] = await db.query<{ uid: string; role: string }>(
      `SELECT set_config('request.jwt.claims', '{"sub":"6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b","role":"authenticated"}', true),
              auth.uid()::text AS uid, auth.role() AS role`,
    );
    expect(claims).toMatchObject({ uid: '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b', role: 'authenticated' });
  });

  it('is a no-op when run again', async () => {
    const db = await emptyDatabase();
    await runMigrations({ connectionString: db.url });
    const before = await db.query('SELECT name, sha256, applied_at FROM giggles_migrations ORDER BY name');

    const again = await runMigrations({ connectionString: db.url });
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(before.map((row) => row.name));
    expect(await db.query('SELECT name, sha256, applied_at FROM giggles_migrations ORDER BY name')).toEqual(before);
  });

  it('refuses to run when an applied migration was changed, and applies nothing new', async () => {
    const db = await emptyDatabase();
    const migrations = await copyOfMigrations('changed');
    await runMigrations({ connectionString: db.url, dir: migrations });

    await appendFile(join(migrations, '0002_original_tables.sql'), '\n-- an edit after shipping\n');
    await writeFile(join(migrations, '0999_new_table.sql'), 'CREATE TABLE public.should_not_exist (id int);');

    const error = await runMigrations({ connectionString: db.url, dir: migrations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect((error as MigrationChecksumError).migration).toBe('0002_original_tables.sql');
    expect(await db.query("SELECT to_regclass('public.should_not_exist') AS t")).toEqual([{ t: null }]);
  });

  it('treats CRLF line endings as the same file', async () => {
    const db = await emptyDatabase();
    const migrations = await copyOfMigrations('crlf');
    await runMigrations({ connectionString: db.url, dir: migrations });
    const file = join(migrations, '0002_original_tables.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'));
    expect((await runMigrations({ connectionString: db.url, dir: migrations })).applied).toEqual([]);
  });

  it('rolls a failing migration back completely and does not record it', async () => {
    const db = await emptyDatabase();
    const migrations = await copyOfMigrations('failing');
    await writeFile(
      join(migrations, '0998_half_done.sql'),
      'CREATE TABLE public.half_done (id int);\nSELECT 1 / 0;',
    );

    const error = await runMigrations({ connectionString: db.url, dir: migrations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).migration).toBe('0998_half_done.sql');
    expect(await db.query("SELECT to_regclass('public.half_done') AS t")).toEqual([{ t: null }]);
    expect(await db.query("SELECT count(*)::int AS n FROM giggles_migrations WHERE name = '0998_half_done.sql'")).toEqual([
      { n: 0 },
    ]);

    await writeFile(join(migrations, '0998_half_done.sql'), 'CREATE TABLE public.half_done (id int);');
    expect((await runMigrations({ connectionString: db.url, dir: migrations })).applied).toEqual(['0998_half_done.sql']);
  });

  it('lets concurrent runners apply each migration exactly once', async () => {
    const db = await emptyDatabase();
    const reports = await Promise.all([1, 2, 3].map(() => runMigrations({ connectionString: db.url })));
    const files = (await loadMigrations()).map((m) => m.name);
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(files);
    expect(reports.filter((r) => r.applied.length > 0)).toHaveLength(1);
  });

  it('rejects badly named or duplicate-numbered files', async () => {
    const bad = join(dir, 'bad-names');
    await cp(MIGRATIONS_DIR, bad, { recursive: true });
    await writeFile(join(bad, '0001_again.sql'), 'SELECT 1;');
    await expect(loadMigrations(bad)).rejects.toThrow(/two migrations are numbered 0001/);
    await rm(join(bad, '0001_again.sql'));
    await writeFile(join(bad, 'extra.sql'), 'SELECT 1;');
    await expect(loadMigrations(bad)).rejects.toThrow(/does not match/);
  });

  it('runs from DATABASE_URL for deployments, logging names but never the URL', async () => {
    const db = await emptyDatabase();
    const lines: string[] = [];
    const report = await migrateFromEnv({ DATABASE_URL: db.url }, (line) => lines.push(line));
    expect(report.applied.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe(`migrations: ${report.applied.length} applied, 0 already applied`);
    expect(lines.join('\n')).not.toContain(db.name);
  });

  it('keeps auth functions a Supabase project already has', async () => {
    const db = await emptyDatabase();
    await db.query(`
      CREATE SCHEMA auth;
      CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
        AS $$ SELECT '00000000-0000-4000-8000-000000000001'::uuid $$;`);
    await runMigrations({ connectionString: db.url });
    expect(await db.query('SELECT auth.uid()::text AS uid')).toEqual([{ uid: '00000000-0000-4000-8000-000000000001' }]);
  });

  it('waits for a database that is not accepting connections yet, then migrates (a container restarting after its init)', async () => {
    const db = await emptyDatabase();
    const port = await freePort();
    const target = new URL(db.url);
    // Nothing listens on `port` for the first second; then a TCP relay to the real Postgres opens.
    let relay: Server | undefined;
    const opening = setTimeout(() => {
      relay = createServer((socket) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        socket.pipe(upstream).pipe(socket);
        const close = () => { socket.destroy(); upstream.destroy(); };
        socket.on('error', close);
        upstream.on('error', close);
      }).listen(port, '127.0.0.1');
    }, 1_000);
    try {
      const url = new URL(db.url);
      url.host = `127.0.0.1:${port}`;
      const lines: string[] = [];
      const report = await runMigrations({ connectionString: url.toString(), log: (line) => lines.push(line), connectTimeoutMs: 30_000 });
      expect(report.applied.length).toBeGreaterThan(0);
      expect(lines[0]).toMatch(/^database not accepting connections yet \(ECONNREFUSED\); trying again in 250 ms$/);
      expect(lines.join('\n')).not.toContain(db.name);
    } finally {
      clearTimeout(opening);
      await new Promise((resolve) => (relay ? relay.close(resolve) : resolve(undefined)));
    }
  });

  it('gives up with a clear error when the database never comes, and fails at once when the database does not exist', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(
      runMigrations({ connectionString: `postgres://postgres:secret@127.0.0.1:${port}/giggles`, connectTimeoutMs: 1_500 }),
    ).rejects.toThrow(/^the database did not accept connections within 1 s \(ECONNREFUSED\)$/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Not a "not up yet" error: no waiting (a database that does not exist is a misconfiguration).
    const db = await emptyDatabase();
    const missing = new URL(db.url);
    missing.pathname = '/giggles_no_such_database';
    await expect(runMigrations({ connectionString: missing.toString(), connectTimeoutMs: 60_000 })).rejects.toThrow(/does not exist/);
  });
});

/** A loopback port nothing listens on (taken from the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
