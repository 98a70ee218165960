import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../src/decoders/sniff';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

/** An Ogg first page header (27 bytes + one lacing value) followed by `payload`. */
const oggPage = (payload: (string | number[])[]) => bytes('OggS', [0, 2], new Array(20).fill(0), [1, 19], ...payload);

describe('sniffFormat', () => {
  it('recognises Ogg Opus from the OpusHead in the first page, with its channel count', () => {
    const head = oggPage(['OpusHead', [1, 2, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0]]);
    expect(sniffFormat(head)).toEqual({ kind: 'ogg-opus', channels: 2, inputSampleRate: 48_000 });
  });

  it('sends other Ogg codecs to ffmpeg', () => {
    expect(sniffFormat(oggPage(['\x01vorbis', new Array(20).fill(0)]))).toEqual({ kind: 'other', format: 'Ogg Vorbis' });
    expect(sniffFormat(oggPage(['\x7fFLAC', new Array(20).fill(0)]))).toEqual({ kind: 'other', format: 'Ogg FLAC' });
  });

  it('recognises RIFF/WAVE but not other RIFF files', () => {
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toEqual({ kind: 'wav' });
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'))).toEqual({ kind: 'other', format: 'AVI' });
    expect(sniffFormat(bytes('RF64', [0, 0, 0, 0], 'WAVEds64'))).toEqual({ kind: 'other', format: 'RF64 WAV' });
  });

  it('names common formats for error messages', () => {
    expect(sniffFormat(bytes('ID3', [3, 0, 0]))).toMatchObject({ format: 'MP3' });
    expect(sniffFormat(bytes([0xff, 0xfb, 0x90, 0x64]))).toMatchObject({ format: 'MP3' });
    expect(sniffFormat(bytes([0xff, 0xf1, 0x50, 0x80]))).toMatchObject({ format: 'AAC (ADTS)' });
    expect(sniffFormat(bytes('fLaC', [0, 0, 0, 34]))).toMatchObject({ format: 'FLAC' });
    expect(sniffFormat(bytes([0, 0, 0, 0x20], 'ftypM4A '))).toMatchObject({ format: 'MP4/M4A' });
    expect(sniffFormat(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]))).toMatchObject({ format: 'WebM/Matroska' });
    expect(sniffFormat(bytes('FORM', [0, 0, 0, 0], 'AIFF'))).toMatchObject({ format: 'AIFF' });
  });

  it('calls printable data text, and unknown binary "other"', () => {
    expect(sniffFormat(bytes('hello,\tworld\r\n'))).toEqual({ kind: 'text' });
    expect(sniffFormat(new TextEncoder().encode('héllo wörld ✓\n'))).toEqual({ kind: 'text' });
    expect(sniffFormat(bytes([0x00, 0x01, 0x02, 0x41]))).toEqual({ kind: 'other' });
  });
});
