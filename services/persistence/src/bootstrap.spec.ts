import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { migrateAtBoot } from './bootstrap';
import { loadPersistenceConfig } from './config/persistence-config';
import { createPersistenceLogger } from './logging/logger';

describe('migrateAtBoot', () => {
  it('skips migrations with a clear log line when DATABASE_URL is not set', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadPersistenceConfig({
      SUPABASE_URL: 'https://project.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-0123456789',
      GIGGLES_ENCRYPTION_KEY: 'ab'.repeat(32),
    });
    await expect(migrateAtBoot(config, createPersistenceLogger('info', sink))).resolves.toBeUndefined();
    expect(lines.join('')).toMatch(/DATABASE_URL is not set: skipping migrations/);
  });
});
