/** SupabaseAudioArchiveStore against the harness's Storage simulator (storage-js over /storage/v1). */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '@giggles/testing';
import { archiveFolder, archivePath } from '../src/archive/archive-path';
import { ArchiveFileNotFoundError } from '../src/archive/audio-archive-store';
import { SupabaseAudioArchiveStore } from '../src/archive/supabase-audio-archive-store';
import { UnsafeClipPathError } from '../src/clips/clip-path';
import { toBuffer } from '../src/clips/clip-store';
import { createServiceClient } from '../src/database/supabase-client';
import { ADMIN_URL } from './support/database';
import { userId } from './support/fixtures';

describe('SupabaseAudioArchiveStore', () => {
  let harness: Harness;
  let store: SupabaseAudioArchiveStore;

  beforeAll(async () => {
    harness = await startHarness({ nats: false, postgres: { url: ADMIN_URL, databasePrefix: 'giggles' }, storageBuckets: ['audio-archive'] });
    store = new SupabaseAudioArchiveStore(createServiceClient({ url: harness.supabaseUrl!, serviceRoleKey: harness.serviceRoleKey }), 'audio-archive');
  });
  afterAll(() => harness?.stop());

  it('streams windows in with their digest, lists, reads and deletes them', async () => {
    const user = userId();
    const a = archivePath({ userId: user, localDate: '2024-03-01', windowStartMs: 1000, windowEndMs: 2000 });
    const b = archivePath({ userId: user, localDate: '2024-03-02', windowStartMs: 3000, windowEndMs: 4000 });
    const big = Buffer.alloc(300_000, 7);
    async function* parts(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < big.length; i += 65_536) yield big.subarray(i, i + 65_536);
    }
    expect(await store.put(a, parts())).toEqual({ bytes: big.length, sha256: createHash('sha256').update(big).digest('hex') });
    await store.put(b, (async function* () { yield Buffer.from('OggS'); })());
    expect((await toBuffer(await store.get(a))).equals(big)).toBe(true);
    expect(await store.list(archiveFolder(user))).toEqual([a, b]);
    expect(await store.list(archiveFolder(user, '2024-03-02'))).toEqual([b]);
    expect(await store.delete(a)).toBe(true);
    expect(await store.exists(a)).toBe(false);
    await expect(store.get(a)).rejects.toBeInstanceOf(ArchiveFileNotFoundError);
    await expect(store.put('../x.ogg', (async function* () { yield Buffer.from('x'); })())).rejects.toBeInstanceOf(UnsafeClipPathError);
  });
});
