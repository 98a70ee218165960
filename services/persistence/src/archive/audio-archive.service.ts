/**
 * The audio archive's policy (issue 10, "keep the audio"): which windows are kept (the
 * deployment's AUDIO_ARCHIVE is on and the user opted in), streaming them from BUCKETS.audio
 * into the archive store before the results handler deletes the object, and everything the
 * queries do with a user's archive (size, switch, a day's windows, restore for a reprocess,
 * chunked reads for the day download, deleting a day or everything).
 *
 * Memory: a window is streamed chunk by chunk in both directions (object store ↔ file); only the
 * Supabase Storage adapter holds one window while reading it (see its header).
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  ARCHIVE_CHUNK_MAX,
  ARCHIVE_DAY_MAX_WINDOWS,
  type ArchivedWindowsReply,
  type ArchivedWindowsRequest,
  type ArchiveMode,
  type ArchiveSummaryReply,
  type ArchiveSummaryRequest,
  type ArchiveTotalsReply,
  type ReadArchivedWindowReply,
  type ReadArchivedWindowRequest,
  type RestoreArchivedWindowReply,
  type RestoreArchivedWindowRequest,
  type SegmentResult,
  type SetArchiveReply,
  type SetArchiveRequest,
  type WindowOutcome,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import type { PersistenceLogger } from '../logging/logger';
import { isObjectNotFound } from '../results/transient-objects';
import { LOGGER } from '../tokens';
import { archiveFolder, archivePath } from './archive-path';
import { ArchiveFileNotFoundError, type AudioArchiveStore } from './audio-archive-store';
import { AudioArchiveRepository } from './audio-archive.repository';
import { AUDIO_ARCHIVE_STORE, AUDIO_BUCKET, type AudioBucket } from './audio-bucket';

export const ARCHIVE_SETTINGS = Symbol('ARCHIVE_SETTINGS');

export interface ArchiveSettings {
  mode: ArchiveMode;
  retentionDays: number;
}

/** What archiving did with one window (counted in metrics and tests). */
export type ArchiveOutcome = 'archived' | 'already_archived' | 'archive_off' | 'not_opted_in' | 'not_processed' | 'audio_gone';

/** What archiving did with a window outcome: an empty marker, or why not (counted in metrics and tests). */
export type EmptyWindowOutcome = 'empty_recorded' | 'empty_already_recorded' | 'audio_kept' | 'archive_off' | 'not_opted_in' | 'not_empty' | 'no_404';

const NO_WINDOW = 'no such archived window';

@Injectable()
export class AudioArchiveService {
  constructor(
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
    @Inject(AudioArchiveRepository) private readonly rows: AudioArchiveRepository,
    @Inject(AUDIO_BUCKET) private readonly bucket: AudioBucket,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    // Null when AUDIO_ARCHIVE=off: nothing is written, and whatever was kept before is not served.
    @Optional() @Inject(AUDIO_ARCHIVE_STORE) private readonly store: AudioArchiveStore | null = null,
  ) {}

  /**
   * Keeps the window's original audio when the deployment and the user opted in. Runs before the
   * results handler deletes the audio object, so on a redelivery it either finds its row (done)
   * or the object still there (done again, same path and bytes).
   */
  async archiveWindow(result: SegmentResult): Promise<ArchiveOutcome> {
    if (!this.store || this.settings.mode === 'off') return 'archive_off';
    // Corrupt audio gives a failed result: keeping it would only replay the failure.
    if (result.status !== 'processed') return 'not_processed';
    const userId = result.userId.toLowerCase();
    if ((await this.rows.isEnabled(userId)) !== true) return 'not_opted_in';
    const path = archivePath({ userId, localDate: result.localDate, windowStartMs: result.windowStartMs, windowEndMs: result.windowEndMs });
    const existing = await this.rows.find(userId, result.windowStartMs);
    if (existing && existing.path === path && (await this.store.exists(path))) return 'already_archived';
    let written;
    try {
      written = await this.store.put(path, this.bucket.readAudio(result.audioObject));
    } catch (error) {
      // A redelivery after the object was deleted: the first delivery archived it (or the TTL
      // removed it, and there is nothing left to keep).
      if (isObjectNotFound(error)) {
        if (!existing) this.logger.warn({ userId, windowStartMs: result.windowStartMs }, 'audio object gone before it could be archived');
        return existing ? 'already_archived' : 'audio_gone';
      }
      throw error;
    }
    await this.rows.upsert({ userId, localDate: result.localDate, windowStartMs: result.windowStartMs, windowEndMs: result.windowEndMs, path, ...written });
    // The same start with another end (a provisional "today" window downloaded whole later): the
    // row now names the new file; the old one goes.
    if (existing && existing.path !== path) await this.store.delete(existing.path);
    return 'archived';
  }

  /**
   * Remembers a window Limitless had no audio for (a WindowOutcome 'empty', i.e. a 404 for a
   * settled window) when the deployment and the user keep audio: a reprocess from the archive then
   * records it as empty without asking Limitless (issue 10, "when the API is gone"). Gaps and
   * failures are not remembered — those windows must be asked again. The marker keeps when the
   * 404 came (the outcome's last 404 call): an 'empty' outcome without one is ingestion replaying
   * a marker, which teaches nothing new.
   */
  async recordEmptyWindow(outcome: WindowOutcome): Promise<EmptyWindowOutcome> {
    if (!this.store || this.settings.mode === 'off') return 'archive_off';
    if (outcome.status !== 'empty') return 'not_empty';
    const answered = outcome.limitlessCalls.filter((call) => call.status === 404).pop();
    const emptyAtMs = answered ? Date.parse(answered.at) : Number.NaN;
    if (!Number.isFinite(emptyAtMs)) return 'no_404';
    const userId = outcome.userId.toLowerCase();
    if ((await this.rows.isEnabled(userId)) !== true) return 'not_opted_in';
    const written = await this.rows.upsertEmpty({ userId, localDate: outcome.localDate, windowStartMs: outcome.windowStartMs, windowEndMs: outcome.windowEndMs, emptyAtMs });
    return written === 'recorded' ? 'empty_recorded' : written === 'already_recorded' ? 'empty_already_recorded' : 'audio_kept';
  }

  async summary(request: ArchiveSummaryRequest): Promise<ArchiveSummaryReply> {
    const userId = request.userId.toLowerCase();
    const enabled = await this.rows.isEnabled(userId);
    if (enabled === null) throw QueryError.notFound('no such user');
    return { mode: this.settings.mode, enabled, retentionDays: this.settings.retentionDays, ...(await this.rows.summary(userId)) };
  }

  async setEnabled(request: SetArchiveRequest): Promise<SetArchiveReply> {
    const userId = request.userId.toLowerCase();
    if (!(await this.rows.setEnabled(userId, request.enabled))) throw QueryError.notFound('no such user');
    this.logger.info({ userId, enabled: request.enabled }, 'audio archive switched');
    return this.summary({ userId });
  }

  async totals(): Promise<ArchiveTotalsReply> {
    return { mode: this.settings.mode, retentionDays: this.settings.retentionDays, users: await this.rows.totals() };
  }

  /** Empty when the archive is off: then nothing can be restored or read. */
  async windows(request: ArchivedWindowsRequest): Promise<ArchivedWindowsReply> {
    if (!this.store) return { windows: [] };
    const { windows, empty } = await this.rows.dayWindows(request.userId.toLowerCase(), request.localDate, ARCHIVE_DAY_MAX_WINDOWS);
    return {
      windows: windows.map(({ windowStartMs, windowEndMs, bytes, sha256 }) => ({ windowStartMs, windowEndMs, bytes, sha256 })),
      emptyWindows: empty.map(({ windowStartMs, windowEndMs, emptyAtMs }) => ({ windowStartMs, windowEndMs, emptyAtMs })),
    };
  }

  /**
   * Streams an archived window into BUCKETS.audio under ingestion's name for it. `not_found`
   * when it is not archived or its file is gone (ingestion then downloads it from Limitless).
   */
  async restore(request: RestoreArchivedWindowRequest): Promise<RestoreArchivedWindowReply> {
    const userId = request.userId.toLowerCase();
    const record = this.store ? await this.rows.find(userId, request.windowStartMs) : null;
    if (!this.store || !record) throw QueryError.notFound(NO_WINDOW);
    let file;
    try {
      file = await this.store.get(record.path);
    } catch (error) {
      if (error instanceof ArchiveFileNotFoundError) throw QueryError.notFound(NO_WINDOW);
      throw error;
    }
    const bytes = await this.bucket.putAudio(request.audioObject, file, {
      userId,
      windowStartMs: String(record.windowStartMs),
      windowEndMs: String(record.windowEndMs),
      source: 'archive',
    });
    if (bytes !== record.bytes) {
      // The bytes are what the file holds now; a changed file still decodes or fails in inference.
      this.logger.warn({ userId, windowStartMs: record.windowStartMs, bytes, recorded: record.bytes }, 'archived window changed size since it was archived');
    }
    return { windowStartMs: record.windowStartMs, windowEndMs: record.windowEndMs, bytes };
  }

  /** One chunk of an archived window (the gateway's zip of a day). */
  async read(request: ReadArchivedWindowRequest): Promise<ReadArchivedWindowReply> {
    const userId = request.userId.toLowerCase();
    const record = this.store ? await this.rows.find(userId, request.windowStartMs) : null;
    if (!this.store || !record) throw QueryError.notFound(NO_WINDOW);
    const offset = request.offset ?? 0;
    const length = Math.min(request.length ?? ARCHIVE_CHUNK_MAX, ARCHIVE_CHUNK_MAX);
    if (offset >= record.bytes) return { size: record.bytes, offset, dataBase64: '' };
    const chunks: Buffer[] = [];
    try {
      const stream = await this.store.get(record.path, { start: offset, end: Math.min(record.bytes, offset + length) - 1 });
      for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    } catch (error) {
      if (error instanceof ArchiveFileNotFoundError) throw QueryError.notFound(NO_WINDOW);
      throw error;
    }
    return { size: record.bytes, offset, dataBase64: Buffer.concat(chunks).toString('base64') };
  }

  /**
   * Deletes one day's (or every day's) archived audio of a user: rows first (empty markers too),
   * then every file in the folder (also files that lost their row). `files` is absent when the
   * deployment has no archive storage (AUDIO_ARCHIVE=off): there are no files to delete then.
   */
  async deleteUserArchive(userId: string, localDate?: string): Promise<{ windows: number; emptyWindows: number; files?: number }> {
    const id = userId.toLowerCase();
    const { paths, markers } = await this.rows.deleteUserRows(id, localDate);
    if (!this.store) return { windows: paths.length, emptyWindows: markers };
    const listed = await this.store.list(archiveFolder(id, localDate));
    let files = 0;
    for (const path of new Set([...paths, ...listed])) if (await this.store.delete(path)) files++;
    if (files > 0 || paths.length > 0 || markers > 0) this.logger.info({ userId: id, localDate, windows: paths.length, emptyWindows: markers, files }, 'archived audio deleted');
    return { windows: paths.length, emptyWindows: markers, files };
  }
}
