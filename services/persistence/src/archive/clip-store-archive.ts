/**
 * What the filesystem and Supabase archive stores share: both keep their files through a clip
 * store, so deleting, lookups and listing are that store's, and its "clip not found" is the
 * archive's "file not found"; reads (whole or by byte range) are the clip store's too. Each store
 * adds only how it writes (streamed, measured).
 */
import type { Readable } from 'node:stream';
import { ClipNotFoundError, type ClipStore } from '../clips/clip-store';
import { ArchiveFileNotFoundError, type ArchivedFile, type AudioArchiveStore, type ByteRange } from './audio-archive-store';

export abstract class ClipStoreArchive<Files extends ClipStore> implements AudioArchiveStore {
  protected constructor(protected readonly files: Files) {}

  abstract put(path: string, data: AsyncIterable<Uint8Array>): Promise<ArchivedFile>;

  /** Reads stream (whole or a byte range) through the clip store in both stores. */
  get(path: string, range?: ByteRange): Promise<Readable> {
    return this.reading(path, () => this.files.get(path, range));
  }

  delete(path: string): Promise<boolean> {
    return this.files.delete(path);
  }

  exists(path: string): Promise<boolean> {
    return this.files.exists(path);
  }

  list(prefix: string): Promise<string[]> {
    return this.files.list(prefix);
  }

  /** Runs a read, turning the clip store's "not found" into the archive's. */
  protected async reading<T>(path: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ClipNotFoundError) throw new ArchiveFileNotFoundError(path);
      throw error;
    }
  }
}
