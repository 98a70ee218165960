import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, PipelineProgress } from '@giggles/health';
import { HealthChecksAdapter } from './adapters/health-checks.adapter';
import { PrometheusSegmentMetrics } from './adapters/prometheus-metrics.adapter';
import { AudioObjectStoreAdapter } from './adapters/audio-object-store.adapter';
import { ClipObjectStoreAdapter } from './adapters/clip-object-store.adapter';
import { NatsConnectionAdapter } from './adapters/nats-connection.adapter';
import { JetStreamResultPublisher } from './adapters/result-publisher.adapter';
import { SegmentConsumerAdapter } from './adapters/segment-consumer.adapter';
import { YamnetModelAdapter } from './adapters/yamnet-model.adapter';
import type { InferenceConfig } from './config/inference-config';
import { SegmentWorker } from './handlers/segment.worker';
import type { InferenceLogger } from './logging/logger';
import { SegmentProcessor } from './services/segment-processor.service';
import { YamnetLaughterAnalyzer } from './services/yamnet-laughter-analyzer';
import {
  AUDIO_SOURCE,
  CLIP_STORE,
  INFERENCE_SETTINGS,
  LAUGHTER_ANALYZER,
  LOGGER,
  NATS,
  PIPELINE_PROGRESS,
  RESULT_PUBLISHER,
  SEGMENT_METRICS,
  SEGMENT_PROCESSOR,
  SEGMENT_SOURCE,
  YAMNET,
} from './tokens';

/**
 * handlers (SegmentWorker) → services (SegmentProcessor, YamnetLaughterAnalyzer) → adapters
 * (NATS connection, audio/clip object stores, result publisher, segment consumer, model, health
 * checks, metrics). Only adapters touch NATS, the object store and files. `/health/live`,
 * `/health/ready` and `/metrics` come from @giggles/health on HEALTH_PORT.
 */
@Module({})
export class AppModule {
  static forRoot(config: InferenceConfig, logger: InferenceLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.forService({ service: 'inference', memoryLimitMb: config.memoryLimitMb })],
      providers: [
        { provide: INFERENCE_SETTINGS, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: NATS, useClass: NatsConnectionAdapter },
        { provide: YAMNET, useClass: YamnetModelAdapter },
        { provide: AUDIO_SOURCE, useClass: AudioObjectStoreAdapter },
        { provide: CLIP_STORE, useClass: ClipObjectStoreAdapter },
        { provide: RESULT_PUBLISHER, useClass: JetStreamResultPublisher },
        { provide: SEGMENT_SOURCE, useClass: SegmentConsumerAdapter },
        { provide: LAUGHTER_ANALYZER, useClass: YamnetLaughterAnalyzer },
        { provide: SEGMENT_METRICS, useClass: PrometheusSegmentMetrics },
        { provide: PIPELINE_PROGRESS, useValue: new PipelineProgress() },
        { provide: SEGMENT_PROCESSOR, useClass: SegmentProcessor },
        SegmentWorker,
        HealthChecksAdapter,
      ],
      exports: [NATS, SEGMENT_SOURCE, SEGMENT_PROCESSOR, YAMNET],
    };
  }
}
