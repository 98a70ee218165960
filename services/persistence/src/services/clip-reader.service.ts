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
import { ClipNotFoundError, toBuffer, type ClipStore } from '../clips/clip-store';
import { LaughsRepository } from '../repositories/laughs.repository';
import { CLIP_STORE } from '../results/results.handler';

/**
 * A clip is at most 30 s of 16 kHz 16-bit mono (~0.96 MB); the whole file is read to hash it,
 * so anything far larger is refused rather than held in memory.
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
    const bytes = await this.readWhole(clipPath);
    const offset = request.offset ?? 0;
    if (offset >= bytes.length) {
      throw new QueryError(QUERY_ERROR_CODES.rangeNotSatisfiable, `offset ${offset} is past the end of the clip of ${bytes.length} bytes`);
    }
    const chunk = bytes.subarray(offset, offset + (request.length ?? CLIP_CHUNK_MAX));
    return {
      size: bytes.length,
      etag: `"${createHash('sha256').update(bytes).digest('base64url')}"`,
      contentType: 'audio/wav',
      offset,
      dataBase64: chunk.toString('base64'),
    };
  }

  private async readWhole(path: string): Promise<Buffer> {
    try {
      const bytes = await toBuffer(await this.clips.get(path));
      if (bytes.length > CLIP_READ_MAX_BYTES) throw new Error(`clip of ${bytes.length} bytes is larger than ${CLIP_READ_MAX_BYTES}`);
      return bytes;
    } catch (error) {
      if (error instanceof ClipNotFoundError || error instanceof UnsafeClipPathError) throw QueryError.notFound('no clip for this laugh');
      throw error;
    }
  }
}
