import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, PipelineProgress } from '@giggles/health';
import { telemetryShutdownProvider, type Telemetry } from '@giggles/observability';
import { JetStreamAudioStore } from './adapters/audio-store.adapter';
import { JetStreamJobPlanStore } from './adapters/job-plan-store.adapter';
import { LimitlessHttpClient } from './adapters/limitless-http.client';
import { NatsConnectionAdapter } from './adapters/nats-connection.adapter';
import { NatsPersistenceQueries } from './adapters/persistence-queries.adapter';
import { JetStreamPipelinePublisher } from './adapters/pipeline-publisher.adapter';
import type { IngestionConfig } from './config/ingestion-config';
import { systemClock, type Clock } from './domain/token-bucket';
import { DayJobConsumer } from './handlers/day-job.consumer';
import { IngestionRequestsServer } from './handlers/ingestion-requests.server';
import type { IngestionLogger } from './logging/logger';
import { ApiKeyService } from './services/api-key.service';
import { DayJobService } from './services/day-job.service';
import { FirstAudioService } from './services/first-audio.service';
import { IngestionMetrics } from './services/ingestion-metrics';
import { WindowDownloadService } from './services/window-download.service';
import { AUDIO_STORE, CLOCK, INGESTION_SETTINGS, JOB_PLANS, LIMITLESS_API, LOGGER, PERSISTENCE, PIPELINE_PROGRESS, PIPELINE_PUBLISHER, RANDOM } from './tokens';

export interface AppModuleOptions {
  clock?: Clock;
  random?: () => number;
  /** Flushed as the last step of shutdown (main.ts starts it before the app). */
  telemetry?: Telemetry;
}

/**
 * handlers (DayJobConsumer) → services (DayJobService, WindowDownloadService, ApiKeyService) →
 * adapters (Limitless HTTP client, NATS connection, audio object store, pipeline publisher,
 * persistence queries). Only adapters touch the network. Health and /metrics via @giggles/health.
 */
@Module({})
export class AppModule {
  static forRoot(config: IngestionConfig, logger: IngestionLogger, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [HealthModule.forService({ service: 'ingestion', memoryLimitMb: config.memoryLimitMb })],
      providers: [
        { provide: INGESTION_SETTINGS, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: RANDOM, useValue: options.random ?? Math.random },
        ...(options.telemetry ? [telemetryShutdownProvider(options.telemetry)] : []),
        { provide: PIPELINE_PROGRESS, useValue: new PipelineProgress() },
        NatsConnectionAdapter,
        { provide: LIMITLESS_API, useClass: LimitlessHttpClient },
        { provide: AUDIO_STORE, useClass: JetStreamAudioStore },
        { provide: JOB_PLANS, useClass: JetStreamJobPlanStore },
        { provide: PIPELINE_PUBLISHER, useClass: JetStreamPipelinePublisher },
        { provide: PERSISTENCE, useClass: NatsPersistenceQueries },
        IngestionMetrics,
        ApiKeyService,
        WindowDownloadService,
        DayJobService,
        DayJobConsumer,
        FirstAudioService,
        IngestionRequestsServer,
      ],
      exports: [NatsConnectionAdapter, DayJobService, DayJobConsumer],
    };
  }
}
