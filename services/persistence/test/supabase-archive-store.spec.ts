/**
 * SupabaseAudioArchiveStore against the harness's Storage simulator (storage-js and plain GETs over
 * /storage/v1), including what it does when Storage does not honour a Range header.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '@giggles/testing';
import { archiveFolder, archivePath } from '../src/archive/archive-path';
import { ArchiveFileNotFoundError } from '../src/archive/audio-archive-store';
import { SupabaseAudioArchiveStore } from '../src/archive/supabase-audio-archive-store';
import { UnsafeClipPathError } from '../src/clips/clip-path';
import { toBuffer } from '../src/clips/clip-store';
import { StorageObjectReader, StorageRangeError } from '../src/clips/storage-object-reader';
import { createServiceClient } from '../src/database/supabase-client';
import { ADMIN_URL } from './support/database';
import { userId } from './support/fixtures';

describe('SupabaseAudioArchiveStore', () => {
  let harness: Harness;
  let store: SupabaseAudioArchiveStore;
  /** A store whose requests pass through `rewrite` on their way to the same simulator. */
  const storeVia = (rewrite: (init: RequestInit) => RequestInit, answer: (response: Response) => Response = (r) => r) =>
    new SupabaseAudioArchiveStore(
      createServiceClient({ url: harness.supabaseUrl!, serviceRoleKey: harness.serviceRoleKey }),
      'audio-archive',
      new StorageObjectReader({
        url: harness.supabaseUrl!,
        serviceRoleKey: harness.serviceRoleKey,
        fetch: async (input, init) => answer(await fetch(input, rewrite(init ?? {}))),
      }),
    );

  beforeAll(async () => {
    harness = await startHarness({ nats: false, postgres: { url: ADMIN_URL, databasePrefix: 'giggles' }, storageBuckets: ['audio-archive'] });
    store = storeVia((init) => init);
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

  it('reads byte ranges as streams, and copes with a Storage that ignores Range', async () => {
    const path = archivePath({ userId: userId(), localDate: '2024-03-03', windowStartMs: 5000, windowEndMs: 6000 });
    const bytes = Buffer.from(Array.from({ length: 1_000_000 }, (_, i) => (i * 13) % 256));
    await store.put(path, (async function* () { yield bytes; })());
    const read = async (from: SupabaseAudioArchiveStore, start: number, end: number) => toBuffer(await from.get(path, { start, end }));

    expect((await read(store, 262_144, 524_287)).equals(bytes.subarray(262_144, 524_288))).toBe(true);
    expect((await read(store, 999_990, 1_500_000)).equals(bytes.subarray(999_990))).toBe(true);
    expect((await read(store, 1_000_000, 1_000_010)).length).toBe(0); // 416: past the end reads nothing

    // A server that answers 200 with the whole object: the store slices it while streaming.
    const ignoring = storeVia((init) => ({ ...init, headers: { ...(init.headers as Record<string, string>), Range: '' } }));
    expect((await read(ignoring, 300_000, 300_999)).equals(bytes.subarray(300_000, 301_000))).toBe(true);
    expect((await read(ignoring, 0, 0)).equals(bytes.subarray(0, 1))).toBe(true);

    // A 206 for other bytes than asked: a clear error, never wrong bytes.
    const shifted = storeVia(
      (init) => ({ ...init, headers: { ...(init.headers as Record<string, string>), Range: 'bytes=10-19' } }),
    );
    await expect(read(shifted, 0, 9)).rejects.toBeInstanceOf(StorageRangeError);
    const unlabelled = storeVia((init) => init, (r) => new Response(r.body, { status: r.status, headers: { 'content-type': 'audio/ogg' } }));
    await expect(read(unlabelled, 0, 9)).rejects.toThrow(/Content-Range \(none\)/);
  });
});
