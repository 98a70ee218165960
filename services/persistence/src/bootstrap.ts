import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { startServiceApp } from '@giggles/health';
import { AppModule, type AppModuleOptions } from './app.module';
import { describePersistenceConfig, type PersistenceConfig } from './config/persistence-config';
import { runMigrations, type MigrationReport } from './database/migration-runner';
import { PinoNestLogger, type PersistenceLogger } from './logging/logger';

/**
 * Applies pending SQL migrations when DATABASE_URL is set — the only direct Postgres connection
 * the service makes (DDL cannot go through PostgREST). Without it the schema is assumed to be
 * migrated already (hosted Supabase where the operator runs the migrations separately).
 */
export async function migrateAtBoot(config: PersistenceConfig, logger: PersistenceLogger): Promise<MigrationReport | undefined> {
  if (!config.databaseUrl) {
    logger.info(
      'DATABASE_URL is not set: skipping migrations — the schema must already be applied (run `node services/persistence/dist/database/migrate.js` with DATABASE_URL, or apply services/persistence/migrations/*.sql in order)',
    );
    return undefined;
  }
  // Migration errors name the file and Postgres's complaint, never the URL (it holds a password).
  const report = await runMigrations({ connectionString: config.databaseUrl, log: (line) => logger.info(line) });
  logger.info({ applied: report.applied.length, alreadyApplied: report.skipped.length }, 'database schema is up to date');
  return report;
}

/**
 * Builds and starts the service: migrations (when DATABASE_URL is set), NATS connected and
 * topology ensured, the results consumer and the query server running, `/health/live`,
 * `/health/ready` and `/metrics` listening on HEALTH_PORT.
 */
export async function createPersistenceApp(
  config: PersistenceConfig,
  logger: PersistenceLogger,
  options: AppModuleOptions & { host?: string } = {},
): Promise<INestApplication> {
  logger.info({ config: describePersistenceConfig(config) }, 'starting persistence');
  // Before anything consumes: handlers must never run against an older schema.
  await migrateAtBoot(config, logger);
  return startServiceApp(AppModule.forRoot(config, logger, options), { logger: new PinoNestLogger(logger), port: config.healthPort, host: options.host });
}
