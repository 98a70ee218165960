import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { putObjectStream } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';

/** Streams a finished upload into the audio bucket (BUCKETS.audio), chunk by chunk. */
@Injectable()
export class UploadObjects {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async put(name: string, body: Readable, metadata: Record<string, string>): Promise<void> {
    await putObjectStream(this.nats.audioBucket, name, body, { description: 'Uploaded recording (web)', metadata });
  }
}
