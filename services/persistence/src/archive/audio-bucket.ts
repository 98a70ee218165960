/**
 * The window audio in BUCKETS.audio as the archive needs it: read while archiving (before the
 * results handler deletes it), written when an archived window is restored for a reprocess.
 * A port; the adapter is ObjectStoreTransientObjects (adapters/transient-objects.adapter.ts).
 */
export interface AudioBucket {
  /** The object's bytes chunk by chunk; rejects with an error named ObjectNotFoundError when it is gone. */
  readAudio(name: string): AsyncIterable<Uint8Array>;
  /** Writes (or replaces) an object from a stream; resolves with its size. */
  putAudio(name: string, source: AsyncIterable<Uint8Array>, metadata: Record<string, string>): Promise<number>;
}

export const AUDIO_BUCKET = Symbol('AUDIO_BUCKET');
export const AUDIO_ARCHIVE_STORE = Symbol('AUDIO_ARCHIVE_STORE');
