/**
 * The NATS side of the results handler's TransientObjects port: clip objects are read from
 * BUCKETS.clips (streamed chunk by chunk, digest-checked), and clip and audio objects are deleted
 * from BUCKETS.clips / BUCKETS.audio once their result is stored. A missing object reads as
 * ObjectNotFoundError (what the handler expects after a redelivery) and deletes as `false`.
 * `listAudio` serves the reconciliation run (stale audio objects whose TTL did not remove them).
 */
import { Inject, Injectable } from '@nestjs/common';
import { deleteObject, getObjectStream, putObjectStream, type ObjectBucket } from '@giggles/messaging';
import { type AudioBucket } from '../archive/audio-bucket';
import { type AudioObjects } from '../maintenance/audio-objects';
import { type AudioObjectInfo } from '../maintenance/reconcile-plan';
import { type TransientObjects } from '../results/transient-objects';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Where the buckets come from: the app's NATS connection, or a test's own. */
export interface TransientBuckets {
  readonly clipsBucket: ObjectBucket;
  readonly audioBucket: ObjectBucket;
}

export class ObjectStoreTransientObjects implements TransientObjects, AudioObjects, AudioBucket {
  constructor(private readonly buckets: TransientBuckets) {}

  readClip(name: string): AsyncIterable<Uint8Array> {
    return getObjectStream(this.buckets.clipsBucket, name);
  }

  deleteClip(name: string): Promise<boolean> {
    return deleteObject(this.buckets.clipsBucket, name);
  }

  deleteAudio(name: string): Promise<boolean> {
    return deleteObject(this.buckets.audioBucket, name);
  }

  readAudio(name: string): AsyncIterable<Uint8Array> {
    return getObjectStream(this.buckets.audioBucket, name);
  }

  async putAudio(name: string, source: AsyncIterable<Uint8Array>, metadata: Record<string, string>): Promise<number> {
    const info = await putObjectStream(this.buckets.audioBucket, name, source, { description: 'restored from the audio archive', metadata });
    return info.size;
  }

  /** Every audio object (not deleted) with its modification time. */
  async listAudio(): Promise<AudioObjectInfo[]> {
    const infos = await this.buckets.audioBucket.store.list();
    return infos.filter((info) => !info.deleted).map((info) => ({ name: info.name, mtimeMs: Date.parse(info.mtime) }));
  }
}

/** The adapter as a Nest provider over the app's NATS connection. */
@Injectable()
export class JetStreamTransientObjects extends ObjectStoreTransientObjects {
  constructor(@Inject(NatsConnectionAdapter) nats: NatsConnectionAdapter) {
    super(nats);
  }
}
