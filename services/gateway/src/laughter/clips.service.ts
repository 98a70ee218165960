import { Inject, Injectable } from '@nestjs/common';
import { CLIP_CHUNK_MAX, QUERIES, type ReadClipReply } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { ifNoneMatchHits, parseByteRange } from './byte-range';

/** What to answer a clip request with; `chunks` yields the body in pieces of ≤ CLIP_CHUNK_MAX bytes. */
export type ClipReply =
  | { kind: 'not-modified'; etag: string }
  | { kind: 'unsatisfiable'; size: number; etag: string }
  | { kind: 'body'; status: 200 | 206; size: number; etag: string; start: number; end: number; chunks: AsyncIterable<Buffer> };

/**
 * A laugh's WAV clip, read from persistence in chunks (`readClip`) and never held whole: the first
 * chunk tells the size and ETag, then Range and If-None-Match decide what is sent. Another user's
 * laugh, a deleted one and one without a clip are all `not_found` (404).
 */
@Injectable()
export class ClipsService {
  constructor(@Inject(NatsQueryClient) private readonly queries: NatsQueryClient) {}

  async open(userId: string, laughId: string, headers: { range?: string; ifNoneMatch?: string }): Promise<ClipReply> {
    const first = await this.read(userId, laughId, 0, probeLength(headers));
    const { size, etag } = first;
    if (ifNoneMatchHits(headers.ifNoneMatch, etag)) return { kind: 'not-modified', etag };
    const range = parseByteRange(headers.range, size);
    if (range.kind === 'unsatisfiable') return { kind: 'unsatisfiable', size, etag };
    const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206 as const] : [0, size - 1, 200 as const];
    return { kind: 'body', status, size, etag, start, end, chunks: this.chunks(userId, laughId, first, start, end) };
  }

  private read(userId: string, laughId: string, offset: number, length = CLIP_CHUNK_MAX): Promise<ReadClipReply> {
    return this.queries.ask(QUERIES.readClip, { userId, laughId, offset, length });
  }

  /** Bytes [start, end] of the clip, reusing the first chunk already read when it overlaps. */
  private async *chunks(userId: string, laughId: string, first: ReadClipReply, start: number, end: number): AsyncGenerator<Buffer> {
    let position = start;
    let chunk: ReadClipReply | undefined = first;
    while (position <= end) {
      if (!chunk || position < chunk.offset || position >= chunk.offset + byteLength(chunk)) chunk = await this.read(userId, laughId, position);
      const data = Buffer.from(chunk.dataBase64, 'base64');
      if (data.length === 0) return; // the file shrank under us: stop rather than loop
      const from = position - chunk.offset;
      const to = Math.min(data.length, end - chunk.offset + 1);
      yield data.subarray(from, to);
      position = chunk.offset + to;
      chunk = undefined;
    }
  }
}

/** Bytes the first read asks for only to learn size and ETag. */
const PROBE_BYTES = 1;

/**
 * The first read fetches a whole chunk when its bytes will be sent (a plain GET or a range from
 * the start, what a player asks first); a revalidation (likely 304) or a seek elsewhere in the clip
 * only needs size and ETag, so it asks for one byte instead of moving a chunk it would throw away.
 */
function probeLength(headers: { range?: string; ifNoneMatch?: string }): number {
  if (headers.ifNoneMatch) return PROBE_BYTES;
  if (headers.range !== undefined && !/^\s*bytes\s*=\s*0\s*-/.test(headers.range)) return PROBE_BYTES;
  return CLIP_CHUNK_MAX;
}

function byteLength(chunk: ReadClipReply): number {
  const base64 = chunk.dataBase64;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
