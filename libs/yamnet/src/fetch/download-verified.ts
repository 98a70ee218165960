import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ModelFetchError } from './fetch-errors';
import { MAX_MODEL_DOWNLOAD_BYTES, type PinnedFile } from './model-sources';

export interface DownloadOptions {
  /** Aborts a stalled or too-slow download. */
  signal?: AbortSignal;
  maxBytes?: number;
  fetch?: typeof globalThis.fetch;
}

/**
 * Downloads `file.url` into `target` only if its content has `file.sha256`: streamed into a
 * hidden temp file beside the target while hashing, then renamed over it (atomic on one
 * filesystem). A bad status, a dropped connection, a body shorter than announced, one longer than
 * allowed or a different hash throws `ModelFetchError` and removes the temp file: a reader of
 * `target` sees the old file or the complete verified new one, never a partial one.
 */
export async function downloadVerified(file: PinnedFile, target: string, options: DownloadOptions = {}): Promise<{ bytes: number }> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const bytes = await downloadTo(file, temp, options);
    await rename(temp, target);
    return { bytes };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function downloadTo(file: PinnedFile, temp: string, options: DownloadOptions): Promise<number> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchFn(file.url, { signal: options.signal, redirect: 'follow' });
  } catch (error) {
    throw new ModelFetchError('NETWORK', `cannot download ${file.url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || !response.body) {
    throw new ModelFetchError('HTTP', `cannot download ${file.url}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  const announced = Number(response.headers.get('content-length') ?? NaN);
  const limit = Math.min(options.maxBytes ?? MAX_MODEL_DOWNLOAD_BYTES, file.bytes ?? Infinity);
  const hash = createHash('sha256');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limit) {
        done(new ModelFetchError('TOO_LARGE', `${file.url} is larger than ${limit} bytes; refused`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), meter, createWriteStream(temp, { mode: 0o644 }));
  } catch (error) {
    if (error instanceof ModelFetchError) throw error;
    throw new ModelFetchError('NETWORK', `download of ${file.url} broke off after ${received} bytes: ${(error as Error).message}`, { cause: error });
  }
  if (Number.isFinite(announced) && received !== announced) {
    throw new ModelFetchError('TRUNCATED', `download of ${file.url} is truncated: ${received} of ${announced} bytes`);
  }
  const actual = hash.digest('hex');
  if (actual !== file.sha256.toLowerCase()) {
    const size = file.bytes !== undefined ? `${received} bytes, expected ${file.bytes}` : `${received} bytes`;
    throw new ModelFetchError('CHECKSUM', `${file.url} has sha256 ${actual}, expected ${file.sha256} (${size}): truncated or a different file; refused, nothing kept`);
  }
  return received;
}
