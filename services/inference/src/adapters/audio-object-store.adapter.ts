import { Inject, Injectable } from '@nestjs/common';
import { getObjectStream, ObjectNotFoundError } from '@giggles/messaging';
import { AudioObjectMissingError, type AudioObjectSource } from '../services/ports';
import { NATS } from '../tokens';
import type { NatsConnectionAdapter } from './nats-connection.adapter';

/** Audio objects (BUCKETS.audio), streamed one chunk at a time: never the whole object in memory. */
@Injectable()
export class AudioObjectStoreAdapter implements AudioObjectSource {
  constructor(@Inject(NATS) private readonly nats: NatsConnectionAdapter) {}

  open(name: string): AsyncIterable<Uint8Array> {
    return this.stream(name);
  }

  private async *stream(name: string): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      yield* getObjectStream(this.nats.audioBucket, name);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw new AudioObjectMissingError(name, { cause: error });
      throw error;
    }
  }
}
