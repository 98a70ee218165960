export * from './limitless-simulator';
export { startHarness, type Harness, type HarnessOptions } from './harness/start-harness';
export { startNats, natsServerBinary, type NatsHandle, type StartNatsOptions } from './nats/start-nats';
export { resetJetStream, GIGGLES_STREAM_PREFIXES } from './nats/reset-jetstream';
export { startPostgres, type PostgresHandle, type StartPostgresOptions } from './postgres/test-database';
export {
  startPostgresServer,
  postgresBinDir,
  type PostgresServer,
  type StartPostgresServerOptions,
} from './postgres/postgres-server';
export { SUPABASE_BOOTSTRAP_SQL, SUPABASE_ROLES_SQL, SUPABASE_AUTH_SCHEMA_SQL } from './postgres/supabase-bootstrap.sql';
export { applySupabaseBootstrap, applySqlDirectory, runSql } from './postgres/apply-sql';
export { withClient, withDatabase } from './postgres/pg-admin';
export { startPostgrest, postgrestBinary, type PostgrestHandle, type StartPostgrestOptions } from './postgrest/start-postgrest';
export { reloadPostgrestSchema } from './postgrest/reload-schema';
export { startRouter, type RouterHandle, type StartRouterOptions } from './router/start-router';
export { mintJwt, mintApiKeys, type MintJwtOptions, type JwtRole } from './jwt/mint-jwt';
export { createJwtKeys, defaultJwtKeys, type JwtKeys } from './jwt/keys';
export { verifyJwt } from './jwt/verify-jwt';
export {
  startSupabaseAuthSimulator,
  type SupabaseAuthSimulator,
  type SupabaseAuthSimulatorOptions,
} from './auth-simulator/server';
export { type AuthUser } from './auth-simulator/users';
export {
  startStorageSimulator,
  type StorageSimulator,
  type StorageSimulatorOptions,
} from './storage-simulator/server';
export { createSupabaseClient } from './supabase/supabase-client';
export { freePort } from './net/free-port';
export { sharedDir, repoRoot } from './shared-dir';
export { startProcess, type ManagedProcess, type StartProcessOptions } from './process/managed-process';
export { makeTempDir, type TempDir } from './process/temp-dir';
export { waitFor } from './process/wait-for';
