/**
 * giggles.query.clips.read: a chunk of a laugh's WAV clip for the gateway's Range responses,
 * read through the ClipStore (filesystem or Supabase Storage). The laugh must be the user's and
 * live; anything else — another user's laugh, a deleted one, no clip, a file that is gone — is
 * `not_found`. The ETag is a hash of the file's bytes: strong, and stable while the clip is.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLIP_CHUNK_MAX, QUERY_ERROR_CODES, type ReadClipReply, type ReadClipRequest } from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { UnsafeClipPathError } from '../clips/clip-path';
import { ClipNotFoundError, type ClipStore } from '../clips/clip-store';
import { LaughsRepository } from '../repositories/laughs.repository';
import { CLIP_STORE } from '../results/results.handler';

/**
 * A clip is at most 30 s of 16 kHz 16-bit mono (~0.96 MB). The whole file streams through the
 * hash for its ETag (only the chunk asked for is kept); anything far larger is not a clip and is
 * refused rather than read to its end.
 */
export const CLIP_READ_MAX_BYTES = 8 * 1024 * 1024;

@Injectable()
export class ClipReaderService {
  constructor(
    @Inject(LaughsRepository) private readonly laughs: LaughsRepository,
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
  ) {}

  async readClip(request: ReadClipRequest): Promise<ReadClipReply> {
    const { found, clipPath } = await this.laughs.laughClip(request.userId.toLowerCase(), request.laughId);
    if (!found || !clipPath) throw QueryError.notFound('no clip for this laugh');
    const offset = request.offset ?? 0;
    const { size, etag, chunk } = await this.readChunk(clipPath, offset, request.length ?? CLIP_CHUNK_MAX);
    if (offset >= size) {
      throw new QueryError(QUERY_ERROR_CODES.rangeNotSatisfiable, `offset ${offset} is past the end of the clip of ${size} bytes`);
    }
    return { size, etag, contentType: 'audio/wav', offset, dataBase64: chunk.toString('base64') };
  }

  /** One streamed pass over the clip: every byte goes through the hash, only the chunk is kept. */
  private async readChunk(path: string, offset: number, length: number): Promise<{ size: number; etag: string; chunk: Buffer }> {
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let size = 0;
    try {
      for await (const piece of await this.clips.get(path)) {
        const bytes = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
        hash.update(bytes);
        const from = Math.max(0, offset - size);
        const to = Math.min(bytes.length, offset + length - size);
        if (to > from) kept.push(bytes.subarray(from, to));
        size += bytes.length;
        if (size > CLIP_READ_MAX_BYTES) throw new Error(`clip ${path} is larger than ${CLIP_READ_MAX_BYTES} bytes`);
      }
    } catch (error) {
      if (error instanceof ClipNotFoundError || error instanceof UnsafeClipPathError) throw QueryError.notFound('no clip for this laugh');
      throw error;
    }
    return { size, etag: `"${hash.digest('base64url')}"`, chunk: Buffer.concat(kept) };
  }
}
