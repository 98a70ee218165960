import { defineConfig, type ConfigOf } from '@giggles/config';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const MIB = 1024 * 1024;

/** The upload routes' settings: part of GATEWAY_CONFIG, validated once at boot with every other variable. */
export const UPLOADS_CONFIG = defineConfig({
  uploadMaxBytes: {
    name: 'UPLOAD_MAX_BYTES',
    type: 'int',
    min: MIB,
    max: 16 * 1024 * MIB,
    default: 2 * 1024 * MIB,
    description: "Largest recording one upload may be (bytes); keep it at most ingestion's IMPORT_MAX_BYTES",
  },
  uploadChunkMaxBytes: {
    name: 'UPLOAD_CHUNK_MAX_BYTES',
    type: 'int',
    min: 64 * 1024,
    max: 64 * MIB,
    default: 8 * MIB,
    description: 'Largest chunk one PUT /api/uploads/{id} may carry (the page sends chunks of this size)',
  },
  uploadDir: {
    name: 'UPLOAD_DIR',
    type: 'string',
    default: '',
    description: "Directory for uploads in progress (one sub-directory per user; they survive a page reload and a gateway restart). Empty: giggles-uploads in the OS temp directory",
  },
  uploadImportTimeoutMs: {
    name: 'UPLOAD_IMPORT_TIMEOUT',
    type: 'duration',
    min: SECOND,
    max: 30 * MINUTE,
    default: 5 * MINUTE,
    description: 'How long finishing an upload waits for ingestion to probe, place and record the file',
  },
  uploadMaxInProgressPerUser: {
    name: 'UPLOAD_MAX_IN_PROGRESS_PER_USER',
    type: 'int',
    min: 1,
    max: 1000,
    default: 50,
    description: 'Uploads one user may have started and not finished at once (each holds disk); one more → 429',
  },
  uploadAbandonedAfterHours: {
    name: 'UPLOAD_ABANDONED_AFTER_HOURS',
    type: 'int',
    min: 1,
    max: 720,
    default: 48,
    description: 'An unfinished upload that received no bytes for this many hours is deleted by the hourly cleanup (the page then starts that file over)',
  },
});

export type UploadsConfig = ConfigOf<typeof UPLOADS_CONFIG>;

export const UPLOADS_SETTINGS = Symbol('UPLOADS_SETTINGS');
