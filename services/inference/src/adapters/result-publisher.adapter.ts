import { Inject, Injectable } from '@nestjs/common';
import { SUBJECTS, type SegmentResult } from '@giggles/contracts';
import { publishDurable } from '@giggles/messaging';
import type { PublishOutcome, ResultPublisher } from '../services/ports';
import { NATS } from '../tokens';
import type { NatsConnectionAdapter } from './nats-connection.adapter';

/** SegmentResults on `giggles.results.segment`; resolves once the stream has stored the message. */
@Injectable()
export class JetStreamResultPublisher implements ResultPublisher {
  constructor(@Inject(NATS) private readonly nats: NatsConnectionAdapter) {}

  async publish(result: SegmentResult, msgId: string): Promise<PublishOutcome> {
    const ack = await publishDurable(this.nats.js, SUBJECTS.segmentResult, result, msgId);
    return { duplicate: ack.duplicate, seq: ack.seq };
  }
}
