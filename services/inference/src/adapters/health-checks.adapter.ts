import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CONSUMERS, STREAMS } from '@giggles/contracts';
import { HealthRegistry, type PipelineProgress } from '@giggles/health';
import type { InferenceConfig } from '../config/inference-config';
import { INFERENCE_SETTINGS, NATS, PIPELINE_PROGRESS, SEGMENT_SOURCE } from '../tokens';
import type { NatsConnectionAdapter } from './nats-connection.adapter';
import type { SegmentConsumerAdapter } from './segment-consumer.adapter';

/**
 * Readiness for /health/ready (@giggles/health): `nats` (connection and ping), `consumer` (the
 * durable `inference-segments` exists, with its counts), `pipeline` (segments waiting while no
 * analysis step finished for INFERENCE_STALL_AFTER is down; so is a stopped consumer runner) and
 * `memory` (RSS against MEMORY_LIMIT_MB, registered by the health module itself).
 */
@Injectable()
export class HealthChecksAdapter implements OnApplicationBootstrap {
  constructor(
    @Inject(HealthRegistry) private readonly registry: HealthRegistry,
    @Inject(NATS) private readonly nats: NatsConnectionAdapter,
    @Inject(SEGMENT_SOURCE) private readonly consumer: SegmentConsumerAdapter,
    @Inject(PIPELINE_PROGRESS) private readonly progress: PipelineProgress,
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addNats(this.nats.nc);
    this.registry.addJetStreamWorker({
      nc: this.nats.nc,
      stream: STREAMS.segments.name,
      durable: CONSUMERS.inferenceSegments,
      progress: this.progress,
      stallAfterMs: this.config.stallAfterMs,
      runner: () => this.consumer.health(),
    });
  }
}
