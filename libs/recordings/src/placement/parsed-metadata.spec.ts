import { describe, expect, it } from 'vitest';
import { ffprobeTagsFrom, readMatroskaDateUtc } from '../index';

describe('ffprobeTagsFrom: music-metadata → ffprobe tag names', () => {
  it.each([
    ['Vorbis comments keep their names', { vorbis: [{ id: 'CREATION_TIME', value: '2026-12-03T13:15:00Z' }, { id: 'DATE', value: '2026-12-03' }] }, { creation_time: '2026-12-03T13:15:00Z', date: '2026-12-03' }],
    ['ID3v2.4 TDRC is date', { 'ID3v2.4': [{ id: 'TDRC', value: '2026-12-03T14:15' }] }, { date: '2026-12-03T14:15' }],
    ['ID3v2.3 TYER+TDAT+TIME merge like ffmpeg', { 'ID3v2.3': [{ id: 'TYER', value: '2026' }, { id: 'TDAT', value: '0312' }, { id: 'TIME', value: '1415' }] }, { date: '2026-12-03 14:15' }],
    ['iTunes ©day and the iOS creation date', { iTunes: [{ id: '©day', value: '2026-12-03' }, { id: 'com.apple.quicktime.creationdate', value: '2026-12-03T14:15:00+0100' }] }, { date: '2026-12-03', 'com.apple.quicktime.creationdate': '2026-12-03T14:15:00+0100' }],
    ['BWF origination as date + creation_time', { exif: [{ id: 'bext.originationDate', value: '2026-12-03' }, { id: 'bext.originationTime', value: '14:15:00' }, { id: 'ICRD', value: '2020-01-01' }] }, { date: '2026-12-03', creation_time: '14:15:00' }],
    ['non-strings and empty values are dropped', { vorbis: [{ id: 'DATE', value: 2026 }, { id: 'X', value: ' ' }] }, {}],
  ])('%s', (_title, native, tags) => {
    expect(ffprobeTagsFrom({ format: {}, native })).toEqual(tags);
  });

  it('the MP4 movie header time becomes creation_time; a zero (1904) one does not', () => {
    expect(ffprobeTagsFrom({ format: { creationTime: new Date('2026-12-03T13:15:00Z') }, native: {} })).toEqual({ creation_time: '2026-12-03T13:15:00.000000Z' });
    expect(ffprobeTagsFrom({ format: { creationTime: new Date(Date.UTC(1904, 0, 1)) }, native: {} })).toEqual({});
  });
});

/** A minimal WebM head: EBML header, then a Segment of unknown size with Info holding DateUTC. */
function webmHead(dateNs: bigint | undefined, extra: number[] = []): Uint8Array {
  const date = new Uint8Array(8);
  if (dateNs !== undefined) new DataView(date.buffer).setBigInt64(0, dateNs);
  const info = dateNs === undefined ? [0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40] : [0x2a, 0xd7, 0xb1, 0x83, 0x0f, 0x42, 0x40, 0x44, 0x61, 0x88, ...date];
  return new Uint8Array([
    0x1a, 0x45, 0xdf, 0xa3, 0x84, 0x42, 0x86, 0x81, 0x01, // EBML header (4 bytes of data)
    0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // Segment, unknown size
    ...extra,
    0x15, 0x49, 0xa9, 0x66, 0x80 | info.length, ...info,
  ]);
}

describe('readMatroskaDateUtc', () => {
  it('reads the segment DateUTC (nanoseconds since 2001) after other elements', () => {
    const ns = BigInt(Date.parse('2026-12-03T13:15:00Z') - Date.UTC(2001, 0, 1)) * 1_000_000n;
    const voidElement = [0xec, 0x83, 0, 0, 0];
    expect(new Date(readMatroskaDateUtc(webmHead(ns, voidElement))!).toISOString()).toBe('2026-12-03T13:15:00.000Z');
  });
  it.each([
    ['no DateUTC', webmHead(undefined)],
    ['not Matroska', new TextEncoder().encode('RIFF....WAVEfmt ')],
    ['cut short', webmHead(1n).subarray(0, 20)],
    ['empty', new Uint8Array()],
    ['a cluster before any info', new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80, 0x18, 0x53, 0x80, 0x67, 0xff, 0x1f, 0x43, 0xb6, 0x75, 0xff])],
  ])('%s → undefined', (_title, bytes) => {
    expect(readMatroskaDateUtc(bytes)).toBeUndefined();
  });
});
