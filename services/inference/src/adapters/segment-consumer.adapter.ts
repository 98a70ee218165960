import { Inject, Injectable } from '@nestjs/common';
import { CONSUMERS, decodePayload, parseSegmentReady, STREAMS, SUBJECTS, type DeadLetter, type SegmentReady } from '@giggles/contracts';
import { runConsumer, type ConsumerHandle, type ConsumerHealth } from '@giggles/messaging';
import type { InferenceConfig } from '../config/inference-config';
import type { InferenceLogger } from '../logging/logger';
import type { SegmentRun, SegmentSource } from '../services/ports';
import { INFERENCE_SETTINGS, LOGGER, NATS } from '../tokens';
import type { NatsConnectionAdapter } from './nats-connection.adapter';

/**
 * The durable pull consumer `inference-segments` on GIGGLES_SEGMENTS (@giggles/messaging's
 * runner): each worker pulls ONE message at a time; invalid payloads are dead-lettered at once;
 * a handler that resolves is acked (after the result publish was acknowledged), one that throws is
 * naked with backoff until INFERENCE_MAX_DELIVER, then dead-lettered; `working()` heartbeats keep
 * the ack timer from expiring during a long analysis.
 */
@Injectable()
export class SegmentConsumerAdapter implements SegmentSource {
  private handle: ConsumerHandle | undefined;

  constructor(
    @Inject(NATS) private readonly nats: NatsConnectionAdapter,
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
    @Inject(LOGGER) private readonly logger: InferenceLogger,
  ) {}

  async start(
    handler: (segment: SegmentReady, run: Omit<SegmentRun, 'signal'>) => Promise<void>,
    onGiveUp: (segment: SegmentReady, reason: string) => Promise<void>,
  ): Promise<void> {
    if (this.handle) return;
    this.handle = await runConsumer<SegmentReady>({
      js: this.nats.js,
      stream: STREAMS.segments.name,
      durable: CONSUMERS.inferenceSegments,
      filterSubject: SUBJECTS.segmentReady,
      decode: (data) => decodePayload(SUBJECTS.segmentReady, data),
      handle: (segment, ctx) => handler(segment, { deliveryCount: ctx.deliveryCount, heartbeat: () => ctx.working() }),
      onDeadLetter: async (segment, reason, letter) => {
        const parsed = segment ?? parseDeadLetterPayload(letter);
        if (parsed) await onGiveUp(parsed, reason);
      },
      maxDeliver: this.config.maxDeliver,
      ackWaitMs: this.config.ackWaitMs,
      concurrency: this.config.concurrency,
      logger: this.logger,
    });
    this.logger.info(
      { stream: STREAMS.segments.name, durable: CONSUMERS.inferenceSegments, concurrency: this.config.concurrency, ackWaitMs: this.config.ackWaitMs, maxDeliver: this.config.maxDeliver },
      'consuming segment events',
    );
  }

  async stop(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    await handle.stop();
  }

  health(): ConsumerHealth | undefined {
    return this.handle?.health();
  }
}

/** A message dead-lettered before decoding (its last attempt crashed) may still be a valid segment. */
function parseDeadLetterPayload(letter: DeadLetter): SegmentReady | undefined {
  try {
    return parseSegmentReady(JSON.parse(letter.payload));
  } catch {
    return undefined;
  }
}
