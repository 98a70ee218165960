import { createHash } from 'node:crypto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Objm, type ObjectInfo, type ObjectStore } from '@nats-io/obj';
import { objectStoreStreamName } from './topology';

/**
 * Streaming object-store access. Memory stays at one chunk (128 KiB by default) in each
 * direction whatever the object's size: puts pull from the source only as chunks are stored,
 * and gets fetch the next chunk only when the reader asks for it. (nats.js's own `get()` pushes
 * every chunk into an unbounded queue, so a slow reader would hold the whole object.)
 */

export interface ObjectBucket {
  readonly name: string;
  readonly store: ObjectStore;
  readonly jsm: JetStreamManager;
}

export interface PutObjectMeta {
  description?: string;
  /** Small string facts about the object (user id, window) — stored with it, shown by `nats obj info`. */
  metadata?: Record<string, string>;
  /** Bytes per stored chunk. Default 128 KiB; capped by the server's max payload. */
  chunkSize?: number;
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly bucket: string, readonly object: string) {
    super(`object ${object} not found in bucket ${bucket}`);
  }
}

/** Opens an existing bucket (create buckets with `ensureTopology`). */
export async function openObjectBucket(js: JetStreamClient, name: string): Promise<ObjectBucket> {
  const store = await new Objm(js).open(name);
  return { name, store, jsm: await js.jetstreamManager() };
}

export async function putObjectStream(bucket: ObjectBucket, name: string, source: AsyncIterable<Uint8Array>, meta: PutObjectMeta = {}): Promise<ObjectInfo> {
  return bucket.store.put(
    {
      name,
      description: meta.description,
      metadata: meta.metadata,
      options: meta.chunkSize ? { max_chunk_size: meta.chunkSize } : undefined,
    },
    pullingStream(source),
  );
}

/** The object's bytes, chunk by chunk, checked against its SHA-256 digest at the end. */
export async function* getObjectStream(bucket: ObjectBucket, name: string): AsyncGenerator<Uint8Array, void, undefined> {
  const info = await bucket.store.info(name);
  if (!info || info.deleted) throw new ObjectNotFoundError(bucket.name, name);
  if (info.options?.link) throw new Error(`object ${name} in bucket ${bucket.name} is a link; links are not supported`);
  const stream = objectStoreStreamName(bucket.name);
  const chunkSubject = `$O.${bucket.name}.C.${info.nuid}`;
  const hash = createHash('sha256');
  let nextSeq = 0;
  let size = 0;
  for (let chunk = 0; chunk < info.chunks; chunk++) {
    const msg = await bucket.jsm.direct.getMessage(stream, { next_by_subj: chunkSubject, seq: nextSeq });
    if (!msg) throw new Error(`object ${name} in bucket ${bucket.name} lost chunk ${chunk + 1} of ${info.chunks} (expired or replaced while reading)`);
    nextSeq = msg.seq + 1;
    size += msg.data.length;
    hash.update(msg.data);
    yield msg.data;
  }
  const digest = `SHA-256=${hash.digest('base64url')}`;
  if (size !== info.size || !sameDigest(digest, info.digest)) {
    throw new Error(`object ${name} in bucket ${bucket.name} is corrupt: read ${size} bytes with ${digest}, expected ${info.size} bytes with ${info.digest}`);
  }
}

/** Deletes the object; false when it did not exist. */
export async function deleteObject(bucket: ObjectBucket, name: string): Promise<boolean> {
  const info = await bucket.store.info(name);
  if (!info || info.deleted) return false;
  await bucket.store.delete(name);
  return true;
}

/** nats.js writes the digest base64url *with* padding; Node's base64url has none. */
function sameDigest(computed: string, stored: string): boolean {
  return computed.replace(/=+$/, '') === stored.replace(/=+$/, '');
}

/** A ReadableStream that asks `source` for the next chunk only when the store reads one. */
function pullingStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
