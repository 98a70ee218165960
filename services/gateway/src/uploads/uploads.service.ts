import type { Readable } from 'node:stream';
import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { INGESTION_REQUESTS, QUERIES, type ImportRecord, type ImportRecordingReply } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { UploadObjects } from './upload-objects.adapter';
import { UploadOverflowError, UploadStore, type UploadState } from './upload-store.adapter';
import { UPLOADS_SETTINGS, type UploadsConfig } from './uploads-config';

export type UploadView = UploadState & { maxChunkBytes: number };

/** Shown for a 404: the same for "no such upload" and "someone else's upload". */
const NO_UPLOAD = 'No such upload (finished, abandoned, or never started): start it again';

/**
 * Resumable uploads (chunked PUTs at offsets) and their import. Bytes go to the user's upload
 * directory as they arrive, so a reload or a dropped connection loses nothing received; the
 * finished file is streamed into the audio bucket and ingestion imports it (probe, place, record,
 * process) — the same path as `giggles import`. Works for users without a Limitless key.
 */
@Injectable()
export class UploadsService {
  constructor(
    @Inject(UploadStore) private readonly store: UploadStore,
    @Inject(UploadObjects) private readonly objects: UploadObjects,
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(UPLOADS_SETTINGS) private readonly config: UploadsConfig,
  ) {}

  async create(userId: string, fileName: string, size: number): Promise<UploadView> {
    if (size > this.config.uploadMaxBytes) {
      throw new PayloadTooLargeException(`${fileName.slice(0, 100)} is ${size} bytes; at most ${this.config.uploadMaxBytes} bytes (${Math.floor(this.config.uploadMaxBytes / 1024 ** 2)} MiB) can be uploaded`);
    }
    if ((await this.store.count(userId)) >= this.config.uploadMaxInProgressPerUser) {
      throw new HttpException({ statusCode: HttpStatus.TOO_MANY_REQUESTS, message: 'Too many unfinished uploads: finish or abandon some first' }, HttpStatus.TOO_MANY_REQUESTS);
    }
    return this.view(await this.store.create(userId, fileName, size));
  }

  async state(userId: string, uploadId: string): Promise<UploadView> {
    return this.view(await this.mine(userId, uploadId));
  }

  /** Appends one chunk at `offset` (which must be the bytes received so far: 409 with the right one otherwise). */
  async append(userId: string, uploadId: string, offset: number, declaredLength: number | undefined, body: Readable): Promise<UploadView> {
    const upload = await this.mine(userId, uploadId);
    if (offset !== upload.offset) throw new ConflictException(`this upload continues at byte ${upload.offset} (GET it for its state)`);
    const room = Math.min(this.config.uploadChunkMaxBytes, upload.size - upload.offset);
    if (declaredLength !== undefined && declaredLength > room) {
      throw new PayloadTooLargeException(`a chunk may carry at most ${room} bytes here`);
    }
    try {
      await this.store.append(userId, uploadId, body, room);
    } catch (error) {
      if (error instanceof UploadOverflowError) throw new PayloadTooLargeException(error.message);
      throw error;
    }
    return this.state(userId, uploadId);
  }

  /** The whole file is here: into the audio bucket, then ingestion imports it. The local copy goes either way. */
  async finish(userId: string, uploadId: string, start: string | undefined): Promise<ImportRecordingReply> {
    const upload = await this.mine(userId, uploadId);
    if (upload.offset < upload.size) throw new ConflictException(`only ${upload.offset} of ${upload.size} bytes received: send the rest first`);
    const audioObject = `imports/${userId}/${uploadId}`;
    await this.objects.put(audioObject, this.store.open(userId, uploadId), { userId, source: 'upload' });
    try {
      return await this.queries.ask(
        INGESTION_REQUESTS.importRecording,
        { userId, audioObject, fileName: upload.fileName, source: 'upload', ...(start !== undefined ? { start } : {}) },
        { timeoutMs: this.config.uploadImportTimeoutMs },
      );
    } finally {
      // A refusal before reading (object gone, too large) comes back as 400 with the reason;
      // ingestion deleted the object. The local copy is not needed any more in any case.
      await this.store.remove(userId, uploadId);
    }
  }

  async abandon(userId: string, uploadId: string): Promise<void> {
    await this.mine(userId, uploadId);
    await this.store.remove(userId, uploadId);
  }

  async list(userId: string, limit: number): Promise<{ imports: ImportRecord[] }> {
    return this.queries.ask(QUERIES.importsList, { userId, limit });
  }

  async one(userId: string, importId: string): Promise<ImportRecord> {
    const { imports } = await this.queries.ask(QUERIES.importsList, { userId, limit: 1, importId });
    if (imports.length === 0) throw new NotFoundException('No such import');
    return imports[0];
  }

  private async mine(userId: string, uploadId: string): Promise<UploadState> {
    const upload = await this.store.find(userId, uploadId);
    if (!upload) throw new NotFoundException(NO_UPLOAD);
    return upload;
  }

  private view(state: UploadState): UploadView {
    return { ...state, maxChunkBytes: this.config.uploadChunkMaxBytes };
  }
}
