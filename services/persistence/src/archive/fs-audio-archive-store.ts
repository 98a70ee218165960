/**
 * The archive in a directory (AUDIO_ARCHIVE=filesystem, AUDIO_ARCHIVE_DIR: a volume). The file
 * handling is the clip store's (atomic rename, fsync of file and folders, no symbolic link
 * followed below the root, hostile paths refused), so it is not written twice.
 */
import { Readable } from 'node:stream';
import { FsClipStore } from '../clips/fs-clip-store';
import { measured, type ArchivedFile } from './audio-archive-store';
import { ClipStoreArchive } from './clip-store-archive';

export class FsAudioArchiveStore extends ClipStoreArchive<FsClipStore> {
  private constructor(files: FsClipStore) {
    super(files);
  }

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
}
