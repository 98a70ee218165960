import { describe, expect, it } from 'vitest';
import { contentRange, ifNoneMatchHits, parseByteRange, unsatisfiedRange } from './byte-range';

describe('parseByteRange', () => {
  const size = 1000;

  it('sends the whole body without a Range header', () => {
    expect(parseByteRange(undefined, size)).toEqual({ kind: 'whole' });
  });

  it('reads bytes=a-b, clipping the end to the resource', () => {
    expect(parseByteRange('bytes=0-99', size)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseByteRange('bytes=900-5000', size)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseByteRange('bytes=999-999', size)).toEqual({ kind: 'partial', start: 999, end: 999 });
  });

  it('reads bytes=a- as a to the end', () => {
    expect(parseByteRange('bytes=500-', size)).toEqual({ kind: 'partial', start: 500, end: 999 });
    expect(parseByteRange('bytes=0-', size)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('reads bytes=-n as the last n bytes (all of it when n exceeds the size)', () => {
    expect(parseByteRange('bytes=-100', size)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseByteRange('bytes=-5000', size)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('is unsatisfiable when the range starts past the end or asks for zero suffix bytes', () => {
    expect(parseByteRange('bytes=1000-', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=2000-3000', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=-0', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores multi-range, other units and malformed headers (200 whole)', () => {
    for (const header of ['bytes=0-1,5-9', 'items=0-5', 'bytes=abc', 'bytes=5-2', 'bytes=-', 'bytes 0-5', '']) {
      expect(parseByteRange(header, size), header).toEqual({ kind: 'whole' });
    }
  });

  it('tolerates spaces around the numbers', () => {
    expect(parseByteRange(' bytes = 10 - 19 ', size)).toEqual({ kind: 'partial', start: 10, end: 19 });
  });
});

describe('range headers', () => {
  it('formats Content-Range for 206 and 416', () => {
    expect(contentRange(0, 99, 1000)).toBe('bytes 0-99/1000');
    expect(unsatisfiedRange(1000)).toBe('bytes */1000');
  });
});

describe('ifNoneMatchHits', () => {
  const etag = '"abc123"';
  it('matches the same tag, a list containing it, a weak form and *', () => {
    expect(ifNoneMatchHits('"abc123"', etag)).toBe(true);
    expect(ifNoneMatchHits('"zzz", "abc123"', etag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc123"', etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
  });
  it('does not match other tags or an absent header', () => {
    expect(ifNoneMatchHits('"other"', etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
    expect(ifNoneMatchHits('', etag)).toBe(false);
  });
});
