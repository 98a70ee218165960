import { ConfigError } from '@giggles/config';
import { describe, expect, it } from 'vitest';
import { describePersistenceConfig, loadPersistenceConfig, redeliverySchedule } from './persistence-config';

const KEY = 'ab'.repeat(32);
const SERVICE_KEY = 'service-role-key-0123456789';
const BASE = { SUPABASE_URL: 'https://project.supabase.co', SUPABASE_SERVICE_ROLE_KEY: SERVICE_KEY, GIGGLES_ENCRYPTION_KEY: KEY };

describe('persistence config', () => {
  it('needs only the Supabase project and the encryption key; everything else has a default', () => {
    const config = loadPersistenceConfig(BASE);
    expect(config).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      databaseUrl: undefined,
      clipStorage: 'fs',
      clipStorageDir: '/var/lib/giggles/clips',
      healthPort: 3000,
      memoryLimitMb: 512,
      concurrency: 2,
      maxDeliver: 10,
      redeliveryDelayMs: 5_000,
      audioArchive: 'off',
      audioArchiveDir: '/var/lib/giggles/archive',
      audioArchiveRetentionDays: 0,
    });
  });

  it('bounds the audio archive settings', () => {
    expect(loadPersistenceConfig({ ...BASE, AUDIO_ARCHIVE: 'filesystem', AUDIO_ARCHIVE_RETENTION_DAYS: '30' })).toMatchObject({
      audioArchive: 'filesystem',
      audioArchiveRetentionDays: 30,
    });
    for (const bad of [{ AUDIO_ARCHIVE: 'tape' }, { AUDIO_ARCHIVE_RETENTION_DAYS: '-1' }, { AUDIO_ARCHIVE_RETENTION_DAYS: '40000' }, { AUDIO_ARCHIVE_BUCKET: '../x' }]) {
      expect(() => loadPersistenceConfig({ ...BASE, ...bad })).toThrow(ConfigError);
    }
  });

  it('lists every bad variable in one error, without secret values', () => {
    const error = (() => {
      try {
        loadPersistenceConfig({
          SUPABASE_SERVICE_ROLE_KEY: SERVICE_KEY,
          GIGGLES_ENCRYPTION_KEY: 'not-hex-secret',
          DATABASE_URL: 'mysql://user:hunter2@db/x',
          CLIP_STORAGE: 's3',
          PERSISTENCE_CONCURRENCY: '0',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.name).sort();
    expect(names).toEqual(['CLIP_STORAGE', 'DATABASE_URL', 'GIGGLES_ENCRYPTION_KEY', 'PERSISTENCE_CONCURRENCY', 'SUPABASE_URL']);
    const text = (error as ConfigError).message;
    expect(text).not.toContain('not-hex-secret');
    expect(text).not.toContain('hunter2');
  });

  it('describes the effective config with secrets redacted', () => {
    const described = describePersistenceConfig(loadPersistenceConfig({ ...BASE, DATABASE_URL: 'postgres://postgres:hunter2@db:5432/giggles' }));
    const text = JSON.stringify(described);
    expect(described.DATABASE_URL).toBe('[redacted]');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(SERVICE_KEY);
    expect(text).not.toContain(KEY);
  });

  it('doubles redelivery delays up to the cap', () => {
    expect(redeliverySchedule(5_000, 600_000, 10)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
    expect(redeliverySchedule(100, 1_000, 1)).toEqual([100]);
  });
});
