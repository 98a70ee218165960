/**
 * The HTTP `Range` header of a clip request (RFC 9110 §14), reduced to what a media player sends:
 * one byte range. Several ranges (`bytes=0-1,5-9`) would need a multipart reply; answering them
 * with the whole body (200) is what the RFC allows a server that does not support them to do.
 */
export type ByteRangeRequest =
  /** No usable Range header (absent, another unit, several ranges, or syntax we ignore): send it all. */
  | { kind: 'whole' }
  /** Inclusive byte positions inside the resource. */
  | { kind: 'partial'; start: number; end: number }
  /** A well-formed range that does not overlap the resource: 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Resolves `header` against a resource of `size` bytes. `bytes=a-b` (b clipped to the end),
 * `bytes=a-` (a to the end) and `bytes=-n` (the last n bytes). A syntactically invalid header is
 * ignored (200 whole), as the RFC asks; a valid one that selects nothing is unsatisfiable.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const match = SINGLE_RANGE.exec(header.trim().replace(/\s+/g, ''));
  if (!match) return { kind: 'whole' };
  const [, first, last] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix)) return { kind: 'whole' };
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return { kind: 'whole' };
  if (end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/** `Content-Range` value of a 206 reply. */
export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}

/** `Content-Range` value of a 416 reply. */
export function unsatisfiedRange(size: number): string {
  return `bytes */${size}`;
}

/**
 * Whether an `If-None-Match` header matches the current strong `etag` (then the reply is 304).
 * Accepts `*`, a list, and weak forms (`W/"…"`), compared weakly as RFC 9110 §13.1.2 requires.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((candidate) => opaque(candidate) === wanted);
}
