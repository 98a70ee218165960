/**
 * Reads objects out of Supabase Storage as streams, whole or by byte range: a plain GET of
 * `/storage/v1/object/authenticated/{bucket}/{path}` with the service-role key. storage-js is not
 * used for this: its download() resolves to a Blob (the whole object in memory, ~15 MB for an
 * archived two-hour window) and neither it nor `.asStream()` can send a Range header, so every
 * 256 KiB chunk of the gateway's day zip used to download the whole window.
 *
 * Range answers are checked rather than trusted: a 206 must cover exactly the bytes asked for
 * (Content-Range), a server that ignores Range (200 with the whole object) is sliced here while
 * streaming (correct, only wasteful), and 416 — a range starting past the end — reads nothing,
 * like a file read past its end.
 */
import { Readable } from 'node:stream';
import { type ReadableStream as WebReadableStream } from 'node:stream/web';
import { ClipNotFoundError, type ByteRange } from './clip-store';

export interface StorageObjectReaderOptions {
  /** The Supabase URL (SUPABASE_URL); Storage is under `/storage/v1`. */
  url: string;
  serviceRoleKey: string;
  /** Defaults to the global fetch (persistence passes its per-request deadline). */
  fetch?: typeof fetch;
}

/** Nest injection token for the reader (one per process, shared by the clip and archive stores). */
export const STORAGE_OBJECT_READER = Symbol('STORAGE_OBJECT_READER');

export class StorageRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageRangeError';
  }
}

export class StorageObjectReader {
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: StorageObjectReaderOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/storage/v1/object/authenticated`;
    this.fetch = options.fetch ?? fetch;
  }

  /** `path` must already be safe (safeSegments); rejects with ClipNotFoundError when absent. */
  async read(bucket: string, path: string, range?: ByteRange): Promise<Readable> {
    if (range && (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start)) {
      throw new RangeError(`invalid byte range ${range.start}-${range.end}`);
    }
    const url = `${this.base}/${encodeURIComponent(bucket)}/${path.split('/').map(encodeURIComponent).join('/')}`;
    const response = await this.fetch(url, {
      headers: {
        apikey: this.options.serviceRoleKey,
        Authorization: `Bearer ${this.options.serviceRoleKey}`,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      },
    });
    if (range && response.status === 416) {
      await response.body?.cancel();
      return Readable.from([]);
    }
    if (!response.ok) throw await failure(response, path);
    const body = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    if (!range) return body;
    if (response.status === 206) {
      checkContentRange(response.headers.get('content-range'), range, body);
      return body;
    }
    // 200 to a ranged request: the server ignored Range and sends the whole object.
    return Readable.from(slice(body, range.start, range.end));
  }
}

/** A 206 must start where asked and end no later than asked (earlier only at the object's end). */
function checkContentRange(header: string | null, range: ByteRange, body: Readable): void {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header ?? '');
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2]) : NaN;
  const size = m && m[3] !== '*' ? Number(m[3]) : undefined;
  const complete = end === range.end || (size !== undefined && end === size - 1 && end < range.end);
  if (!m || start !== range.start || !complete) {
    body.destroy();
    throw new StorageRangeError(`Storage answered bytes ${range.start}-${range.end} with Content-Range ${header ?? '(none)'}`);
  }
}

/** The bytes start..end (inclusive) of a whole-object stream; stops reading once past end. */
async function* slice(body: Readable, start: number, end: number): AsyncGenerator<Buffer> {
  let position = 0;
  for await (const piece of body) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
    const from = Math.max(0, start - position);
    const to = Math.min(chunk.length, end + 1 - position);
    position += chunk.length;
    if (to > from) yield chunk.subarray(from, to);
    if (position > end) break; // leaving the loop cancels the rest of the download
  }
}

async function failure(response: Response, path: string): Promise<Error> {
  const text = (await response.text().catch(() => '')).slice(0, 500);
  let message = text;
  let code: string | undefined;
  try {
    const parsed = JSON.parse(text) as { statusCode?: string; error?: string; message?: string };
    code = parsed.statusCode;
    message = parsed.message ?? parsed.error ?? text;
    // Storage answers a missing object with 404, or with 400 and statusCode "404" / error "not_found".
    if (code === '404' || parsed.error === 'not_found') return new ClipNotFoundError(path);
  } catch {
    // not JSON: keep the text
  }
  if (response.status === 404) return new ClipNotFoundError(path);
  return new Error(`storage download failed: HTTP ${response.status}${code ? ` (${code})` : ''}: ${message || response.statusText}`);
}
