import { Inject, Injectable } from '@nestjs/common';
import { messageIds, SUBJECTS, type JobProgress, type SegmentReady, type WindowOutcome } from '@giggles/contracts';
import { publishDurable } from '@giggles/messaging';
import type { PipelinePublisher } from '../services/ports';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/**
 * Publishes ingestion's messages to JetStream and waits for the stream's ack. Message ids are
 * deterministic (contracts `messageIds`), so a redelivered job's repeats are dropped by the stream.
 */
@Injectable()
export class JetStreamPipelinePublisher implements PipelinePublisher {
  constructor(@Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter) {}

  async segmentReady(payload: SegmentReady): Promise<void> {
    const id = messageIds.segmentReady(payload.userId, payload.windowStartMs, payload.windowEndMs, payload.jobId);
    await publishDurable(this.nats.js, SUBJECTS.segmentReady, payload, id);
  }

  async windowOutcome(payload: WindowOutcome): Promise<void> {
    const id = messageIds.windowOutcome(payload.userId, payload.windowStartMs, payload.windowEndMs, payload.jobId);
    await publishDurable(this.nats.js, SUBJECTS.windowOutcome, payload, id);
  }

  async jobProgress(payload: JobProgress): Promise<void> {
    await publishDurable(this.nats.js, SUBJECTS.jobProgress, payload, messageIds.jobProgress(payload.jobId, payload.status));
  }
}
