import { ConfigError, defineConfig, describeConfig, HEALTH_CONFIG, loadConfig, LOGGING_CONFIG, NATS_CONFIG, OTEL_CONFIG, type ConfigOf, type ConfigProblem } from '@giggles/config';
import { HEALTH_SERVER_CONFIG } from '@giggles/health';
import { TOPOLOGY_DEFAULTS } from '@giggles/messaging';
import { validateCronExpression } from 'cron';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 100 years: the largest retention anyone means. */
const MAX_RETENTION_DAYS = 36_500;

/** Every environment variable the scheduler reads; validated once at boot. */
export const SCHEDULER_CONFIG = defineConfig({
  ...NATS_CONFIG,
  ...LOGGING_CONFIG,
  ...OTEL_CONFIG,
  ...HEALTH_CONFIG,
  ...HEALTH_SERVER_CONFIG,
  tickIntervalMs: {
    name: 'SCHEDULER_TICK_INTERVAL',
    type: 'duration',
    min: SECOND,
    max: HOUR,
    default: 5 * MINUTE,
    description: 'How often the scheduler looks for due days (and stalled jobs)',
  },
  settleMs: {
    name: 'SCHEDULER_SETTLE_DELAY',
    type: 'duration',
    min: 0,
    max: 72 * HOUR,
    default: 2 * HOUR,
    description: "A local day is processed this long after it ended: the pendant uploads late",
  },
  catchUpDays: {
    name: 'SCHEDULER_CATCH_UP_DAYS',
    type: 'int',
    min: 1,
    max: 90,
    default: 7,
    description: 'Due days as far back as today minus this many days are published (after downtime, oldest first)',
  },
  maxJobsInFlightPerUser: {
    name: 'SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER',
    type: 'int',
    min: 1,
    max: 50,
    default: 2,
    description: "A user's planned or running jobs above which the scheduler publishes none of theirs (fairness)",
  },
  stalledAfterMs: {
    name: 'SCHEDULER_STALLED_JOB_AFTER',
    type: 'duration',
    min: MINUTE,
    max: DAY,
    default: 30 * MINUTE,
    description: 'A registered job still planned with no progress for this long is published again',
  },
  retryBaseMs: {
    name: 'SCHEDULER_RETRY_BASE',
    type: 'duration',
    min: MINUTE,
    max: DAY,
    default: 60 * MINUTE,
    description: 'Retry n of a day with gaps (or of a failed day) waits base × 2^(n−1) after the previous run',
  },
  maxRetries: {
    name: 'SCHEDULER_MAX_RETRIES',
    type: 'int',
    min: 0,
    max: 20,
    default: 6,
    description: 'Retries of a day with gaps before giving up on its gaps (failed days are then left for the operator)',
  },
  maxReprocessDays: {
    name: 'SCHEDULER_MAX_REPROCESS_DAYS',
    type: 'int',
    min: 1,
    max: 366,
    default: 31,
    description: 'Longest date range one reprocess command may clear and process again',
  },
  queryTimeoutMs: {
    name: 'SCHEDULER_QUERY_TIMEOUT',
    type: 'duration',
    min: 100,
    max: 5 * MINUTE,
    default: 10 * SECOND,
    description: 'How long to wait for persistence to answer a query',
  },
  backfillIntervalMs: {
    name: 'SCHEDULER_BACKFILL_INTERVAL',
    type: 'duration',
    min: SECOND,
    max: HOUR,
    default: 5 * SECOND,
    description: 'How often backfill jobs are topped up: one persistence query; a day of history finishes in seconds, so a longer interval idles between days (the 5-minute tick alone would make a year take days)',
  },
  backfillMaxInFlight: {
    name: 'SCHEDULER_BACKFILL_MAX_IN_FLIGHT',
    type: 'int',
    min: 1,
    max: 50,
    default: 2,
    description: "Backfill jobs of all users planned or running at once: the most a nightly or on-demand job can find ahead of it in ingestion's queue",
  },
  backfillJobsPerUser: {
    name: 'SCHEDULER_BACKFILL_JOBS_PER_USER',
    type: 'int',
    min: 1,
    max: 50,
    default: 1,
    description: "One user's backfill jobs planned or running at once (also within SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER, so their nightly and on-demand jobs keep a slot)",
  },
  backfillEarliestDate: {
    name: 'SCHEDULER_BACKFILL_EARLIEST_DATE',
    type: 'string',
    maxLength: 10,
    default: '2023-01-01',
    description: 'Where the search for a user\'s first day with audio starts (YYYY-MM-DD, UTC): nothing older exists',
  },
  firstAudioTimeoutMs: {
    name: 'SCHEDULER_FIRST_AUDIO_TIMEOUT',
    type: 'duration',
    min: SECOND,
    max: 30 * MINUTE,
    default: 3 * MINUTE,
    description: "How long the backfill command waits for ingestion to find the first day with audio (a search takes up to ~150 requests under the key's rate limit)",
  },
  reprocessProbeTimeoutMs: {
    name: 'SCHEDULER_REPROCESS_PROBE_TIMEOUT',
    type: 'duration',
    min: 500,
    max: MINUTE,
    default: 5 * SECOND,
    description:
      'How long a reprocess waits for its probe of Limitless before clearing days; no answer counts as unreachable (days whose audio is not archived are then kept). Below the gateway\'s GATEWAY_QUERY_TIMEOUT',
  },
  apiOutagePauseAfterMs: {
    name: 'SCHEDULER_API_OUTAGE_PAUSE_AFTER',
    type: 'duration',
    min: MINUTE,
    max: 30 * DAY,
    default: 24 * HOUR,
    description: "A user's downloads pause once every Limitless request of their jobs failed to connect for this long (no gap retries pile up)",
  },
  apiProbeIntervalMs: {
    name: 'SCHEDULER_API_PROBE_INTERVAL',
    type: 'duration',
    min: MINUTE,
    max: DAY,
    default: HOUR,
    description: 'While paused, how often one request checks whether Limitless answers again (then downloads resume by themselves)',
  },
  deadLettersShown: {
    name: 'SCHEDULER_STATUS_DEAD_LETTERS',
    type: 'int',
    min: 0,
    max: 100,
    default: 5,
    description: 'Latest dead letters listed by the status command',
  },
  reconcileCron: {
    name: 'RECONCILE_CRON',
    type: 'string',
    maxLength: 100,
    default: '30 3 * * *',
    description: 'When the daily reconciliation and data-lifecycle run starts (cron expression, UTC)',
  },
  reconcileTimeoutMs: {
    name: 'RECONCILE_TIMEOUT',
    type: 'duration',
    min: SECOND,
    max: 2 * HOUR,
    default: 15 * MINUTE,
    description: 'How long to wait for persistence to finish a reconciliation run',
  },
  retentionClipsDays: {
    name: 'RETENTION_CLIPS_DAYS',
    type: 'int',
    min: 1,
    max: MAX_RETENTION_DAYS,
    optional: true,
    description: 'Clips older than this many days are deleted (the detection stays); empty = keep forever',
  },
  retentionDetectionsDays: {
    name: 'RETENTION_DETECTIONS_DAYS',
    type: 'int',
    min: 1,
    max: MAX_RETENTION_DAYS,
    optional: true,
    description: 'Detections older than this many days are deleted with their clips; empty = keep forever',
  },
  retentionLogsDays: {
    name: 'RETENTION_LOGS_DAYS',
    type: 'int',
    min: 1,
    max: MAX_RETENTION_DAYS,
    optional: true,
    description: 'Processing logs older than this many days are deleted; empty = keep forever',
  },
  stuckJobMinutes: {
    name: 'RECONCILE_STUCK_JOB_MINUTES',
    type: 'int',
    min: 10,
    max: 10_080,
    default: 360,
    description: 'Jobs planned or running with no update for this long are marked failed (their days become due again)',
  },
  lostImportMinutes: {
    name: 'RECONCILE_LOST_IMPORT_MINUTES',
    type: 'int',
    min: 5,
    max: 10_080,
    default: 30,
    description: 'An accepted import still processing with no progress for this long (ingestion died) is marked failed with IMPORT_INTERRUPTED, so the same file can be uploaded again',
  },
  staleAudioMinutes: {
    name: 'RECONCILE_STALE_AUDIO_MINUTES',
    type: 'int',
    min: 10,
    max: 10_080,
    default: TOPOLOGY_DEFAULTS.audioTtlMs / MINUTE,
    description: "Audio objects older than this are deleted (default: the audio bucket's TTL)",
  },
  maxDeletions: {
    name: 'RECONCILE_MAX_DELETIONS',
    type: 'int',
    min: 0,
    max: 1_000_000,
    default: 1000,
    description: 'Most deletions of one reconciliation run; beyond it the run stops and says so',
  },
  maxClipShare: {
    name: 'RECONCILE_MAX_CLIP_SHARE',
    type: 'float',
    min: 0,
    max: 1,
    default: 0.5,
    description: 'Largest share of all stored clips one run may delete (a guard against a wrong retention setting)',
  },
});

export type SchedulerConfig = ConfigOf<typeof SCHEDULER_CONFIG>;

/**
 * Reads and validates the environment; throws one `ConfigError` listing every bad variable,
 * including a cron expression that the cron library cannot parse.
 */
export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const problems: ConfigProblem[] = [];
  let config: SchedulerConfig | undefined;
  try {
    config = loadConfig(SCHEDULER_CONFIG, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const cron = env[SCHEDULER_CONFIG.reconcileCron.name]?.trim() || SCHEDULER_CONFIG.reconcileCron.default;
  const cronProblem = cronExpressionProblem(cron);
  if (cronProblem && !problems.some((p) => p.name === SCHEDULER_CONFIG.reconcileCron.name)) {
    problems.push({ name: SCHEDULER_CONFIG.reconcileCron.name, problem: `${cronProblem} (got ${JSON.stringify(cron)})` });
  }
  const earliest = config?.backfillEarliestDate;
  if (earliest !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(earliest) && Number.isFinite(Date.parse(`${earliest}T00:00:00Z`)))) {
    problems.push({ name: SCHEDULER_CONFIG.backfillEarliestDate.name, problem: `must be a date YYYY-MM-DD (got ${JSON.stringify(earliest)})` });
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}

function cronExpressionProblem(expression: string): string | undefined {
  const fields = expression.split(/\s+/).filter(Boolean).length;
  if (fields !== 5 && fields !== 6) return 'must be a cron expression of 5 fields (minute hour day month weekday) or 6 (with seconds first)';
  const result = validateCronExpression(expression);
  return result.valid ? undefined : `must be a valid cron expression: ${result.error?.message ?? 'unparseable'}`;
}

/** For the boot log. */
export function describeSchedulerConfig(config: SchedulerConfig): Record<string, string | number | boolean | undefined> {
  return describeConfig(SCHEDULER_CONFIG, config);
}
