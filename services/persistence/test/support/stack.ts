/**
 * A migrated database behind real PostgREST (through the harness router, as supabase-js expects
 * it at /rest/v1), with every repository wired to a service-role supabase-js client — the way
 * persistence runs in production.
 *
 * By default the harness first applies its Supabase bootstrap (roles, auth schema, and
 * Supabase's default grants to anon/authenticated on everything new in `public`), so the RLS and
 * grant tests run against the same defaults a hosted project has.
 */
import { Client } from 'pg';
import { startHarness, type Harness } from '@giggles/testing';
import { ADMIN_URL } from './database';
import { KeyCipher } from '@giggles/crypto';
import { runMigrations } from '../../src/database/migration-runner';
import { createServiceClient, type GigglesSupabaseClient } from '../../src/database/supabase-client';
import { DaysRepository } from '../../src/repositories/days.repository';
import { DetectionsRepository } from '../../src/repositories/detections.repository';
import { JobsRepository } from '../../src/repositories/jobs.repository';
import { KeysRepository } from '../../src/repositories/keys.repository';
import { ResultsRepository } from '../../src/repositories/results.repository';
import { SegmentsRepository } from '../../src/repositories/segments.repository';
import { UsersRepository } from '../../src/repositories/users.repository';

export const TEST_ENCRYPTION_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export interface StackDatabase {
  name: string;
  url: string;
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Stack {
  harness: Harness;
  db: StackDatabase;
  cipher: KeyCipher;
  /** A typed client with any key: the service key, harness.anonKey, or a user's token. */
  client(key: string): GigglesSupabaseClient;
  /** A client acting as a signed-in user (role authenticated, sub = userId). */
  userClient(userId: string): Promise<GigglesSupabaseClient>;
  results: ResultsRepository;
  users: UsersRepository;
  keys: KeysRepository;
  segments: SegmentsRepository;
  detections: DetectionsRepository;
  days: DaysRepository;
  jobs: JobsRepository;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Runs on the empty database before the migrations (e.g. to lay down the original schema). */
  beforeMigrate?: (db: StackDatabase) => Promise<void>;
  /** Apply the harness's Supabase bootstrap first (default true). */
  bootstrap?: boolean;
  storageBuckets?: string[];
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  let pg: Client | undefined;
  let db: StackDatabase | undefined;
  const harness = await startHarness({
    nats: false,
    // The shared cluster (DATABASE_URL or the local one), not a private initdb per file.
    postgres: { url: ADMIN_URL, databasePrefix: 'giggles' },
    bootstrap: options.bootstrap,
    storageBuckets: options.storageBuckets,
    migrate: async (url) => {
      pg = new Client({ connectionString: url });
      // The harness drops the database WITH (FORCE) on stop; a terminated session is expected then.
      pg.on('error', () => undefined);
      await pg.connect();
      const client = pg;
      db = {
        name: new URL(url).pathname.slice(1),
        url,
        query: async <T extends object>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows,
      };
      await options.beforeMigrate?.(db);
      await runMigrations({ connectionString: url });
    },
  });
  if (!db || !harness.supabaseUrl) throw new Error('harness started without a database');
  const url = harness.supabaseUrl;
  const client = (key: string) => createServiceClient({ url, serviceRoleKey: key });
  const service = client(harness.serviceRoleKey);
  const cipher = KeyCipher.fromHex(TEST_ENCRYPTION_KEY);
  return {
    harness,
    db,
    cipher,
    client,
    userClient: async (userId) => client(await harness.mintJwt({ role: 'authenticated', sub: userId })),
    results: new ResultsRepository(service),
    users: new UsersRepository(service),
    keys: new KeysRepository(service, cipher),
    segments: new SegmentsRepository(service),
    detections: new DetectionsRepository(service),
    days: new DaysRepository(service),
    jobs: new JobsRepository(service),
    async stop() {
      await pg?.end();
      await harness.stop();
    },
  };
}
