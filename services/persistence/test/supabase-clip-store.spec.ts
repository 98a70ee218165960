/** SupabaseClipStore against the harness's Storage simulator (storage-js and plain GETs over /storage/v1). */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '@giggles/testing';
import { clipPath, UnsafeClipPathError } from '../src/clips/clip-path';
import { ClipNotFoundError, toBuffer } from '../src/clips/clip-store';
import { StorageObjectReader } from '../src/clips/storage-object-reader';
import { SupabaseClipStore } from '../src/clips/supabase-clip-store';
import { createServiceClient } from '../src/database/supabase-client';
import { ADMIN_URL } from './support/database';
import { userId } from './support/fixtures';

describe('SupabaseClipStore', () => {
  let harness: Harness;
  let store: SupabaseClipStore;

  beforeAll(async () => {
    harness = await startHarness({ nats: false, postgres: { url: ADMIN_URL, databasePrefix: 'giggles' }, storageBuckets: ['clips'] });
    store = new SupabaseClipStore(
      createServiceClient({ url: harness.supabaseUrl!, serviceRoleKey: harness.serviceRoleKey }),
      'clips',
      new StorageObjectReader({ url: harness.supabaseUrl!, serviceRoleKey: harness.serviceRoleKey }),
    );
  });
  afterAll(() => harness?.stop());

  it('puts, overwrites, gets, lists and deletes clips', async () => {
    const user = userId();
    const a = clipPath(user, '2024-03-01', '1709247610000-13');
    const b = clipPath(user, '2024-03-02', '1709333000000-15');
    await store.put(a, Buffer.from('RIFF-one'));
    await store.put(a, Readable.from([Buffer.from('RIFF-'), Buffer.from('two')]));
    await store.put(b, new Uint8Array([1, 2, 3]));

    expect(await store.exists(a)).toBe(true);
    expect((await toBuffer(await store.get(a))).toString()).toBe('RIFF-two');
    expect([...(await toBuffer(await store.get(b)))]).toEqual([1, 2, 3]);
    expect((await toBuffer(await store.get(a, { start: 2, end: 4 }))).toString()).toBe('FF-');
    expect((await toBuffer(await store.get(a, { start: 5, end: 99 }))).toString()).toBe('two');
    expect((await toBuffer(await store.get(a, { start: 8, end: 9 }))).length).toBe(0);
    expect(await store.list(`${user}/`)).toEqual([a, b]);
    expect(await store.list(`${user}/2024-03-02`)).toEqual([b]);

    expect(await store.delete(a)).toBe(true);
    expect(await store.delete(a)).toBe(false);
    expect(await store.exists(a)).toBe(false);
    await expect(store.get(a)).rejects.toBeInstanceOf(ClipNotFoundError);
    expect(await store.list(user)).toEqual([b]);
  });

  it('answers for paths that were never stored', async () => {
    const missing = clipPath(userId(), '2024-03-01', 'nothing');
    expect(await store.exists(missing)).toBe(false);
    expect(await store.delete(missing)).toBe(false);
    await expect(store.get(missing)).rejects.toBeInstanceOf(ClipNotFoundError);
    await expect(store.get(missing, { start: 0, end: 9 })).rejects.toBeInstanceOf(ClipNotFoundError);
    expect(await store.list(userId())).toEqual([]);
  });

  it('rejects unsafe paths before asking Storage', async () => {
    for (const path of ['../x.wav', '/abs.wav', 'a/../../b.wav', 'a\0.wav', 'a//b.wav']) {
      await expect(store.put(path, Buffer.from('x'))).rejects.toBeInstanceOf(UnsafeClipPathError);
      await expect(store.get(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
      await expect(store.delete(path)).rejects.toBeInstanceOf(UnsafeClipPathError);
    }
  });
});
