/**
 * Where laughter clips (short WAVs) live once persistence has stored their detections. Paths are
 * relative, `/`-separated (see clip-path.ts); implementations must refuse any path that could
 * reach outside their root.
 */
import { type Readable } from 'node:stream';

export type ClipData = Buffer | Uint8Array | Readable;

/** Inclusive byte offsets. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ClipStore {
  /** Writes (or overwrites) a clip; readers never see a partly written clip. */
  put(path: string, data: ClipData): Promise<void>;
  /**
   * Streams a clip, or the inclusive byte range of it (a range past the end reads nothing, an end
   * past the end stops at it); rejects with ClipNotFoundError when there is none.
   */
  get(path: string, range?: ByteRange): Promise<Readable>;
  /** Removes a clip; resolves false when there was nothing to remove. */
  delete(path: string): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  /** Every clip path under a folder prefix (e.g. `<userId>/` or `<userId>/<localDate>`), sorted. */
  list(prefix: string): Promise<string[]>;
}

export class ClipNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`clip not found: ${path}`);
    this.name = 'ClipNotFoundError';
  }
}

export async function toBuffer(data: ClipData): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
