/**
 * The whole persistence app as main.ts builds it (migrations at boot, NATS topology, consumer,
 * query server) against a private nats-server, real Postgres and real PostgREST, with a clip
 * directory of its own and the log lines captured — for tests that talk to it over NATS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { BUCKETS } from '@giggles/contracts';
import { openObjectBucket, type ObjectBucket } from '@giggles/messaging';
import { freePort, startHarness, type Harness } from '@giggles/testing';
import { createPersistenceApp } from '../../src/bootstrap';
import { FsClipStore } from '../../src/clips/fs-clip-store';
import { loadPersistenceConfig } from '../../src/config/persistence-config';
import { createPersistenceLogger } from '../../src/logging/logger';
import { JobsRepository } from '../../src/repositories/jobs.repository';
import { ResultsRepository } from '../../src/repositories/results.repository';
import { UsersRepository } from '../../src/repositories/users.repository';
import { ADMIN_URL } from './database';
import { userId } from './fixtures';
import { TEST_ENCRYPTION_KEY } from './stack';

export interface RunningApp {
  harness: Harness;
  app: INestApplication;
  nc: NatsConnection;
  audioBucket: ObjectBucket;
  clipDir: string;
  clipStore: FsClipStore;
  logLines: string[];
  results: ResultsRepository;
  jobs: JobsRepository;
  users: UsersRepository;
  sql<T extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  newUser(options?: { timezone?: string; email?: string }): Promise<string>;
  stop(): Promise<void>;
}

/** `env` adds or overrides variables of the app's configuration (e.g. AUDIO_ARCHIVE). */
export async function startApp(options: { env?: Record<string, string> } = {}): Promise<RunningApp> {
  const harness = await startHarness({ nats: { mode: 'private' }, postgres: { url: ADMIN_URL, databasePrefix: 'giggles' } });
  const pg = new Client({ connectionString: harness.databaseUrl });
  pg.on('error', () => undefined); // the harness drops the database WITH (FORCE) on stop
  await pg.connect();
  const clipDir = await mkdtemp(join(tmpdir(), 'giggles-app-clips-'));
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const config = loadPersistenceConfig({
    NATS_URL: harness.natsUrl,
    SUPABASE_URL: harness.supabaseUrl,
    SUPABASE_SERVICE_ROLE_KEY: harness.serviceRoleKey,
    GIGGLES_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATABASE_URL: harness.databaseUrl,
    CLIP_STORAGE_DIR: clipDir,
    HEALTH_PORT: String(await freePort()),
    MEMORY_LIMIT_MB: '8192',
    ...options.env,
  });
  const app = await createPersistenceApp(config, createPersistenceLogger('info', sink), { host: '127.0.0.1' });
  await harness.reloadSchema('laughter_detections');
  const nc = await connect({ servers: harness.natsUrl });
  const audioBucket = await openObjectBucket(jetstream(nc), BUCKETS.audio);
  const users = app.get(UsersRepository);
  return {
    harness,
    app,
    nc,
    audioBucket,
    clipDir,
    clipStore: await FsClipStore.open(clipDir),
    logLines,
    results: app.get(ResultsRepository),
    jobs: app.get(JobsRepository),
    users,
    sql: async <T extends object>(text: string, params?: unknown[]) => (await pg.query<T>(text, params)).rows,
    async newUser(options = {}) {
      const id = userId();
      await users.upsertUser({ id, email: options.email ?? `${id}@example.test`, timezone: options.timezone ?? 'Europe/Berlin' });
      return id;
    },
    async stop() {
      await app.close();
      await nc.close();
      await pg.end();
      await harness.stop();
      await rm(clipDir, { recursive: true, force: true });
    },
  };
}
