import type { ImportBeginReply, ImportBeginRequest } from '@giggles/contracts';

/** What the import service needs from the outside world (adapters implement these). */

/** An uploaded object copied to a local temporary file, with its digest. */
export interface LocalCopy {
  path: string;
  sha256: string;
  bytes: number;
  /** Removes the temporary file (idempotent). */
  remove(): Promise<void>;
}

export interface ImportObjects {
  /**
   * Streams the object to a temporary file, hashing it. Throws ImportRefusal TOO_LARGE past
   * `maxBytes` (the stored size is checked first) and OBJECT_MISSING when there is no such object.
   */
  copyToLocal(name: string, maxBytes: number): Promise<LocalCopy>;
  /** A second object with the same bytes (one per extra local day of a file crossing midnight). */
  duplicate(name: string, copyName: string, metadata: Record<string, string>): Promise<void>;
  /** Replaces the object's bytes with a local file's (the streamable remux of an MP4). */
  replaceFromFile(name: string, path: string): Promise<void>;
  /** Deletes the object; false when it was not there. */
  remove(name: string): Promise<boolean>;
}

/** What ffprobe and the decoder's header check found in a file. */
export interface RecordingFacts {
  durationMs: number;
  /** format.tags over the first audio stream's tags (creation_time, date, …). */
  tags: Record<string, string>;
  /** ffprobe's format name, e.g. "wav", "mov,mp4,m4a,3gp,3g2,mj2", "ogg". */
  format: string;
}

export interface RecordingProbe {
  /** Throws ImportRefusal (UNSUPPORTED, CORRUPT, EMPTY) for a file that is no usable audio. */
  probe(path: string): Promise<RecordingFacts>;
}

export interface RecordingRemuxer {
  /**
   * MP4-family files (M4A, MOV, 3GP) often keep their index (moov) at the end, and inference reads
   * the object as a stream: this rewrites the file next to `path` with the index first (no
   * re-encoding) and returns the new file's path. Throws ImportRefusal CORRUPT when it cannot.
   */
  faststart(path: string): Promise<string>;
}

/** ffprobe's format names of the containers that need faststart before streaming. */
export function needsFaststart(format: string): boolean {
  return format.split(',').some((name) => ['mov', 'mp4', 'm4a', '3gp', '3g2', 'mj2'].includes(name.trim()));
}

export interface ImportQueries {
  /** The user's IANA time zone; undefined when there is no such user. */
  userTimezone(userId: string): Promise<string | undefined>;
  begin(request: ImportBeginRequest): Promise<ImportBeginReply>;
}
