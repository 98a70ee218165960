import { Inject, Injectable } from '@nestjs/common';
import { putObjectStream } from '@giggles/messaging';
import type { AudioStore, StoredAudio } from '../services/ports';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Metadata key set once the window's SegmentReady is published (a redelivered job then skips it). */
export const PUBLISHED_METADATA_KEY = 'giggles-segment-published';

/** Downloaded windows in the JetStream object store (`BUCKETS.audio`, TTL-bound). */
@Injectable()
export class JetStreamAudioStore implements AudioStore {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async put(name: string, source: AsyncIterable<Uint8Array>, metadata: Record<string, string>): Promise<{ size: number }> {
    const info = await putObjectStream(this.nats.audioBucket, name, source, {
      description: 'Limitless audio window (Ogg Opus)',
      metadata,
    });
    return { size: info.size };
  }

  async find(name: string): Promise<StoredAudio | undefined> {
    const info = await this.nats.audioBucket.store.info(name);
    if (!info || info.deleted) return undefined;
    return { size: info.size, published: info.metadata?.[PUBLISHED_METADATA_KEY] === 'true' };
  }

  async markPublished(name: string): Promise<void> {
    const store = this.nats.audioBucket.store;
    const info = await store.info(name);
    if (!info || info.deleted) return; // already processed and deleted downstream
    await store.update(name, { name, description: info.description, metadata: { ...(info.metadata ?? {}), [PUBLISHED_METADATA_KEY]: 'true' } });
  }
}
