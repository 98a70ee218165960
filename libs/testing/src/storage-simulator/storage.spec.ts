import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintJwt } from '../jwt/mint-jwt';
import { type RouterHandle, startRouter } from '../router/start-router';
import { createSupabaseClient } from '../supabase/supabase-client';
import { byteRange, type StorageSimulator, startStorageSimulator } from './server';

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

  it('streams downloads and honours a byte Range like Storage (206, Content-Range, 416)', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
    await admin.storage.from('clips').upload('big.ogg', bytes, { contentType: 'audio/ogg' });
    const key = await mintJwt({ role: 'service_role' });
    const get = (range?: string) =>
      fetch(`${router.url}/storage/v1/object/authenticated/clips/big.ogg`, {
        headers: { Authorization: `Bearer ${key}`, ...(range ? { Range: range } : {}) },
      });

    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    // Streamed: the body arrives in more than one piece, the first long before the whole.
    let pieces = 0;
    const received: Buffer[] = [];
    for await (const piece of whole.body as unknown as AsyncIterable<Uint8Array>) {
      pieces++;
      received.push(Buffer.from(piece));
    }
    expect(pieces).toBeGreaterThan(1);
    expect(Buffer.concat(received).equals(bytes)).toBe(true);

    const middle = await get('bytes=1000-1999');
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(middle.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await middle.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);

    const open = await get(`bytes=${bytes.length - 10}-`);
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const suffix = await get('bytes=-5');
    expect(suffix.headers.get('content-range')).toBe(`bytes ${bytes.length - 5}-${bytes.length - 1}/${bytes.length}`);
    const pastEnd = await get(`bytes=${bytes.length - 2}-${bytes.length + 100}`);
    expect(pastEnd.headers.get('content-range')).toBe(`bytes ${bytes.length - 2}-${bytes.length - 1}/${bytes.length}`);
    expect((await pastEnd.arrayBuffer()).byteLength).toBe(2);

    const beyond = await get(`bytes=${bytes.length}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(await beyond.json()).toMatchObject({ statusCode: '416', error: 'InvalidRange' });

    // Several ranges, or no byte range at all, are ignored: the whole object.
    const several = await get('bytes=0-1,5-6');
    expect(several.status).toBe(200);
    expect((await several.arrayBuffer()).byteLength).toBe(bytes.length);
  });
});

describe('byteRange', () => {
  it('reads the single-range forms and nothing else', () => {
    expect(byteRange(undefined, 100)).toBeNull();
    expect(byteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-200', 100)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(byteRange('bytes=9-3', 100)).toBeNull();
    expect(byteRange('items=0-9', 100)).toBeNull();
    expect(byteRange('bytes=-', 100)).toBeNull();
  });
});
