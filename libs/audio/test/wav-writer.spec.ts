import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav16, openAudio, writeWav16 } from '../src';
import { collect, sine, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('writeWav16', () => {
  it('writes a canonical 16-bit mono PCM WAV that decodes back to the same samples', async () => {
    const samples = sine(880, 16_000, 8000, 0.7);
    const path = join(tmp.dir, 'clip.wav');
    await writeWav16(path, samples, 16_000);
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(44 + 16_000);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.readUInt32LE(4)).toBe(36 + 16_000);
    expect(bytes.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(bytes.readUInt16LE(20)).toBe(1);
    expect(bytes.readUInt16LE(22)).toBe(1);
    expect(bytes.readUInt32LE(24)).toBe(16_000);
    expect(bytes.readUInt32LE(28)).toBe(32_000);
    expect(bytes.readUInt16LE(34)).toBe(16);
    expect(bytes.readUInt32LE(40)).toBe(16_000);
    const { info, samples: decoded } = await openAudio(path);
    expect(info).toMatchObject({ container: 'wav', sourceSampleRate: 16_000, channels: 1 });
    const back = await collect(decoded);
    expect(back.length).toBe(samples.length);
    for (let i = 0; i < samples.length; i++) expect(Math.abs(back[i] - samples[i])).toBeLessThanOrEqual(0.5 / 32768 + 1e-9);
  });

  it('clips out-of-range samples and rounds to the nearest step', () => {
    const bytes = encodeWav16(Float32Array.from([2, -2, 1, -1, 0.99999, 0, 0.5 / 32768 + 1e-7, Number.NaN]), 8000);
    const values = Array.from({ length: 8 }, (_, i) => bytes.readInt16LE(44 + 2 * i));
    expect(values).toEqual([32767, -32768, 32767, -32768, 32767, 0, 1, 0]);
  });

  it('rejects a bad sample rate', () => {
    expect(() => encodeWav16(new Float32Array(1), 0)).toThrow(RangeError);
  });
});
