import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withClient } from './pg-admin';
import { SUPABASE_BOOTSTRAP_SQL } from './supabase-bootstrap.sql';

/** Runs SQL text (may hold several statements) against a database. */
export async function runSql(databaseUrl: string, sql: string): Promise<void> {
  await withClient(databaseUrl, (c) => c.query(sql).then(() => undefined));
}

/**
 * Applies SUPABASE_BOOTSTRAP_SQL, retrying briefly: concurrent bootstraps on one cluster can clash
 * on the cluster-wide role catalog ("tuple concurrently updated").
 */
export async function applySupabaseBootstrap(databaseUrl: string, attempts = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await runSql(databaseUrl, SUPABASE_BOOTSTRAP_SQL);
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 100 * i + Math.random() * 100));
    }
  }
}

/** Applies every `*.sql` file of a directory in name order, each in its own transaction. */
export async function applySqlDirectory(databaseUrl: string, dir: string): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  await withClient(databaseUrl, async (c) => {
    for (const f of files) {
      const sql = readFileSync(join(dir, f), 'utf8');
      await c.query('BEGIN');
      try {
        await c.query(sql);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK');
        throw new Error(`migration ${f} failed: ${(err as Error).message}`);
      }
    }
  });
  return files;
}
