/**
 * Entry point for deployments: `node dist/database/migrate.js` applies pending migrations to
 * DATABASE_URL (a direct Postgres URL — Supabase's "connection string", not the REST URL) and
 * exits. Persistence runs it before it starts serving; running it twice is harmless.
 */
import { runMigrations, type MigrationReport } from './migration-runner';

export async function migrateFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<MigrationReport> {
  const url = env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (a direct Postgres connection string)');
  const report = await runMigrations({ connectionString: url, log });
  log(`migrations: ${report.applied.length} applied, ${report.skipped.length} already applied`);
  return report;
}

if (require.main === module) {
  migrateFromEnv().catch((error: unknown) => {
    // The message names the migration and Postgres's complaint; never the URL (it holds a password).
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
