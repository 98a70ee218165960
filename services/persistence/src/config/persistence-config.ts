import {
  defineConfig,
  describeConfig,
  ENCRYPTION_CONFIG,
  HEALTH_CONFIG,
  loadConfig,
  LOGGING_CONFIG,
  NATS_CONFIG,
  OTEL_CONFIG,
  SUPABASE_CONFIG,
  type ConfigOf,
} from '@giggles/config';
import { ARCHIVE_MODES } from '@giggles/contracts';
import { HEALTH_SERVER_CONFIG } from '@giggles/health';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const CLIP_STORAGE_KINDS = ['fs', 'supabase'] as const;

/** Every environment variable the persistence service reads; validated once at boot. */
export const PERSISTENCE_CONFIG = defineConfig({
  ...NATS_CONFIG,
  ...LOGGING_CONFIG,
  ...OTEL_CONFIG,
  ...HEALTH_CONFIG,
  ...HEALTH_SERVER_CONFIG,
  ...SUPABASE_CONFIG,
  ...ENCRYPTION_CONFIG,
  databaseUrl: {
    name: 'DATABASE_URL',
    type: 'url',
    protocols: ['postgres', 'postgresql'],
    secret: true,
    optional: true,
    description:
      'Direct Postgres connection string (Supabase: Project Settings → Database). When set, pending SQL migrations are applied at boot; unset: the schema must already be migrated',
  },
  clipStorage: {
    name: 'CLIP_STORAGE',
    type: 'enum',
    values: CLIP_STORAGE_KINDS,
    default: 'fs',
    description: 'Where clips are kept: fs (a directory, CLIP_STORAGE_DIR) or supabase (a Supabase Storage bucket, CLIP_STORAGE_BUCKET)',
  },
  clipStorageDir: {
    name: 'CLIP_STORAGE_DIR',
    type: 'string',
    default: '/var/lib/giggles/clips',
    description: 'Clip directory for CLIP_STORAGE=fs (a volume; created if missing)',
  },
  clipStorageBucket: {
    name: 'CLIP_STORAGE_BUCKET',
    type: 'string',
    pattern: /^[a-z0-9][a-z0-9._-]{0,62}$/,
    default: 'clips',
    description: 'Supabase Storage bucket for CLIP_STORAGE=supabase (must exist, private)',
  },
  audioArchive: {
    name: 'AUDIO_ARCHIVE',
    type: 'enum',
    values: ARCHIVE_MODES,
    default: 'off',
    description:
      "Keeping processed audio for users who opt in: off (nothing is kept, whatever users chose), filesystem (AUDIO_ARCHIVE_DIR) or supabase (the Supabase Storage bucket AUDIO_ARCHIVE_BUCKET)",
  },
  audioArchiveDir: {
    name: 'AUDIO_ARCHIVE_DIR',
    type: 'string',
    default: '/var/lib/giggles/archive',
    description: 'Archive directory for AUDIO_ARCHIVE=filesystem (a volume; created if missing). About 7 MB per recorded hour',
  },
  audioArchiveBucket: {
    name: 'AUDIO_ARCHIVE_BUCKET',
    type: 'string',
    pattern: /^[a-z0-9][a-z0-9._-]{0,62}$/,
    default: 'audio-archive',
    description: 'Supabase Storage bucket for AUDIO_ARCHIVE=supabase (must exist, private)',
  },
  audioArchiveRetentionDays: {
    name: 'AUDIO_ARCHIVE_RETENTION_DAYS',
    type: 'int',
    min: 0,
    max: 36_500,
    default: 0,
    description: 'Archived windows older than this many days are deleted by the daily reconciliation; 0 keeps them until the user deletes them',
  },
  concurrency: {
    name: 'PERSISTENCE_CONCURRENCY',
    type: 'int',
    min: 1,
    max: 32,
    default: 2,
    description: 'Result messages handled at once by this process (writes for one user are serialised by the database)',
  },
  maxDeliver: {
    name: 'PERSISTENCE_MAX_DELIVER',
    type: 'int',
    min: 1,
    max: 50,
    default: 10,
    description:
      "Deliveries of a result before it is dead-lettered and recorded as a failure in the user's processing log (with the default delays: about half an hour of database outage)",
  },
  redeliveryDelayMs: {
    name: 'PERSISTENCE_REDELIVERY_DELAY',
    type: 'duration',
    min: 10,
    max: HOUR,
    default: 5 * SECOND,
    description: 'Delay before a failed result is retried (database or storage unavailable); doubles with each delivery',
  },
  redeliveryMaxDelayMs: {
    name: 'PERSISTENCE_REDELIVERY_MAX_DELAY',
    type: 'duration',
    min: 10,
    max: 6 * HOUR,
    default: 10 * MINUTE,
    description: 'Longest delay between two deliveries of a failing result',
  },
  ackWaitMs: {
    name: 'PERSISTENCE_ACK_WAIT',
    type: 'duration',
    min: SECOND,
    max: 30 * MINUTE,
    default: 60 * SECOND,
    description: 'JetStream ack wait for a result message (kept alive by heartbeats while it is handled)',
  },
  stallAfterMs: {
    name: 'PERSISTENCE_STALL_AFTER',
    type: 'duration',
    min: SECOND,
    max: 24 * HOUR,
    default: 10 * MINUTE,
    description: 'Readiness fails when results wait and none was stored for this long',
  },
  databaseRequestTimeoutMs: {
    name: 'PERSISTENCE_DB_TIMEOUT',
    type: 'duration',
    min: 100,
    max: 10 * MINUTE,
    default: 30 * SECOND,
    description: 'Deadline of one database or Storage request (supabase-js); a request over it fails and its message is retried',
  },
  databaseTimeoutMs: {
    name: 'PERSISTENCE_DB_HEALTH_TIMEOUT',
    type: 'duration',
    min: 100,
    max: MINUTE,
    default: 3 * SECOND,
    description: 'How long the readiness probe waits for the database (through PostgREST)',
  },
});

export type PersistenceConfig = ConfigOf<typeof PERSISTENCE_CONFIG>;

/** Reads and validates the environment; throws `ConfigError` listing every bad variable. */
export function loadPersistenceConfig(env: NodeJS.ProcessEnv = process.env): PersistenceConfig {
  return loadConfig(PERSISTENCE_CONFIG, env);
}

/** For the boot log: secrets (service-role key, encryption key, DATABASE_URL) show as `[redacted]`. */
export function describePersistenceConfig(config: PersistenceConfig): Record<string, string | number | boolean | undefined> {
  return describeConfig(PERSISTENCE_CONFIG, config);
}

/** Redelivery delays after failed deliveries 1, 2, …, n: base, 2·base, 4·base, … capped at maxMs. */
export function redeliverySchedule(baseMs: number, maxMs: number, deliveries: number): number[] {
  return Array.from({ length: Math.max(1, deliveries) }, (_, n) => Math.min(maxMs, baseMs * 2 ** n));
}
