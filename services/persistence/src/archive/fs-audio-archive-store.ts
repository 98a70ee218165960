/**
 * The archive in a directory (AUDIO_ARCHIVE=filesystem, AUDIO_ARCHIVE_DIR: a volume). The file
 * handling is the clip store's (atomic rename, fsync of file and folders, no symbolic link
 * followed below the root, hostile paths refused), so it is not written twice.
 */
import { Readable } from 'node:stream';
import { ClipNotFoundError } from '../clips/clip-store';
import { FsClipStore } from '../clips/fs-clip-store';
import { ArchiveFileNotFoundError, measured, type ArchivedFile, type AudioArchiveStore, type ByteRange } from './audio-archive-store';

export class FsAudioArchiveStore implements AudioArchiveStore {
  private constructor(private readonly files: FsClipStore) {}

  static async open(rootDir: string): Promise<FsAudioArchiveStore> {
    return new FsAudioArchiveStore(await FsClipStore.open(rootDir));
  }

  get root(): string {
    return this.files.root;
  }

  async put(path: string, data: AsyncIterable<Uint8Array>): Promise<ArchivedFile> {
    const { stream, result } = measured(data);
    await this.files.put(path, Readable.from(stream, { objectMode: false }));
    return result();
  }

  async get(path: string, range?: ByteRange): Promise<Readable> {
    try {
      return await this.files.get(path, range);
    } catch (error) {
      if (error instanceof ClipNotFoundError) throw new ArchiveFileNotFoundError(path);
      throw error;
    }
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
}
