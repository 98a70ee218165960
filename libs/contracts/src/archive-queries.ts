/**
 * The audio archive (issue 10, "keep the audio", opt-in): request/reply payloads for the
 * QUERIES.archive* subjects answered by `persistence`. Same `QueryReply` envelope and validation
 * as the other QUERIES. Every request names the user; persistence answers only with that user's
 * archive (`not_found` for anything else, which the gateway turns into 404).
 */

/** The deployment's archive storage (persistence's AUDIO_ARCHIVE). */
export const ARCHIVE_MODES = ['off', 'filesystem', 'supabase'] as const;
export type ArchiveMode = (typeof ARCHIVE_MODES)[number];

/** Most windows one local day can have in the archive (a day is ≤ 25 h; windows are ≥ a few minutes). */
export const ARCHIVE_DAY_MAX_WINDOWS = 1_000;
/** Largest chunk one readArchivedWindow answer carries (base64 in a NATS message). */
export const ARCHIVE_CHUNK_MAX = 262_144;

export interface ArchiveSize {
  /** Windows kept (with their audio). */
  windows: number;
  bytes: number;
  /**
   * Windows remembered as empty: Limitless answered 404 (no audio recorded), so a reprocess from
   * the archive needs no request for them. Absent from a persistence older than migration 0016.
   */
  emptyWindows?: number;
  /** Local days with at least one window kept (with audio; markers alone do not make a day). */
  days: number;
  oldestDate?: string;
  newestDate?: string;
}

/** giggles.query.archive.summary */
export interface ArchiveSummaryRequest {
  userId: string;
}
export interface ArchiveSummaryReply extends ArchiveSize {
  /** The deployment's storage; 'off' means nothing is archived whatever the user chose. */
  mode: ArchiveMode;
  /** The user's choice (off by default). */
  enabled: boolean;
  /** Days archived audio is kept (0 = until the user deletes it). */
  retentionDays: number;
}

/** giggles.query.archive.set — `not_found` when the user has no row. */
export interface SetArchiveRequest {
  userId: string;
  enabled: boolean;
}
export type SetArchiveReply = ArchiveSummaryReply;

/** giggles.query.archive.totals — every user with an archive. */
export type ArchiveTotalsRequest = Record<string, never>;
export interface ArchiveTotalsUser extends ArchiveSize {
  userId: string;
}
export interface ArchiveTotalsReply {
  mode: ArchiveMode;
  retentionDays: number;
  users: ArchiveTotalsUser[];
}

/** giggles.query.archive.windows */
export interface ArchivedWindowsRequest {
  userId: string;
  localDate: string;
}
export interface ArchivedWindow {
  windowStartMs: number;
  windowEndMs: number;
  bytes: number;
  sha256: string;
}
/** A window remembered as empty (Limitless answered 404): no file, nothing to restore or zip. */
export interface EmptyArchivedWindow {
  windowStartMs: number;
  windowEndMs: number;
  /**
   * When Limitless answered 404 for it (the latest such answer). A marker from before the
   * window's end + INGESTION_LATE_UPLOAD_MINUTES is not trusted: a late upload may follow.
   */
  emptyAtMs: number;
}
export interface ArchivedWindowsReply {
  /** Ordered by start. Empty when nothing of that day is kept (or the archive is off). */
  windows: ArchivedWindow[];
  /**
   * The day's empty markers, ordered by start (absent from an older persistence). Ingestion
   * records them as empty without asking Limitless; they have no file, so the day's zip has
   * nothing of them.
   */
  emptyWindows?: EmptyArchivedWindow[];
}

/** giggles.query.archive.restore — `not_found` when the window is not (or no longer) archived. */
export interface RestoreArchivedWindowRequest {
  userId: string;
  windowStartMs: number;
  /** Name to write in BUCKETS.audio (ingestion's name for the window's object). */
  audioObject: string;
}
export interface RestoreArchivedWindowReply {
  windowStartMs: number;
  windowEndMs: number;
  bytes: number;
}

/** giggles.query.archive.read — one chunk; `not_found` for a window that is not the user's. */
export interface ReadArchivedWindowRequest {
  userId: string;
  windowStartMs: number;
  offset?: number;
  length?: number;
}
export interface ReadArchivedWindowReply {
  size: number;
  offset: number;
  dataBase64: string;
}
