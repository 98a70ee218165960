/**
 * Applies the SQL files in `services/persistence/migrations` in order and records each in
 * `giggles_migrations(name, sha256, applied_at)`.
 *
 * This is the one place that talks to Postgres with `pg` instead of supabase-js: DDL (tables,
 * roles, functions, policies) cannot go through PostgREST, which only exposes rows and RPCs.
 *
 * - Re-runnable: applied files are skipped; an applied file whose checksum changed is an error
 *   (a shipped migration is never edited — add a new one).
 * - Each file runs in its own transaction together with its ledger row: it is applied fully or
 *   not at all.
 * - A session advisory lock serialises runners, so two instances starting at once against the
 *   same database do not race; the second waits, then finds everything applied.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

/** The repository's migrations, next to `src/` both in the source tree and in a build. */
export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;
// Any constant shared by all runners of this schema; text so it reads well in pg_locks.
const LOCK_KEY_SQL = "hashtextextended('giggles.migrations', 0)";

export interface Migration {
  name: string;
  sql: string;
  sha256: string;
}

export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

export interface RunMigrationsOptions {
  connectionString: string;
  dir?: string;
  /** Receives one line per applied migration; never SQL text or connection details. */
  log?: (line: string) => void;
  /**
   * How long to wait for the database to accept connections (default 120 s). At boot the database
   * container may report healthy a moment before it serves us (a restart after its init scripts, a
   * DNS name not yet resolvable); exiting then makes the container restart and compose report it
   * unhealthy, so the runner waits instead and gives up with a clear error only after this long.
   */
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 120_000;

/** Errors that mean "not accepting connections yet", worth waiting for; anything else fails at once. */
const WAITABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03']);

export class DatabaseUnreachableError extends Error {
  constructor(waitedMs: number, cause: unknown) {
    super(`the database did not accept connections within ${Math.round(waitedMs / 1000)} s (${describeCause(cause)})`, { cause });
    this.name = 'DatabaseUnreachableError';
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The code and Postgres's words, never the connection string (it holds a password). */
function describeCause(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

/** A connected client, after waiting (with growing pauses, ≤ 5 s) while the database is not up yet. */
async function connectWhenReady(options: RunMigrationsOptions): Promise<Client> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const started = Date.now();
  let pauseMs = 250;
  for (;;) {
    const client = new Client({ connectionString: options.connectionString });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const waited = Date.now() - started;
      if (!WAITABLE_CODES.has(errorCode(error) ?? '')) throw error;
      if (waited + pauseMs > timeoutMs) throw new DatabaseUnreachableError(waited, error);
      options.log?.(`database not accepting connections yet (${describeCause(error)}); trying again in ${pauseMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 5_000);
    }
  }
}

export class MigrationChecksumError extends Error {
  constructor(readonly migration: string) {
    super(`migration ${migration} was changed after it was applied; add a new migration instead`);
    this.name = 'MigrationChecksumError';
  }
}

export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationFailedError';
  }
}

/** Checksums ignore line-ending style so a CRLF checkout does not look like an edit. */
export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const seen = new Set<string>();
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = FILE_NAME.exec(name);
    if (!match) throw new Error(`migration file name ${name} does not match NNNN_name.sql`);
    if (seen.has(match[1])) throw new Error(`two migrations are numbered ${match[1]}`);
    seen.add(match[1]);
    const sql = await readFile(join(dir, name), 'utf8');
    migrations.push({ name, sql, sha256: checksum(sql) });
  }
  return migrations;
}

export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationReport> {
  const migrations = await loadMigrations(options.dir);
  const client = await connectWhenReady(options);
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`);
    try {
      return await applyPending(client, migrations, options.log);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(
  client: Client,
  migrations: Migration[],
  log: ((line: string) => void) | undefined,
): Promise<MigrationReport> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS public.giggles_migrations (
      name text PRIMARY KEY,
      sha256 text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const { rows } = await client.query<{ name: string; sha256: string }>(
    'SELECT name, sha256 FROM public.giggles_migrations',
  );
  const recorded = new Map(rows.map((row) => [row.name, row.sha256]));

  // Verify every applied file before applying anything new: an edited history is refused whole.
  for (const migration of migrations) {
    const sha = recorded.get(migration.name);
    if (sha !== undefined && sha !== migration.sha256) throw new MigrationChecksumError(migration.name);
  }

  const report: MigrationReport = { applied: [], skipped: [] };
  for (const migration of migrations) {
    if (recorded.has(migration.name)) {
      report.skipped.push(migration.name);
      continue;
    }
    await applyOne(client, migration);
    report.applied.push(migration.name);
    log?.(`applied migration ${migration.name}`);
  }
  // PostgREST caches the schema: one started before these migrations (the bundled stack starts
  // it before persistence) would not know the new tables and functions. Hosted Supabase reloads
  // on DDL by itself; the notification is harmless there and when nobody listens.
  if (report.applied.length > 0) await client.query(`NOTIFY pgrst, 'reload schema'`);
  return report;
}

async function applyOne(client: Client, migration: Migration): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(migration.sql);
    await client.query('INSERT INTO public.giggles_migrations (name, sha256) VALUES ($1, $2)', [
      migration.name,
      migration.sha256,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationFailedError(migration.name, error);
  }
}
