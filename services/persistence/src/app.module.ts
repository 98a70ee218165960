import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { KeyCipher } from '@giggles/crypto';
import { HealthModule, PipelineProgress } from '@giggles/health';
import { DatabaseHealthAdapter } from './adapters/database-health.adapter';
import { NatsConnectionAdapter } from './adapters/nats-connection.adapter';
import { JetStreamTransientObjects } from './adapters/transient-objects.adapter';
import { type ClipStore } from './clips/clip-store';
import { FsClipStore } from './clips/fs-clip-store';
import { STORAGE_OBJECT_READER, StorageObjectReader } from './clips/storage-object-reader';
import { SupabaseClipStore } from './clips/supabase-clip-store';
import type { PersistenceConfig } from './config/persistence-config';
import { createServiceClient, fetchWithTimeout, SUPABASE_CLIENT, type GigglesSupabaseClient } from './database/supabase-client';
import { QueryServerHandler } from './handlers/query.server';
import { ResultsConsumer } from './handlers/results.consumer';
import type { PersistenceLogger } from './logging/logger';
import { AccountRepository } from './repositories/account.repository';
import { DaysRepository } from './repositories/days.repository';
import { DetectionsRepository } from './repositories/detections.repository';
import { JobsRepository } from './repositories/jobs.repository';
import { KEY_CIPHER, KeysRepository } from './repositories/keys.repository';
import { LaughsRepository } from './repositories/laughs.repository';
import { ResultsRepository } from './repositories/results.repository';
import { SegmentsRepository } from './repositories/segments.repository';
import { UserDaysRepository } from './repositories/user-days.repository';
import { UsersRepository } from './repositories/users.repository';
import { CLIP_STORE, ResultsHandler, TRANSIENT_OBJECTS, WINDOW_ARCHIVER } from './results/results.handler';
import { type AudioArchiveStore } from './archive/audio-archive-store';
import { AudioArchiveRepository } from './archive/audio-archive.repository';
import { ARCHIVE_SETTINGS, AudioArchiveService, type ArchiveSettings } from './archive/audio-archive.service';
import { AUDIO_ARCHIVE_STORE, AUDIO_BUCKET } from './archive/audio-bucket';
import { FsAudioArchiveStore } from './archive/fs-audio-archive-store';
import { SupabaseAudioArchiveStore } from './archive/supabase-audio-archive-store';
import { type TransientObjects } from './results/transient-objects';
import { AUDIO_OBJECTS } from './maintenance/audio-objects';
import { MaintenanceRepository } from './maintenance/maintenance.repository';
import { ArchiveReconciler } from './maintenance/archive-reconciler';
import { ReconcileService } from './maintenance/reconcile.service';
import { AccountService } from './services/account.service';
import { ClearDaysService } from './services/clear-days.service';
import { ClipReaderService } from './services/clip-reader.service';
import { DetectionsService } from './services/detections.service';
import { LaughsService } from './services/laughs.service';
import { PersistenceMetrics } from './services/persistence-metrics';
import { QueriesService } from './services/queries.service';
import { ResultsService } from './services/results.service';
import { UserClipFiles } from './services/user-clip-files';
import { UserDaysService } from './services/user-days.service';
import { LOGGER, PERSISTENCE_SETTINGS, PIPELINE_PROGRESS, SHUTDOWN_CALLBACKS } from './tokens';
import { HistoryQueryService } from './history/history-query.handlers';
import { HistoryRepository } from './history/history.repository';
import { ImportQueryService } from './imports/import-query.handlers';
import { ImportsRepository } from './imports/imports.repository';

export interface AppModuleOptions {
  /** Wraps the object-store adapter (tests inject faults mid-handler with it). */
  decorateTransientObjects?: (objects: TransientObjects) => TransientObjects;
  /** Run at shutdown after everything else stopped (main.ts flushes telemetry here). */
  onShutdown?: () => Promise<void> | void;
}

/** Runs AppModuleOptions.onShutdown in the shutdown sequence (after the consumer and queries stopped). */
@Injectable()
class ShutdownCallbacks implements OnApplicationShutdown {
  constructor(@Inject(SHUTDOWN_CALLBACKS) private readonly callbacks: Array<() => Promise<void> | void>) {}

  async onApplicationShutdown(): Promise<void> {
    for (const callback of this.callbacks) await callback();
  }
}

/**
 * handlers (ResultsConsumer, QueryServerHandler) → services (ResultsService + ResultsHandler,
 * QueriesService, DetectionsService) → repositories (supabase-js) and adapters (NATS connection,
 * object store, clip store). Only repositories and adapters touch the outside world.
 * Health (/health/live, /health/ready: NATS, consumer, pipeline, database, memory) and /metrics
 * come from @giggles/health.
 */
@Module({})
export class AppModule {
  static forRoot(config: PersistenceConfig, logger: PersistenceLogger, options: AppModuleOptions = {}): DynamicModule {
    const decorate = options.decorateTransientObjects ?? ((objects: TransientObjects) => objects);
    return {
      module: AppModule,
      imports: [HealthModule.forService({ service: 'persistence', memoryLimitMb: config.memoryLimitMb })],
      providers: [
        { provide: PERSISTENCE_SETTINGS, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: PIPELINE_PROGRESS, useValue: new PipelineProgress() },
        { provide: SHUTDOWN_CALLBACKS, useValue: options.onShutdown ? [options.onShutdown] : [] },
        ShutdownCallbacks,
        {
          provide: SUPABASE_CLIENT,
          useFactory: (): GigglesSupabaseClient =>
            createServiceClient({
              url: config.supabaseUrl,
              serviceRoleKey: config.supabaseServiceRoleKey,
              fetch: fetchWithTimeout(config.databaseRequestTimeoutMs),
            }),
        },
        {
          provide: STORAGE_OBJECT_READER,
          useFactory: (): StorageObjectReader =>
            new StorageObjectReader({
              url: config.supabaseUrl,
              serviceRoleKey: config.supabaseServiceRoleKey,
              fetch: fetchWithTimeout(config.databaseRequestTimeoutMs),
            }),
        },
        { provide: KEY_CIPHER, useFactory: () => KeyCipher.fromHex(config.encryptionKey) },
        {
          provide: CLIP_STORE,
          inject: [SUPABASE_CLIENT, STORAGE_OBJECT_READER],
          useFactory: (db: GigglesSupabaseClient, reader: StorageObjectReader): Promise<ClipStore> | ClipStore =>
            config.clipStorage === 'supabase' ? new SupabaseClipStore(db, config.clipStorageBucket, reader) : FsClipStore.open(config.clipStorageDir),
        },
        {
          provide: ARCHIVE_SETTINGS,
          useValue: { mode: config.audioArchive, retentionDays: config.audioArchiveRetentionDays } satisfies ArchiveSettings,
        },
        {
          provide: AUDIO_ARCHIVE_STORE,
          inject: [SUPABASE_CLIENT, STORAGE_OBJECT_READER],
          useFactory: (db: GigglesSupabaseClient, reader: StorageObjectReader): Promise<AudioArchiveStore | null> | AudioArchiveStore | null => {
            if (config.audioArchive === 'supabase') return new SupabaseAudioArchiveStore(db, config.audioArchiveBucket, reader);
            if (config.audioArchive === 'filesystem') return FsAudioArchiveStore.open(config.audioArchiveDir);
            return null;
          },
        },
        NatsConnectionAdapter,
        JetStreamTransientObjects,
        { provide: AUDIO_BUCKET, useExisting: JetStreamTransientObjects },
        AudioArchiveRepository,
        AudioArchiveService,
        { provide: WINDOW_ARCHIVER, useExisting: AudioArchiveService },
        {
          provide: TRANSIENT_OBJECTS,
          inject: [JetStreamTransientObjects],
          useFactory: (objects: JetStreamTransientObjects): TransientObjects => decorate(objects),
        },
        { provide: AUDIO_OBJECTS, useExisting: JetStreamTransientObjects },
        DatabaseHealthAdapter,
        UsersRepository,
        KeysRepository,
        SegmentsRepository,
        DetectionsRepository,
        DaysRepository,
        JobsRepository,
        ResultsRepository,
        MaintenanceRepository,
        AccountRepository,
        LaughsRepository,
        UserDaysRepository,
        ResultsHandler,
        PersistenceMetrics,
        ResultsService,
        QueriesService,
        DetectionsService,
        ClearDaysService,
        ArchiveReconciler,
        ReconcileService,
        UserClipFiles,
        AccountService,
        UserDaysService,
        LaughsService,
        ClipReaderService,
        HistoryRepository,
        HistoryQueryService,
        ImportsRepository,
        ImportQueryService,
        ResultsConsumer,
        QueryServerHandler,
      ],
      exports: [
        NatsConnectionAdapter,
        ResultsService,
        QueriesService,
        DetectionsService,
        ClearDaysService,
        ReconcileService,
        ResultsConsumer,
        KeysRepository,
        AudioArchiveService,
      ],
    };
  }
}
