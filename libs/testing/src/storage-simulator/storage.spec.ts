import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintJwt } from '../jwt/mint-jwt';
import { type RouterHandle, startRouter } from '../router/start-router';
import { createSupabaseClient } from '../supabase/supabase-client';
import { type StorageSimulator, startStorageSimulator } from './server';

let storage: StorageSimulator;
let router: RouterHandle;
let admin: SupabaseClient;

beforeAll(async () => {
  storage = await startStorageSimulator({ buckets: ['clips', { id: 'open', public: true }] });
  router = await startRouter({ routes: { '/storage/v1': storage.url } });
  admin = createSupabaseClient(router.url, await mintJwt({ role: 'service_role' }));
});
afterAll(async () => {
  await router?.stop();
  await storage?.stop();
});

describe('Storage simulator through supabase-js', () => {
  it('uploads, downloads, lists and removes objects under /object/{bucket}/{path}', async () => {
    const wav = Buffer.from('RIFF....WAVEfmt fake clip bytes');
    const up = await admin.storage.from('clips').upload('user-1/2025-01-15/clip-1.wav', wav, { contentType: 'audio/wav' });
    expect(up.error).toBeNull();
    expect(up.data).toMatchObject({ path: 'user-1/2025-01-15/clip-1.wav', fullPath: 'clips/user-1/2025-01-15/clip-1.wav' });
    expect(existsSync(join(storage.root, 'clips', 'user-1', '2025-01-15', 'clip-1.wav'))).toBe(true);

    const down = await admin.storage.from('clips').download('user-1/2025-01-15/clip-1.wav');
    expect(down.error).toBeNull();
    expect(Buffer.from(await (down.data as Blob).arrayBuffer()).equals(wav)).toBe(true);
    expect((down.data as Blob).type).toBe('audio/wav');

    await admin.storage.from('clips').upload('user-1/2025-01-15/clip-2.wav', new Blob([wav], { type: 'audio/wav' }));
    const top = await admin.storage.from('clips').list('user-1');
    expect(top.data?.map((e) => e.name)).toEqual(['2025-01-15']);
    const day = await admin.storage.from('clips').list('user-1/2025-01-15');
    expect(day.data?.map((e) => [e.name, e.metadata?.size])).toEqual([
      ['clip-1.wav', wav.length],
      ['clip-2.wav', wav.length],
    ]);

    const removed = await admin.storage.from('clips').remove(['user-1/2025-01-15/clip-1.wav', 'missing.wav']);
    expect(removed.error).toBeNull();
    expect(removed.data?.map((o) => o.name)).toEqual(['user-1/2025-01-15/clip-1.wav']);
    const gone = await admin.storage.from('clips').download('user-1/2025-01-15/clip-1.wav');
    expect(gone.error).not.toBeNull();
  });

  it('refuses to overwrite without upsert, and overwrites with it', async () => {
    await admin.storage.from('clips').upload('dup.bin', Buffer.from('one'));
    const again = await admin.storage.from('clips').upload('dup.bin', Buffer.from('two'));
    expect(again.error?.message).toMatch(/already exists/);
    const upsert = await admin.storage.from('clips').upload('dup.bin', Buffer.from('two'), { upsert: true });
    expect(upsert.error).toBeNull();
    const down = await admin.storage.from('clips').download('dup.bin');
    expect(Buffer.from(await (down.data as Blob).arrayBuffer()).toString()).toBe('two');
  });

  it('manages buckets and enforces roles', async () => {
    expect((await admin.storage.createBucket('made-later')).error).toBeNull();
    expect((await admin.storage.listBuckets()).data?.map((b) => b.name).sort()).toEqual(['clips', 'made-later', 'open']);
    expect((await admin.storage.createBucket('made-later')).error).not.toBeNull();
    expect((await admin.storage.deleteBucket('made-later')).error).toBeNull();

    const user = createSupabaseClient(router.url, await mintJwt({ role: 'authenticated' }));
    expect((await user.storage.from('clips').download('dup.bin')).error).toBeNull();
    expect((await user.storage.from('clips').upload('x.bin', Buffer.from('x'))).error).not.toBeNull();
    const noToken = await fetch(`${router.url}/storage/v1/object/clips/dup.bin`);
    expect(noToken.status).toBe(400);

    await admin.storage.from('open').upload('hello.txt', Buffer.from('hi'), { contentType: 'text/plain' });
    const pub = await fetch(admin.storage.from('open').getPublicUrl('hello.txt').data.publicUrl);
    expect(await pub.text()).toBe('hi');
    expect((await fetch(`${router.url}/storage/v1/object/clips/../secret`)).status).toBeGreaterThanOrEqual(400);
  });
});
