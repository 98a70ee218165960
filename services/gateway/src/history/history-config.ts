import { defineConfig, type ConfigOf } from '@giggles/config';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** The history routes' settings: part of GATEWAY_CONFIG, validated once at boot with every other variable. */
export const HISTORY_CONFIG = defineConfig({
  backfillStartTimeoutMs: {
    name: 'GATEWAY_BACKFILL_START_TIMEOUT',
    type: 'duration',
    min: SECOND,
    max: 30 * MINUTE,
    // The scheduler may search Limitless for the first day with audio for up to SCHEDULER_FIRST_AUDIO_TIMEOUT (3m) first.
    default: 4 * MINUTE,
    description: 'How long POST /api/backfill waits for the scheduler, which may first search Limitless for the first day with audio (longer than SCHEDULER_FIRST_AUDIO_TIMEOUT)',
  },
});

export type HistoryConfig = ConfigOf<typeof HISTORY_CONFIG>;

export const HISTORY_SETTINGS = Symbol('HISTORY_SETTINGS');
