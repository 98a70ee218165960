import { defineConfig, loadConfig, type ConfigOf } from '@giggles/config';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** The laughter routes' settings: part of GATEWAY_CONFIG, so they are validated once at boot with every other variable. */
export const LAUGHTER_CONFIG = defineConfig({
  jobEventsPollIntervalMs: {
    name: 'GATEWAY_JOB_EVENTS_POLL_INTERVAL',
    type: 'duration',
    min: 100,
    max: MINUTE,
    default: SECOND,
    description: "How often a job's progress stream asks persistence for the job's progress",
  },
  jobEventsMaxStreamsPerUser: {
    name: 'GATEWAY_JOB_EVENTS_MAX_STREAMS_PER_USER',
    type: 'int',
    min: 1,
    max: 100,
    default: 4,
    description: 'Progress streams one user may hold open at once (each polls persistence); one more → 429',
  },
  jobEventsMaxDurationMs: {
    name: 'GATEWAY_JOB_EVENTS_MAX_DURATION',
    type: 'duration',
    min: SECOND,
    max: 24 * 60 * MINUTE,
    default: 30 * MINUTE,
    description: 'Longest a progress stream stays open; the browser reconnects (EventSource) if the job still runs',
  },
  jobEventsKeepAliveMs: {
    name: 'GATEWAY_JOB_EVENTS_KEEPALIVE',
    type: 'duration',
    min: SECOND,
    max: 5 * MINUTE,
    default: 15 * SECOND,
    description: 'A progress stream with nothing new sends an SSE comment this often, so proxies do not close it as idle',
  },
  exportPageSize: {
    name: 'GATEWAY_EXPORT_PAGE_SIZE',
    type: 'int',
    min: 1,
    max: 1_000,
    default: 500,
    description: 'Laughs asked of persistence per page while an export streams (persistence caps a page at 1000)',
  },
  legacyMaxDays: {
    name: 'GATEWAY_LEGACY_SUMMARY_MAX_DAYS',
    type: 'int',
    min: 1,
    max: 10_000,
    default: 3_660,
    description: 'Most days the original `GET /api/daily-summary` lists (it has no paging; ten years by default)',
  },
});

export type LaughterConfig = ConfigOf<typeof LAUGHTER_CONFIG>;

export const LAUGHTER_SETTINGS = Symbol('LAUGHTER_SETTINGS');

/** These settings alone (unit tests); the running gateway reads them through loadGatewayConfig. */
export function loadLaughterConfig(env: NodeJS.ProcessEnv = process.env): LaughterConfig {
  return loadConfig(LAUGHTER_CONFIG, env);
}
