import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAudio } from '../src';
import { OggPageScanner, oggCrc } from '../src/decoders/ogg-pages';
import { EVAL_DIR, HAVE_EVAL, HAVE_FFMPEG, caught, chunked, collect, ffmpeg, tempDir, toneAmplitude } from './helpers';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Index of the first sample where a differs from b's prefix, or -1 (toEqual is too slow for millions). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Decodes as far as possible; returns the samples and the error that ended decoding, if any. */
async function decodePartial(source: string | AsyncIterable<Uint8Array>) {
  const { samples } = await openAudio(source);
  const parts: Float32Array[] = [];
  let error: (Error & { code?: string; decodedSeconds?: number }) | undefined;
  try {
    for await (const part of samples) parts.push(part);
  } catch (e) {
    error = e as Error;
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return { samples: out, error };
}

describe.skipIf(!HAVE_FFMPEG)('Ogg Opus decoding (generated files)', () => {
  const tmp = tempDir();
  const monoPath = join(tmp.dir, 'sine1k.ogg');
  const stereoPath = join(tmp.dir, 'stereo.ogg');
  beforeAll(() => {
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000:duration=3', '-c:a', 'libopus', '-b:a', '32k', monoPath);
    ffmpeg(
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2',
      '-f', 'lavfi', '-i', 'sine=frequency=2500:sample_rate=48000:duration=2',
      '-filter_complex', '[0:a][1:a]join=inputs=2:channel_layout=stereo[a]', '-map', '[a]', '-c:a', 'libopus', '-b:a', '64k', stereoPath,
    );
  });
  afterAll(() => tmp.cleanup());

  it('decodes straight to 16 kHz with the exact duration', async () => {
    const { info, samples } = await openAudio(monoPath);
    expect(info).toEqual({ container: 'ogg-opus', sourceSampleRate: 48_000, channels: 1, codec: 'opus' });
    const pcm = await collect(samples);
    expect(pcm.length).toBe(3 * 16_000);
    // ffmpeg's sine source has amplitude 1/8.
    expect(toneAmplitude(pcm, 1000, 16_000, 1600, pcm.length - 1600)).toBeCloseTo(0.125, 2);
    expect(toneAmplitude(pcm, 3000, 16_000, 1600, pcm.length - 1600)).toBeLessThan(0.002);
  });

  it('averages stereo to mono', async () => {
    const { info, samples } = await openAudio(stereoPath);
    expect(info.channels).toBe(2);
    const pcm = await collect(samples);
    expect(pcm.length).toBe(2 * 16_000);
    expect(toneAmplitude(pcm, 440, 16_000, 1600, pcm.length - 1600)).toBeCloseTo(0.0625, 2);
    expect(toneAmplitude(pcm, 2500, 16_000, 1600, pcm.length - 1600)).toBeCloseTo(0.0625, 2);
  });

  it('gives the same samples from a byte stream in arbitrary chunks as from the file', async () => {
    const bytes = readFileSync(monoPath);
    const fromFile = await collect((await openAudio(monoPath)).samples);
    const fromStream = await collect((await openAudio(chunked(bytes, [1, 7, 300, 4096, 27, 28]))).samples);
    expect(fromStream).toEqual(fromFile);
  });

  it('reports missing pages as CORRUPT after yielding the audio before them', async () => {
    const bytes = new Uint8Array(readFileSync(monoPath));
    const scanner = new OggPageScanner();
    const pages = scanner.push(bytes);
    expect(pages.length).toBeGreaterThan(5);
    const drop = pages[4];
    const damaged = new Uint8Array([...bytes.subarray(0, drop.offset), ...bytes.subarray(drop.offset + drop.bytes.length)]);
    const { samples, error } = await decodePartial(once(damaged));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error?.message).toMatch(/missing/);
    expect(samples.length).toBeGreaterThan(0);
    expect(error?.decodedSeconds).toBe(samples.length / 16_000);
  });

  it('decodes chained streams (files joined end to end) back to back', async () => {
    const bytes = readFileSync(monoPath);
    const chained = new Uint8Array(bytes.length * 2);
    chained.set(bytes);
    chained.set(bytes, bytes.length);
    const pcm = await collect((await openAudio(once(chained))).samples);
    expect(pcm.length).toBe(2 * 48_000);
  });

  it('ignores trailing junk after the end of the stream', async () => {
    const bytes = readFileSync(monoPath);
    const padded = new Uint8Array(bytes.length + 1000);
    padded.set(bytes);
    padded.fill(0x20, bytes.length);
    expect((await collect((await openAudio(once(padded))).samples)).length).toBe(48_000);
  });

  it('accepts a stream that ends on a page boundary without the end-of-stream flag', async () => {
    const bytes = new Uint8Array(readFileSync(monoPath));
    const pages = new OggPageScanner().push(bytes);
    const cut = pages[pages.length - 2];
    const { samples, error } = await decodePartial(once(bytes.subarray(0, cut.offset + cut.bytes.length)));
    expect(error).toBeUndefined();
    expect(samples.length).toBeGreaterThan(40_000);
    expect(samples.length).toBeLessThan(48_000);
  });

  it('sends Ogg Vorbis to ffmpeg', async () => {
    const vorbis = join(tmp.dir, 'tone.oga');
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=500:sample_rate=44100:duration=1', '-c:a', 'libvorbis', '-f', 'ogg', vorbis);
    const { info, samples } = await openAudio(vorbis);
    expect(info.container).toBe('ffmpeg');
    expect(info.codec).toBe('vorbis');
    expect((await collect(samples)).length).toBeGreaterThan(15_000);
  });
});

describe('OggPageScanner', () => {
  it.skipIf(!HAVE_EVAL)('accepts every page of a real recording and rejects a flipped byte', () => {
    const bytes = new Uint8Array(readFileSync(join(EVAL_DIR, 'long_d1.ogg')));
    const scanner = new OggPageScanner();
    const pages = scanner.push(bytes);
    scanner.end();
    expect(scanner.error).toBeUndefined();
    expect(scanner.endedWithEos).toBe(true);
    expect(pages.reduce((n, p) => n + p.bytes.length, 0)).toBe(bytes.length);
    const page = pages[10].bytes.slice();
    expect(oggCrc(page)).toBe(new DataView(page.buffer).getUint32(22, true));
    page[100] ^= 1;
    expect(oggCrc(page)).not.toBe(new DataView(page.buffer).getUint32(22, true));
  });
});

describe.skipIf(!HAVE_EVAL)('Ogg Opus decoding (real 600 s recording)', () => {
  const path = join(EVAL_DIR, 'long_d1.ogg');
  let full: Float32Array;
  beforeAll(async () => {
    full = await collect((await openAudio(path)).samples);
  }, 120_000);

  it('decodes exactly 600 s at 16 kHz', () => {
    expect(full.length).toBe(600 * 16_000);
    let peak = 0;
    for (let i = 0; i < full.length; i += 7) peak = Math.max(peak, Math.abs(full[i]));
    expect(peak).toBeGreaterThan(0.1);
  });

  it('cut in half: yields everything before the cut, then TRUNCATED', async () => {
    const bytes = readFileSync(path);
    const half = bytes.subarray(0, Math.floor(bytes.length / 2));
    const { samples, error } = await decodePartial(chunked(half, 65_536));
    expect(error).toMatchObject({ code: 'TRUNCATED' });
    expect(error?.message).toMatch(/truncated/i);
    expect(error?.decodedSeconds).toBe(samples.length / 16_000);
    expect(samples.length / 16_000).toBeGreaterThan(250);
    expect(samples.length / 16_000).toBeLessThan(310);
    // The part before the cut decodes exactly as in the complete file.
    expect(firstDifference(samples, full)).toBe(-1);
  });

  it('with garbage in the middle: yields everything before it, then CORRUPT', async () => {
    const bytes = new Uint8Array(readFileSync(path));
    const at = Math.floor(bytes.length / 4);
    let seed = 7;
    for (let i = at; i < at + 3000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      bytes[i] = seed & 0xff;
    }
    const error = await caught(async () => collect((await openAudio(once(bytes))).samples));
    expect(error).toMatchObject({ code: 'CORRUPT' });
    expect(error.message).toMatch(/corrupt/i);
    expect(error.decodedSeconds).toBeGreaterThan(120);
    expect(error.decodedSeconds).toBeLessThan(160);
  });
});
