import { Inject, Injectable } from '@nestjs/common';
import { deleteObject, putObjectStream } from '@giggles/messaging';
import type { ClipStore } from '../services/ports';
import { NATS } from '../tokens';
import type { NatsConnectionAdapter } from './nats-connection.adapter';

/** Clip WAVs (BUCKETS.clips); persistence moves them into clip storage. */
@Injectable()
export class ClipObjectStoreAdapter implements ClipStore {
  constructor(@Inject(NATS) private readonly nats: NatsConnectionAdapter) {}

  async put(name: string, wav: Uint8Array, metadata: Record<string, string>): Promise<void> {
    await putObjectStream(this.nats.clipBucket, name, once(wav), { description: 'laughter clip (16 kHz mono WAV)', metadata });
  }

  remove(name: string): Promise<boolean> {
    return deleteObject(this.nats.clipBucket, name);
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
