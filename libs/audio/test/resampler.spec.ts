import { describe, expect, it } from 'vitest';
import { StreamingResampler } from '../src/resample/streaming-resampler';
import { rms, sine, toneAmplitude } from './helpers';

function resample(from: number, to: number, input: Float32Array, chunk = input.length): Float32Array {
  const r = new StreamingResampler(from, to);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(r.process(input.subarray(i, i + chunk)));
  parts.push(r.flush());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const dB = (ratio: number) => 20 * Math.log10(ratio);
/** Skip the filter's start-up and tail (zeros outside the signal) when measuring. */
const MARGIN = 400;

describe('StreamingResampler', () => {
  describe.each([48_000, 44_100, 22_050, 96_000, 32_000])('%i Hz → 16 kHz', (from) => {
    const seconds = 0.5;
    const n = Math.round(from * seconds);

    it.each([100, 1000, 4000, 6000, 6900])('passes a %i Hz tone at unity gain, in phase', (f) => {
      const out = resample(from, 16_000, sine(f, from, n, 0.5));
      const gain = toneAmplitude(out, f, 16_000, MARGIN, out.length - MARGIN) / 0.5;
      expect(Math.abs(dB(gain))).toBeLessThan(0.05);
      // No delay: output sample k is the input signal at time k/16000.
      const ideal = sine(f, 16_000, out.length, 0.5);
      let worst = 0;
      for (let i = MARGIN; i < out.length - MARGIN; i++) worst = Math.max(worst, Math.abs(out[i] - ideal[i]));
      expect(worst).toBeLessThan(0.5 * 10 ** (-50 / 20));
    });

    const stopband = [8000, 8500, 9000, 12_000, 15_000, from / 2 - 100].filter((f) => f < from / 2);
    it.each(stopband)('attenuates a %f Hz tone by more than 60 dB (no aliasing)', (f) => {
      const out = resample(from, 16_000, sine(f, from, n, 0.5));
      const level = rms(out, MARGIN, out.length - MARGIN) / (0.5 / Math.SQRT2);
      expect(dB(level)).toBeLessThan(-60);
    });
  });

  it('8 kHz → 16 kHz: passes in-band tones and suppresses the images', () => {
    const input = sine(3000, 8000, 4000, 0.5);
    const out = resample(8000, 16_000, input);
    expect(out.length).toBe(8000);
    expect(Math.abs(dB(toneAmplitude(out, 3000, 16_000, MARGIN, out.length - MARGIN) / 0.5))).toBeLessThan(0.05);
    // Zero-stuffing would put a mirror image at 8000 − 3000 = 5000 Hz.
    expect(dB(toneAmplitude(out, 5000, 16_000, MARGIN, out.length - MARGIN) / 0.5)).toBeLessThan(-60);
  });

  it.each([16_001, 12_345, 47_999])('handles an awkward ratio (%i Hz) with interpolated phases', (from) => {
    const n = Math.round(from * 0.5);
    const out = resample(from, 16_000, sine(1500, from, n, 0.5));
    expect(out.length).toBe(Math.ceil((n * 16_000) / from));
    const ideal = sine(1500, 16_000, out.length, 0.5);
    let worst = 0;
    for (let i = MARGIN; i < out.length - MARGIN; i++) worst = Math.max(worst, Math.abs(out[i] - ideal[i]));
    expect(dB(worst / 0.5)).toBeLessThan(-60);
    if (from / 2 > 9000) {
      const alias = resample(from, 16_000, sine(9000, from, n, 0.5));
      expect(dB(rms(alias, MARGIN, alias.length - MARGIN) / (0.5 / Math.SQRT2))).toBeLessThan(-60);
    } else if (from < 16_000) {
      // Upsampling 12345 Hz: the 1500 Hz tone's image at 12345 − 1500 Hz would alias to 16000 − 10845 Hz.
      expect(dB(toneAmplitude(out, 16_000 - (from - 1500), 16_000, MARGIN, out.length - MARGIN) / 0.5)).toBeLessThan(-60);
    }
  });

  it('gives bit-identical output whatever the chunking', () => {
    const input = new Float32Array(30_000);
    for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.05) * 0.4 + Math.sin(i * 0.9) * 0.2;
    for (const from of [44_100, 48_000, 12_345]) {
      const whole = resample(from, 16_000, input);
      const r = new StreamingResampler(from, 16_000);
      const parts: number[] = [];
      const sizes = [1, 0, 2, 17, 1000, 3, 4096, 441, 160];
      for (let i = 0, s = 0; i < input.length; s++) {
        const size = sizes[s % sizes.length];
        parts.push(...r.process(input.subarray(i, i + size)));
        i += size;
      }
      parts.push(...r.flush());
      expect(Float32Array.from(parts)).toEqual(whole);
    }
  });

  it('outputs exactly ⌈n · to / from⌉ samples', () => {
    for (const from of [48_000, 44_100, 8000, 22_050, 96_000, 16_001]) {
      for (const n of [0, 1, 2, 3, 100, 4411, 48_001]) {
        expect(resample(from, 16_000, new Float32Array(n)).length).toBe(Math.ceil((n * 16_000) / from));
      }
    }
  });

  it('keeps a constant exactly constant (unit DC gain on every phase)', () => {
    const out = resample(44_100, 16_000, new Float32Array(44_100).fill(0.25));
    for (let i = MARGIN; i < out.length - MARGIN; i++) expect(out[i]).toBeCloseTo(0.25, 6);
  });

  it('passes audio through unchanged when the rates are equal', () => {
    const input = sine(440, 16_000, 1000);
    expect(resample(16_000, 16_000, input, 333)).toEqual(input);
  });

  it('holds bounded state: input history does not grow with stream length', () => {
    const r = new StreamingResampler(48_000, 16_000);
    const chunk = sine(1000, 48_000, 4800);
    for (let i = 0; i < 200; i++) r.process(chunk);
    const internal = r as unknown as { buffer: Float64Array; bufferLength: number };
    expect(internal.bufferLength).toBeLessThanOrEqual(r.halfTaps * 2 + 1);
    expect(internal.buffer.length).toBeLessThanOrEqual(Math.max(4096, 4 * 2 * r.halfTaps) + 4800 * 2);
  });

  it('rejects invalid rates and use after flush', () => {
    expect(() => new StreamingResampler(0, 16_000)).toThrow(RangeError);
    expect(() => new StreamingResampler(44_100.5, 16_000)).toThrow(RangeError);
    const r = new StreamingResampler(48_000, 16_000);
    r.flush();
    expect(r.flush().length).toBe(0);
    expect(() => r.process(new Float32Array(1))).toThrow(/after flush/);
  });
});
