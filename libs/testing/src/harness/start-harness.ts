import { type SupabaseClient } from '@supabase/supabase-js';
import { startSupabaseAuthSimulator, type SupabaseAuthSimulator } from '../auth-simulator/server';
import { createJwtKeys, defaultJwtKeys, type JwtKeys } from '../jwt/keys';
import { mintApiKeys, mintJwt, type MintJwtOptions } from '../jwt/mint-jwt';
import {
  type LimitlessSimulator,
  type LimitlessSimulatorOptions,
  startLimitlessSimulator,
} from '../limitless-simulator/server';
import { type NatsHandle, startNats, type StartNatsOptions } from '../nats/start-nats';
import { applySqlDirectory, applySupabaseBootstrap } from '../postgres/apply-sql';
import { withClient, withDatabase } from '../postgres/pg-admin';
import { type PostgresHandle, startPostgres, type StartPostgresOptions } from '../postgres/test-database';
import { reloadPostgrestSchema } from '../postgrest/reload-schema';
import { type PostgrestHandle, startPostgrest } from '../postgrest/start-postgrest';
import { type RouterHandle, startRouter } from '../router/start-router';
import { startStorageSimulator, type StorageSimulator } from '../storage-simulator/server';
import { createSupabaseClient } from '../supabase/supabase-client';

export interface HarnessOptions {
  /** NATS (default on). */
  nats?: boolean | StartNatsOptions;
  /** A fresh Postgres database (default on). */
  postgres?: boolean | StartPostgresOptions;
  /** Apply SUPABASE_BOOTSTRAP_SQL before migrations (default true). */
  bootstrap?: boolean;
  /** Migrations: a callback given the superuser URL of the fresh database, and/or a directory of *.sql. */
  migrate?: (databaseUrl: string) => Promise<void>;
  migrationsDir?: string;
  /** PostgREST + Supabase Auth simulator behind the router (default on when postgres is on). */
  supabase?: boolean;
  /**
   * URL PostgREST connects with. Default: the fresh database as `authenticator` without a password,
   * which needs trust (or peer-less local) auth as on dev and CI machines.
   */
  postgrestDbUri?: (databaseUrl: string, database: string) => string;
  /** Buckets the Storage simulator (/storage/v1, on with supabase) starts with. */
  storageBuckets?: Array<string | { id: string; public?: boolean }>;
  /** Which algorithm the auth simulator signs user tokens with (default HS256). */
  authAlg?: 'HS256' | 'ES256';
  /** Limitless API simulator (default off). */
  limitless?: boolean | LimitlessSimulatorOptions;
  /** JWT keys (default: the process-wide defaultJwtKeys(), which mintJwt() also uses). */
  jwtKeys?: JwtKeys | 'fresh';
}

export interface Harness {
  natsUrl?: string;
  nats?: NatsHandle;
  /** Superuser URL of this harness's own database. */
  databaseUrl?: string;
  postgres?: PostgresHandle;
  postgrest?: PostgrestHandle;
  auth?: SupabaseAuthSimulator;
  storage?: StorageSimulator;
  router?: RouterHandle;
  /** Supabase-compatible base URL (router): /rest/v1, /auth/v1, /storage/v1. */
  supabaseUrl?: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtKeys: JwtKeys;
  limitless?: LimitlessSimulator;
  mintJwt(options: Omit<MintJwtOptions, 'keys'>): Promise<string>;
  /** supabase-js client against the router; default key: the service role key. */
  supabaseClient(key?: string): SupabaseClient;
  /** NOTIFY pgrst to reload its schema cache; with `table`, waits until PostgREST serves it. */
  reloadSchema(table?: string): Promise<void>;
  /** Captured logs of the processes this harness started. */
  logs(): string;
  stop(): Promise<void>;
}

type Stopper = { name: string; stop: () => Promise<void> };

/**
 * Starts the real dependencies a test needs. Every piece started is stopped by stop() — also when
 * starting a later piece fails — in reverse order. Register `afterAll(() => harness.stop())`.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const stoppers: Stopper[] = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const s of stoppers.splice(0).reverse()) {
      try {
        await s.stop();
      } catch (err) {
        errors.push(new Error(`stopping ${s.name}: ${(err as Error).message}`));
      }
    }
    if (errors.length) throw new AggregateError(errors, 'harness stop failed');
  };

  try {
    const jwtKeys =
      options.jwtKeys === 'fresh' ? await createJwtKeys() : options.jwtKeys ?? (await defaultJwtKeys());
    const { anonKey, serviceRoleKey } = await mintApiKeys(jwtKeys);
    const h: Harness = {
      anonKey,
      serviceRoleKey,
      jwtKeys,
      mintJwt: (o) => mintJwt({ ...o, keys: jwtKeys }),
      supabaseClient(key) {
        if (!h.supabaseUrl) throw new Error('harness started without supabase');
        return createSupabaseClient(h.supabaseUrl, key ?? serviceRoleKey);
      },
      async reloadSchema(table) {
        if (!h.databaseUrl) throw new Error('harness started without postgres');
        await reloadPostgrestSchema(
          h.databaseUrl,
          table && h.postgrest ? { postgrestUrl: h.postgrest.url, table, token: serviceRoleKey } : undefined,
        );
      },
      logs: () =>
        [
          h.nats && `--- nats\n${h.nats.logs()}`,
          h.postgres && `--- postgres\n${h.postgres.server.logs()}`,
          h.postgrest && `--- postgrest\n${h.postgrest.logs()}`,
        ]
          .filter(Boolean)
          .join('\n'),
      stop: stopAll,
    };

    if (options.nats !== false) {
      const nats = await startNats(typeof options.nats === 'object' ? options.nats : {});
      stoppers.push({ name: 'nats', stop: () => nats.stop() });
      h.nats = nats;
      h.natsUrl = nats.url;
    }

    if (options.postgres !== false) {
      const pg = await startPostgres(typeof options.postgres === 'object' ? options.postgres : {});
      stoppers.push({ name: 'postgres', stop: () => pg.stop() });
      h.postgres = pg;
      h.databaseUrl = pg.url;
      if (options.bootstrap !== false) await applySupabaseBootstrap(pg.url);
      if (options.migrationsDir) await applySqlDirectory(pg.url, options.migrationsDir);
      if (options.migrate) await options.migrate(pg.url);

      if (options.supabase !== false) {
        const postgrest = await startPostgrest({
          dbUri: options.postgrestDbUri
            ? options.postgrestDbUri(pg.url, pg.database)
            : withDatabase(pg.url, pg.database, 'authenticator'),
          jwtSecret: jwtKeys.jwks,
        });
        stoppers.push({ name: 'postgrest', stop: () => postgrest.stop() });
        h.postgrest = postgrest;

        const dbUrl = pg.url;
        const auth = await startSupabaseAuthSimulator({
          keys: jwtKeys,
          alg: options.authAlg,
          onUserCreated: (user) =>
            withClient(dbUrl, (c) =>
              c.query(
                `INSERT INTO auth.users (id, email, email_confirmed_at, raw_user_meta_data)
                 VALUES ($1, $2, now(), $3) ON CONFLICT (id) DO NOTHING`,
                [user.id, user.email, JSON.stringify(user.user_metadata)],
              ),
            ).then(() => undefined),
        });
        stoppers.push({ name: 'auth simulator', stop: () => auth.stop() });
        h.auth = auth;

        const storage = await startStorageSimulator({ keys: jwtKeys, buckets: options.storageBuckets });
        stoppers.push({ name: 'storage simulator', stop: () => storage.stop() });
        h.storage = storage;

        const router = await startRouter({
          routes: { '/rest/v1': postgrest.url, '/auth/v1': auth.url, '/storage/v1': storage.url },
        });
        stoppers.push({ name: 'router', stop: () => router.stop() });
        h.router = router;
        h.supabaseUrl = router.url;
        auth.setIssuer(`${router.url}/auth/v1`); // GoTrue's `iss` is the project's public URL + /auth/v1
      }
    }

    if (options.limitless) {
      const sim = await startLimitlessSimulator(typeof options.limitless === 'object' ? options.limitless : {});
      stoppers.push({ name: 'limitless simulator', stop: () => sim.stop() });
      h.limitless = sim;
    }
    return h;
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}
