export { runMigrations, loadMigrations, MIGRATIONS_DIR, MigrationChecksumError, MigrationFailedError } from './database/migration-runner';
export type { Migration, MigrationReport, RunMigrationsOptions } from './database/migration-runner';
export { migrateFromEnv } from './database/migrate';
export { createServiceClient, SUPABASE_CLIENT, type GigglesSupabaseClient, type ServiceClientOptions } from './database/supabase-client';
export { DatabaseError } from './database/database-error';
export type * from './database/database.types';
export { clipPath, detectionKey, safeSegments, UnsafeClipPathError } from './clips/clip-path';
export { ClipNotFoundError, toBuffer, type ByteRange, type ClipData, type ClipStore } from './clips/clip-store';
export { FsClipStore } from './clips/fs-clip-store';
export { SupabaseClipStore } from './clips/supabase-clip-store';
export { StorageObjectReader, StorageRangeError, type StorageObjectReaderOptions } from './clips/storage-object-reader';
export { SupabaseAudioArchiveStore } from './archive/supabase-audio-archive-store';
export { ResultsRepository, type SegmentWrite, type StoredEvent, type WindowWrite, type JobWrite } from './repositories/results.repository';
export { UsersRepository, type UserProfile } from './repositories/users.repository';
export { KeysRepository, KEY_CIPHER } from './repositories/keys.repository';
export { SegmentsRepository, DONE_WINDOW_STATUSES } from './repositories/segments.repository';
export { DetectionsRepository, type DayDetection, type DeletedDetection } from './repositories/detections.repository';
export { DaysRepository, type DaySummary } from './repositories/days.repository';
export { JobsRepository } from './repositories/jobs.repository';
export { ResultsHandler, CLIP_STORE, TRANSIENT_OBJECTS, type SegmentHandled } from './results/results.handler';
export { isObjectNotFound, type TransientObjects } from './results/transient-objects';
export { fetchWithTimeout } from './database/supabase-client';
export { AppModule, type AppModuleOptions } from './app.module';
export { createPersistenceApp, migrateAtBoot } from './bootstrap';
export {
  PERSISTENCE_CONFIG,
  loadPersistenceConfig,
  describePersistenceConfig,
  redeliverySchedule,
  type PersistenceConfig,
} from './config/persistence-config';
export { ObjectStoreTransientObjects, JetStreamTransientObjects, type TransientBuckets } from './adapters/transient-objects.adapter';
export { ResultsService, type ResultStored } from './services/results.service';
export { QueriesService } from './services/queries.service';
export { DetectionsService, type DetectionDeleted } from './services/detections.service';
export { decodeResultMessage, type ResultMessage, type ResultKind } from './services/result-message';
export { failureRecordFor, DEAD_LETTER_ERROR_CODE, type FailureRecord } from './services/dead-letter-failure';
