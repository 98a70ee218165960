import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteObject, ensureTopology, getObjectStream, ObjectNotFoundError, objectStoreStreamName, openObjectBucket, putObjectStream, type ObjectBucket } from '../src';
import { connectTestNats, deleteStreams, uniqueNames, type Nats } from './nats-fixture';

/** Deterministic pseudo-random bytes produced lazily, `chunks` pieces of `size` bytes. */
async function* generated(chunks: number, size: number, produced: { chunks: number }): AsyncGenerator<Uint8Array> {
  let state = 12345;
  for (let i = 0; i < chunks; i++) {
    const chunk = new Uint8Array(size);
    for (let j = 0; j < size; j++) {
      state = (state * 1103515245 + 12345) >>> 0;
      chunk[j] = state >>> 24;
    }
    produced.chunks++;
    yield chunk;
  }
}

describe('object store streaming', () => {
  let nats: Nats;
  let bucket: ObjectBucket;
  const names = uniqueNames();

  beforeAll(async () => {
    nats = await connectTestNats();
    await ensureTopology(nats.jsm, { streams: [], buckets: [{ name: names.bucket, ttlMs: 600_000 }] });
    bucket = await openObjectBucket(nats.js, names.bucket);
  });

  afterAll(async () => {
    await deleteStreams(nats.jsm, [objectStoreStreamName(names.bucket)]);
    await nats.nc.close();
  });

  it('round-trips a multi-MB stream chunk by chunk and deletes it', async () => {
    const produced = { chunks: 0 };
    const expected = createHash('sha256');
    for await (const chunk of generated(48, 100_000, { chunks: 0 })) expected.update(chunk);

    const info = await putObjectStream(bucket, 'audio/window-1.ogg', generated(48, 100_000, produced), {
      metadata: { userId: 'u1' },
    });
    expect(produced.chunks).toBe(48);
    expect(info.size).toBe(4_800_000);
    expect(info.chunks).toBe(Math.ceil(4_800_000 / (128 * 1024)));

    const actual = createHash('sha256');
    let pieces = 0;
    let largest = 0;
    for await (const chunk of getObjectStream(bucket, 'audio/window-1.ogg')) {
      actual.update(chunk);
      pieces++;
      largest = Math.max(largest, chunk.length);
    }
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
    expect(pieces).toBe(info.chunks);
    expect(largest).toBeLessThanOrEqual(128 * 1024);
    expect((await bucket.store.info('audio/window-1.ogg'))?.metadata).toEqual({ userId: 'u1' });

    expect(await deleteObject(bucket, 'audio/window-1.ogg')).toBe(true);
    expect(await deleteObject(bucket, 'audio/window-1.ogg')).toBe(false);
    await expect(getObjectStream(bucket, 'audio/window-1.ogg').next()).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('pulls from the source only as fast as chunks are stored', async () => {
    // If put() drained the source eagerly, every chunk would be produced before the first is stored.
    const produced = { chunks: 0 };
    const observed: number[] = [];
    async function* watched(): AsyncGenerator<Uint8Array> {
      for await (const chunk of generated(20, 128 * 1024, produced)) {
        observed.push((await nats.jsm.streams.info(objectStoreStreamName(names.bucket))).state.messages);
        yield chunk;
      }
    }
    await putObjectStream(bucket, 'paced', watched());
    expect(observed[0]).toBeLessThan(observed[observed.length - 1]!);
    await deleteObject(bucket, 'paced');
  });

  it('stores and reads back an empty object', async () => {
    await putObjectStream(bucket, 'empty', (async function* () {})());
    const chunks: Uint8Array[] = [];
    for await (const chunk of getObjectStream(bucket, 'empty')) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });
});
