import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule, PipelineProgress } from '@giggles/health';
import { telemetryShutdownProvider, type Telemetry } from '@giggles/observability';
import { JetStreamAudioStore } from './adapters/audio-store.adapter';
import { JetStreamImportObjects } from './adapters/import-objects.adapter';
import { NatsImportQueries } from './adapters/import-queries.adapter';
import { FfprobeRecordingProbe } from './adapters/recording-probe.adapter';
import { FfmpegRecordingRemuxer } from './adapters/recording-remuxer.adapter';
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
import { ImportService } from './services/import.service';
import { IngestionMetrics } from './services/ingestion-metrics';
import { WindowDownloadService } from './services/window-download.service';
import { AUDIO_STORE, CLOCK, IMPORT_OBJECTS, IMPORT_QUERIES, INGESTION_SETTINGS, JOB_PLANS, LIMITLESS_API, LOGGER, PERSISTENCE, PIPELINE_PROGRESS, PIPELINE_PUBLISHER, RANDOM, RECORDING_PROBE, RECORDING_REMUXER } from './tokens';

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
        { provide: IMPORT_OBJECTS, useClass: JetStreamImportObjects },
        { provide: RECORDING_PROBE, useClass: FfprobeRecordingProbe },
        { provide: RECORDING_REMUXER, useClass: FfmpegRecordingRemuxer },
        { provide: IMPORT_QUERIES, useClass: NatsImportQueries },
        ImportService,
        IngestionRequestsServer,
      ],
      exports: [NatsConnectionAdapter, DayJobService, DayJobConsumer],
    };
  }
}
