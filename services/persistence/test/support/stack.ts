/**
 * A migrated test database behind a real PostgREST, with every repository wired to a
 * service-role supabase-js client — the way persistence runs in production.
 */
import { KeyCipher } from '../../src/crypto/key-cipher';
import { runMigrations } from '../../src/database/migration-runner';
import { DaysRepository } from '../../src/repositories/days.repository';
import { DetectionsRepository } from '../../src/repositories/detections.repository';
import { JobsRepository } from '../../src/repositories/jobs.repository';
import { KeysRepository } from '../../src/repositories/keys.repository';
import { ResultsRepository } from '../../src/repositories/results.repository';
import { SegmentsRepository } from '../../src/repositories/segments.repository';
import { UsersRepository } from '../../src/repositories/users.repository';
import { createTestDatabase, type TestDatabase } from './database';
import { startLocalPostgrest, type LocalPostgrest } from './local-postgrest';

export const TEST_ENCRYPTION_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export interface Stack {
  db: TestDatabase;
  rest: LocalPostgrest;
  cipher: KeyCipher;
  results: ResultsRepository;
  users: UsersRepository;
  keys: KeysRepository;
  segments: SegmentsRepository;
  detections: DetectionsRepository;
  days: DaysRepository;
  jobs: JobsRepository;
  stop(): Promise<void>;
}

export async function startStack(options: { beforeMigrate?: (db: TestDatabase) => Promise<void> } = {}): Promise<Stack> {
  const db = await createTestDatabase({ migrate: !options.beforeMigrate });
  if (options.beforeMigrate) {
    await options.beforeMigrate(db);
    await runMigrations({ connectionString: db.url });
  }
  const rest = await startLocalPostgrest(db.name);
  const client = rest.serviceClient();
  const cipher = KeyCipher.fromHex(TEST_ENCRYPTION_KEY);
  return {
    db,
    rest,
    cipher,
    results: new ResultsRepository(client),
    users: new UsersRepository(client),
    keys: new KeysRepository(client, cipher),
    segments: new SegmentsRepository(client),
    detections: new DetectionsRepository(client),
    days: new DaysRepository(client),
    jobs: new JobsRepository(client),
    async stop() {
      await rest.stop();
      await db.drop();
    },
  };
}
