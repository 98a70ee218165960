import { describe, expect, it } from 'vitest';
import { migrateFromEnv } from './migrate';

describe('migrateFromEnv', () => {
  it('refuses to run without DATABASE_URL', async () => {
    await expect(migrateFromEnv({}, () => undefined)).rejects.toThrow(/DATABASE_URL is not set/);
  });
});
