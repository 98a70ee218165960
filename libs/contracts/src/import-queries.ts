import type { ErrorInfo } from './payloads';

/**
 * Recordings from any source (issue 10): an uploaded or CLI-imported file is placed on the user's
 * timeline and becomes segments like a downloaded window. Subjects: QUERIES.importBegin and
 * QUERIES.importsList (persistence), INGESTION_REQUESTS.importRecording (ingestion).
 */

/** Where the file came from. */
export const IMPORT_SOURCES = ['cli', 'upload'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** How its start was found (libs/recordings placement). */
export const IMPORT_PLACEMENTS = ['start', 'embedded', 'name'] as const;
export type ImportPlacedBy = (typeof IMPORT_PLACEMENTS)[number];

/**
 * An import's state: refused before processing (cannot place, corrupt, unsupported, too large —
 * `error` says which), processing, done (every part processed), failed (inference could not use
 * the audio — `error`).
 */
export const IMPORT_STATES = ['rejected', 'processing', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** Stable codes of a refused or failed import (the page and the CLI word them). */
export const IMPORT_ERROR_CODES = {
  cannotPlace: 'CANNOT_PLACE',
  invalidStart: 'INVALID_START',
  unsupported: 'UNSUPPORTED',
  corrupt: 'CORRUPT',
  empty: 'EMPTY',
  tooLarge: 'TOO_LARGE',
  tooLong: 'TOO_LONG',
  duplicate: 'DUPLICATE',
  missing: 'OBJECT_MISSING',
} as const;

/** Longest file name kept (longer names are cut; the name is shown, never used as a path). */
export const IMPORT_FILE_NAME_MAX = 255;

export interface ImportDay {
  localDate: string;
  /** Live laughs of the user inside this day's part of the recording. */
  laughs: number;
}

export interface ImportRecord {
  importId: string;
  fileName: string;
  sha256: string;
  bytes: number;
  source: ImportSource;
  state: ImportState;
  placedBy?: ImportPlacedBy;
  startMs?: number;
  endMs?: number;
  timezone?: string;
  /** The local days the recording covers, in order (empty when refused). */
  days: ImportDay[];
  laughs: number;
  error?: ErrorInfo;
  createdAt: string;
}

/** giggles.query.imports.begin — what ingestion found; placement fields absent when refused. */
export interface ImportBeginRequest {
  userId: string;
  fileName: string;
  sha256: string;
  bytes: number;
  source: ImportSource;
  placedBy?: ImportPlacedBy;
  startMs?: number;
  endMs?: number;
  timezone?: string;
  /** Local days the recording is split into (its segments). */
  days?: string[];
  /** Set when the file is refused; the row is kept so lists show why. */
  error?: ErrorInfo;
}
/** `duplicate`: this user already imported a file with this sha256 (and it was not refused): nothing changed. */
export interface ImportBeginReply {
  import: ImportRecord;
  duplicate: boolean;
}

/** giggles.query.imports.list — newest first; `importId` for one. */
export interface ImportsListRequest {
  userId: string;
  limit: number;
  importId?: string;
}
export interface ImportsListReply {
  imports: ImportRecord[];
}

/** giggles.ingestion.import — an object already streamed into BUCKETS.audio. */
export interface ImportRecordingRequest {
  userId: string;
  /** Name in BUCKETS.audio; ingestion deletes it when the file is refused or a duplicate. */
  audioObject: string;
  fileName: string;
  source: ImportSource;
  /** Explicit start (ISO-8601; no offset = the user's local time). */
  start?: string;
}
export interface ImportRecordingReply {
  import: ImportRecord;
  duplicate: boolean;
}
