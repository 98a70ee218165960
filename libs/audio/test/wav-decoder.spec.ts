import { describe, expect, it } from 'vitest';
import { WavDecoder } from '../src/decoders/wav';
import { probeWavFormat } from '../src/decoders/wav-format';
import { buildWav, encodeFloat, encodePcm } from './wav-builder';
import { sine } from './helpers';

function decodeAll(bytes: Uint8Array, chunkSizes: number[] = [bytes.length]): Float32Array {
  const decoder = new WavDecoder();
  const parts: Float32Array[] = [];
  for (let i = 0, s = 0; i < bytes.length; s++) {
    const size = chunkSizes[s % chunkSizes.length];
    parts.push(decoder.push(bytes.subarray(i, i + size)));
    i += size;
  }
  decoder.end();
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

const left = sine(440, 8000, 500, 0.6);
const right = sine(1000, 8000, 500, 0.3, 1);
const mono = Float32Array.from(left, (v, i) => (v + right[i]) / 2);

describe('WavDecoder', () => {
  it.each([8, 16, 24, 32] as const)('decodes %i-bit PCM and averages stereo to mono', (bits) => {
    const bytes = buildWav({ channels: 2, sampleRate: 8000, bitsPerSample: bits, data: encodePcm([left, right], bits) });
    expectClose(decodeAll(bytes), mono, 2 ** -(bits - 1) * 1.01);
  });

  it.each([32, 64] as const)('decodes %i-bit float', (bits) => {
    const bytes = buildWav({ formatTag: 3, channels: 2, sampleRate: 8000, bitsPerSample: bits, data: encodeFloat([left, right], bits) });
    expectClose(decodeAll(bytes), mono, 1e-7);
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE (24-bit PCM, 3 channels; float)', () => {
    const third = sine(200, 8000, 500, 0.1);
    const bytes = buildWav({ extensibleSubformat: 1, channels: 3, sampleRate: 8000, bitsPerSample: 24, data: encodePcm([left, right, third], 24) });
    expectClose(decodeAll(bytes), Float32Array.from(left, (v, i) => (v + right[i] + third[i]) / 3), 1e-6);
    const float = buildWav({ extensibleSubformat: 3, channels: 1, sampleRate: 8000, bitsPerSample: 32, data: encodeFloat([left], 32) });
    expectClose(decodeAll(float), left, 0);
  });

  it('decodes exactly the same whatever the chunk boundaries (inside headers and samples)', () => {
    const bytes = buildWav({
      channels: 2,
      sampleRate: 8000,
      bitsPerSample: 24,
      data: encodePcm([left, right], 24),
      before: [{ id: 'LIST', body: new Uint8Array(37).fill(65) }],
      after: [{ id: 'JUNK', body: new Uint8Array(3) }],
    });
    const whole = decodeAll(bytes);
    expect(decodeAll(bytes, [1])).toEqual(whole);
    expect(decodeAll(bytes, [5, 3, 7])).toEqual(whole);
    expect(decodeAll(bytes, [13, 1, 2, 64])).toEqual(whole);
    expectClose(whole, mono, 2 ** -23 * 1.01);
  });

  it('skips unknown chunks of odd size (with their pad byte) before and after the data', () => {
    const bytes = buildWav({
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 16,
      data: encodePcm([left], 16),
      before: [
        { id: 'bext', body: new Uint8Array(11).fill(1) },
        { id: 'LIST', body: new TextEncoder().encode('INFOISFT\x05\x00\x00\x00abcde') },
      ],
      after: [{ id: 'id3 ', body: new Uint8Array(9).fill(0xff) }],
    });
    expectClose(decodeAll(bytes, [7]), left, 2 ** -15);
  });

  it('handles an odd-sized data chunk followed by its pad byte and another chunk', () => {
    const data = encodePcm([left.subarray(0, 101)], 8); // 101 bytes: odd
    const bytes = buildWav({ channels: 1, sampleRate: 8000, bitsPerSample: 8, data, after: [{ id: 'LIST', body: new Uint8Array(4) }] });
    expect(decodeAll(bytes, [3]).length).toBe(101);
  });

  it('decodes A-law and µ-law', () => {
    // G.711 codes: 0xd5 / 0x55 are A-law's smallest magnitudes; µ-law 0xff / 0x7f are zero.
    const alaw = buildWav({ formatTag: 6, channels: 1, sampleRate: 8000, bitsPerSample: 8, data: Uint8Array.from([0xd5, 0x55, 0xaa, 0x2a]) });
    const alawOut = decodeAll(alaw);
    expect(alawOut[0]).toBeCloseTo(8 / 32768, 8);
    expect(alawOut[1]).toBeCloseTo(-8 / 32768, 8);
    expect(alawOut[2]).toBeCloseTo(32256 / 32768, 6);
    expect(alawOut[3]).toBeCloseTo(-32256 / 32768, 6);
    const mulaw = buildWav({ formatTag: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8, data: Uint8Array.from([0xff, 0x7f, 0x80, 0x00]) });
    const mulawOut = decodeAll(mulaw);
    expect(mulawOut[0]).toBe(0);
    expect(mulawOut[1]).toBe(0);
    expect(mulawOut[2]).toBeCloseTo(32124 / 32768, 6);
    expect(mulawOut[3]).toBeCloseTo(-32124 / 32768, 6);
  });

  it('reads to the end when the writer could not fill in the sizes (streamed WAV)', () => {
    const data = encodePcm([left], 16);
    const unknown = buildWav({ channels: 1, sampleRate: 8000, bitsPerSample: 16, data, dataSize: 0xffffffff, riffSize: 0xffffffff });
    expectClose(decodeAll(unknown, [1000]), left, 2 ** -15);
    const zero = buildWav({ channels: 1, sampleRate: 8000, bitsPerSample: 16, data, dataSize: 0, riffSize: 36 });
    expectClose(decodeAll(zero), left, 2 ** -15);
  });

  it('reports TRUNCATED when the data chunk is cut short, after decoding what is there', () => {
    const bytes = buildWav({ channels: 1, sampleRate: 8000, bitsPerSample: 16, data: encodePcm([left], 16) });
    const cut = bytes.subarray(0, 44 + 301); // 150 whole samples and half of one
    const decoder = new WavDecoder();
    const got = decoder.push(cut);
    expect(got.length).toBe(150);
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });

  it('reports TRUNCATED when the file ends inside the header', () => {
    const bytes = buildWav({ channels: 1, sampleRate: 8000, bitsPerSample: 16, data: encodePcm([left], 16) });
    for (const length of [12, 20, 40]) {
      const decoder = new WavDecoder();
      expect(decoder.push(bytes.subarray(0, length)).length).toBe(0);
      expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
    }
  });

  it('reports CORRUPT for inconsistent headers', () => {
    const noChannels = buildWav({ channels: 0, sampleRate: 8000, bitsPerSample: 16, blockAlign: 2, data: new Uint8Array(4) });
    expect(() => new WavDecoder().push(noChannels)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    const dataFirst = new Uint8Array([...new TextEncoder().encode('RIFF'), 12, 0, 0, 0, ...new TextEncoder().encode('WAVEdata'), 0, 0, 0, 0]);
    expect(() => new WavDecoder().push(dataFirst)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});

describe('probeWavFormat', () => {
  it('finds the fmt chunk after other chunks, or asks for more bytes', () => {
    const bytes = buildWav({
      channels: 2,
      sampleRate: 44_100,
      bitsPerSample: 16,
      data: new Uint8Array(40),
      before: [{ id: 'JUNK', body: new Uint8Array(300) }],
    });
    expect(probeWavFormat(bytes.subarray(0, 100), false)).toEqual({ status: 'need-more' });
    const probe = probeWavFormat(bytes, false);
    expect(probe.status).toBe('format');
    if (probe.status === 'format') {
      expect(probe.format).toMatchObject({ formatTag: 1, channels: 2, sampleRate: 44_100, encoding: 'pcm', bytesPerSample: 2 });
    }
    expect(() => probeWavFormat(bytes.subarray(0, 100), true)).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });

  it('recognises codecs it cannot decode natively', () => {
    const adpcm = buildWav({ formatTag: 0x11, channels: 1, sampleRate: 8000, bitsPerSample: 4, blockAlign: 256, data: new Uint8Array(256) });
    const probe = probeWavFormat(adpcm, true);
    expect(probe.status === 'format' && probe.format.encoding).toBe(undefined);
    expect(probe.status === 'format' && probe.format.codecName).toMatch(/IMA ADPCM.*0x0011/);
  });
});
