/**
 * Where archived audio lives (AUDIO_ARCHIVE=filesystem|supabase): the original Ogg Opus of each
 * window a user asked to keep. Paths are relative and `/`-separated (archive-path.ts); an
 * implementation refuses any path that could reach outside its root (safeSegments, links).
 */
import { createHash } from 'node:crypto';
import { type Readable } from 'node:stream';
import { type ByteRange } from '../clips/clip-store';

export type { ByteRange } from '../clips/clip-store';

export interface ArchivedFile {
  bytes: number;
  /** Lower-case hex SHA-256 of the bytes written. */
  sha256: string;
}

export interface AudioArchiveStore {
  /** Streams a file in (replacing any file at the path; readers never see a partial file). */
  put(path: string, data: AsyncIterable<Uint8Array>): Promise<ArchivedFile>;
  /**
   * Streams a file out (or the inclusive byte range of it); rejects with ArchiveFileNotFoundError
   * when there is none.
   */
  get(path: string, range?: ByteRange): Promise<Readable>;
  /** False when there was nothing to delete. */
  delete(path: string): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  /** Every file under a folder prefix (`''`, `<userId>/` or `<userId>/<localDate>/`), sorted. */
  list(prefix: string): Promise<string[]>;
}

export class ArchiveFileNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`archived audio not found: ${path}`);
    this.name = 'ArchiveFileNotFoundError';
  }
}

/**
 * Passes chunks through while counting and hashing them: the store learns size and digest in the
 * same single pass that writes the file (one chunk in memory at a time).
 */
export function measured(source: AsyncIterable<Uint8Array>): { stream: AsyncIterable<Uint8Array>; result: () => ArchivedFile } {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest: string | undefined;
  async function* pass(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
    digest = hash.digest('hex');
  }
  return {
    stream: pass(),
    result: () => {
      if (digest === undefined) throw new Error('archive stream was not read to its end');
      return { bytes, sha256: digest };
    },
  };
}
