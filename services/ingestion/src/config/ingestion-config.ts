import { defineConfig, describeConfig, ENCRYPTION_CONFIG, HEALTH_CONFIG, loadConfig, LOGGING_CONFIG, NATS_CONFIG, OTEL_CONFIG, type ConfigOf } from '@giggles/config';
import { HEALTH_SERVER_CONFIG } from '@giggles/health';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Every environment variable the ingestion service reads; validated once at boot. */
export const INGESTION_CONFIG = defineConfig({
  ...NATS_CONFIG,
  ...LOGGING_CONFIG,
  ...OTEL_CONFIG,
  ...HEALTH_CONFIG,
  ...HEALTH_SERVER_CONFIG,
  ...ENCRYPTION_CONFIG,
  limitlessApiUrl: {
    name: 'LIMITLESS_API_URL',
    type: 'url',
    protocols: ['http', 'https'],
    default: 'https://api.limitless.ai',
    description: 'Base URL of the Limitless API (tests point it at the simulator)',
  },
  windowMinutes: {
    name: 'INGESTION_WINDOW_MINUTES',
    type: 'int',
    min: 1,
    max: 120,
    default: 120,
    description: 'Length of one download-audio request; the API allows at most 2 hours',
  },
  rateLimitPerMinute: {
    name: 'LIMITLESS_RATE_LIMIT_PER_MINUTE',
    type: 'int',
    min: 2,
    max: 180,
    default: 170,
    description: 'Most requests per API key in any sliding minute, all endpoints together (Limitless allows 180)',
  },
  rateLimitBurst: {
    name: 'LIMITLESS_RATE_LIMIT_BURST',
    type: 'int',
    min: 1,
    max: 90,
    default: 10,
    description: 'Requests per key that may go back to back after a quiet spell (capped at half the per-minute limit)',
  },
  requestTimeoutMs: {
    name: 'LIMITLESS_REQUEST_TIMEOUT',
    type: 'duration',
    min: 100,
    max: 10 * MINUTE,
    default: 60 * SECOND,
    description: 'How long to wait for the response headers of one Limitless request',
  },
  bodyIdleTimeoutMs: {
    name: 'LIMITLESS_BODY_IDLE_TIMEOUT',
    type: 'duration',
    min: 100,
    max: 10 * MINUTE,
    default: 60 * SECOND,
    description: 'Longest pause between two chunks of an audio download before it counts as a dropped connection',
  },
  retryBaseMs: {
    name: 'LIMITLESS_RETRY_BASE',
    type: 'duration',
    min: 1,
    max: 10 * MINUTE,
    default: 2 * SECOND,
    description: 'First backoff step after a 5xx, timeout or reset (exponential with full jitter)',
  },
  retryCapMs: {
    name: 'LIMITLESS_RETRY_CAP',
    type: 'duration',
    min: 1,
    max: HOUR,
    default: 2 * MINUTE,
    description: 'Largest backoff step between Limitless retries',
  },
  maxAttempts: {
    name: 'LIMITLESS_MAX_ATTEMPTS',
    type: 'int',
    min: 1,
    max: 20,
    default: 6,
    description: 'Attempts per window on 5xx/timeouts/resets before it is recorded as a gap (a later run retries gaps)',
  },
  maxRetryAfterMs: {
    name: 'LIMITLESS_MAX_RETRY_AFTER',
    type: 'duration',
    min: 1,
    max: HOUR,
    default: 5 * MINUTE,
    description: "Cap on a 429's retryAfter wait",
  },
  maxRateLimited: {
    name: 'LIMITLESS_MAX_RATE_LIMITED',
    type: 'int',
    min: 1,
    max: 100,
    default: 10,
    description: '429 answers tolerated per window before it is recorded as a gap',
  },
  settleMs: {
    name: 'INGESTION_SETTLE_TIME',
    type: 'duration',
    min: 0,
    max: 72 * HOUR,
    default: 2 * HOUR,
    description: 'A 404 for a window that ended less than this long ago is a gap, not "empty": the pendant may not have uploaded it yet',
  },
  lateUploadMinutes: {
    name: 'INGESTION_LATE_UPLOAD_MINUTES',
    type: 'int',
    min: 0,
    max: 1440,
    default: 120,
    description: "How late the pendant may upload audio: a window a 'today' run recorded less than this long after it ended is downloaded again by the next whole-day run",
  },
  concurrency: {
    name: 'INGESTION_CONCURRENCY',
    type: 'int',
    min: 1,
    max: 16,
    default: 2,
    description: 'Day jobs handled at once by this process (each worker pulls one at a time)',
  },
  maxDeliver: {
    name: 'INGESTION_MAX_DELIVER',
    type: 'int',
    min: 1,
    max: 50,
    default: 5,
    description: 'Deliveries of a day job before it is dead-lettered and reported as failed',
  },
  redeliveryDelayMs: {
    name: 'INGESTION_REDELIVERY_DELAY',
    type: 'duration',
    min: 10,
    max: HOUR,
    default: 30 * SECOND,
    description: 'Delay before a failed day job is retried; doubles with each delivery',
  },
  ackWaitMs: {
    name: 'INGESTION_ACK_WAIT',
    type: 'duration',
    min: SECOND,
    max: 30 * MINUTE,
    default: 2 * MINUTE,
    description: 'JetStream ack wait for a day job (kept alive by progress heartbeats while it runs)',
  },
  queryTimeoutMs: {
    name: 'INGESTION_QUERY_TIMEOUT',
    type: 'duration',
    min: 100,
    max: 5 * MINUTE,
    default: 10 * SECOND,
    description: 'How long to wait for persistence to answer a query',
  },
  archiveRestoreTimeoutMs: {
    name: 'INGESTION_ARCHIVE_RESTORE_TIMEOUT',
    type: 'duration',
    min: SECOND,
    max: 30 * MINUTE,
    default: 2 * MINUTE,
    description: 'How long persistence may take to stream one archived window back into the audio bucket (the audio archive) before the window is downloaded from Limitless instead',
  },
  stallAfterMs: {
    name: 'INGESTION_STALL_AFTER',
    type: 'duration',
    min: SECOND,
    max: 24 * HOUR,
    default: 30 * MINUTE,
    description: 'Readiness fails when day jobs wait and no window finished for this long',
  },
  shutdownGraceMs: {
    name: 'INGESTION_SHUTDOWN_GRACE',
    type: 'duration',
    min: 0,
    max: 10 * MINUTE,
    default: 8 * SECOND,
    description: "On SIGTERM, how long the current window may finish before it is abandoned and the job is handed back (nak); keep it below the container's stop timeout (Docker: 10 s)",
  },
  importMaxBytes: {
    name: 'IMPORT_MAX_BYTES',
    type: 'int',
    min: 1_024,
    max: 16 * 1024 ** 3,
    default: 2 * 1024 ** 3,
    description: 'Largest imported or uploaded recording accepted (bytes); it is copied to a temporary file to probe and hash it',
  },
  importMaxHours: {
    name: 'IMPORT_MAX_HOURS',
    type: 'int',
    min: 1,
    max: 168,
    default: 48,
    description: 'Longest imported recording accepted (hours of audio); longer files are refused before any processing',
  },
  importProbeTimeoutMs: {
    name: 'IMPORT_PROBE_TIMEOUT',
    type: 'duration',
    min: SECOND,
    max: 10 * MINUTE,
    default: 60 * SECOND,
    description: 'How long ffprobe may take to read an imported file (a file it cannot read in time is refused as corrupt)',
  },
  ffprobePath: {
    name: 'IMPORT_FFPROBE_PATH',
    type: 'string',
    default: 'ffprobe',
    description: 'ffprobe executable (a path or a name on PATH) used to read an import\'s length and creation time',
  },
  ffmpegPath: {
    name: 'IMPORT_FFMPEG_PATH',
    type: 'string',
    default: 'ffmpeg',
    description: 'ffmpeg executable used to move an imported MP4/M4A/MOV file\'s index to its front (inference reads it as a stream)',
  },
});

export type IngestionConfig = ConfigOf<typeof INGESTION_CONFIG>;

/** Reads and validates the environment; throws `ConfigError` listing every bad variable. */
export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  return loadConfig(INGESTION_CONFIG, env);
}

/** For the boot log: secrets show as `[redacted]`. */
export function describeIngestionConfig(config: IngestionConfig): Record<string, string | number | boolean | undefined> {
  return describeConfig(INGESTION_CONFIG, config);
}
