import { ConfigError } from '@giggles/config';
import { describe, expect, it } from 'vitest';
import { loadSchedulerConfig } from '../src/config/scheduler-config';

describe('scheduler config', () => {
  it('defaults', () => {
    const config = loadSchedulerConfig({});
    expect(config).toMatchObject({
      tickIntervalMs: 5 * 60_000,
      settleMs: 2 * 3_600_000,
      catchUpDays: 7,
      maxJobsInFlightPerUser: 2,
      stalledAfterMs: 30 * 60_000,
      retryBaseMs: 60 * 60_000,
      maxRetries: 6,
      maxReprocessDays: 31,
      reconcileCron: '30 3 * * *',
      stuckJobMinutes: 360,
      lostImportMinutes: 30,
      staleAudioMinutes: 1440,
      maxDeletions: 1000,
      maxClipShare: 0.5,
      retentionClipsDays: undefined,
      retentionDetectionsDays: undefined,
      retentionLogsDays: undefined,
    });
  });

  it('empty retention = keep forever; values are parsed', () => {
    expect(loadSchedulerConfig({ RETENTION_CLIPS_DAYS: '', RETENTION_LOGS_DAYS: '30', SCHEDULER_TICK_INTERVAL: '1m' })).toMatchObject({
      retentionClipsDays: undefined,
      retentionLogsDays: 30,
      tickIntervalMs: 60_000,
    });
  });

  it('one error lists every bad variable, the cron expression included', () => {
    let error: unknown;
    try {
      loadSchedulerConfig({ SCHEDULER_TICK_INTERVAL: 'soon', SCHEDULER_CATCH_UP_DAYS: '0', RECONCILE_MAX_CLIP_SHARE: '2', RECONCILE_CRON: '61 3 * * *' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.name)).toEqual(['SCHEDULER_TICK_INTERVAL', 'SCHEDULER_CATCH_UP_DAYS', 'RECONCILE_MAX_CLIP_SHARE', 'RECONCILE_CRON']);
    expect((error as ConfigError).message).toMatch(/4 problems/);
    expect(() => loadSchedulerConfig({ RECONCILE_CRON: 'every night' })).toThrow(/RECONCILE_CRON: must be a cron expression/);
  });
});
