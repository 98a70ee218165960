import { describe, expect, it } from 'vitest';
import { RealFft } from '../src/features/fft';

/** O(n²) DFT of a real signal: the reference the fast transform must match. */
function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      const angle = (2 * Math.PI * ((k * t) % n)) / n;
      re[k] += x[t] * Math.cos(angle);
      im[k] -= x[t] * Math.sin(angle);
    }
  }
  return { re, im };
}

describe('RealFft', () => {
  it.each([8, 16, 32, 64, 128, 256, 512, 1024])('matches a direct DFT for size %i', (n) => {
    const fft = new RealFft(n);
    const x = new Float64Array(n);
    let seed = n;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      x[i] = seed / 2147483648 - 0.5;
    }
    const { re, im } = naiveDft(x);
    const outRe = new Float64Array(n / 2 + 1);
    const outIm = new Float64Array(n / 2 + 1);
    const magnitude = new Float64Array(n / 2 + 1);
    fft.spectrum(x, outRe, outIm);
    fft.magnitude(x, magnitude);
    for (let k = 0; k <= n / 2; k++) {
      expect(outRe[k]).toBeCloseTo(re[k], 10);
      expect(outIm[k]).toBeCloseTo(im[k], 10);
      expect(magnitude[k]).toBeCloseTo(Math.hypot(re[k], im[k]), 10);
    }
  });

  it('is reusable: the same frame twice gives the same spectrum', () => {
    const fft = new RealFft(512);
    const x = Float64Array.from({ length: 512 }, (_, i) => Math.sin(i * 0.37) + 0.1 * Math.cos(i * 2.1));
    const a = new Float64Array(257);
    const b = new Float64Array(257);
    fft.magnitude(x, a);
    fft.magnitude(new Float64Array(512).fill(1), b);
    fft.magnitude(x, b);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('windowedMagnitude equals magnitude of the windowed, zero-padded frame', () => {
    const fft = new RealFft(512);
    const samples = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.11) + 0.3 * Math.cos(i * 1.3));
    const window = Float64Array.from({ length: 400 }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 400));
    const frame = new Float64Array(512);
    for (let n = 0; n < 400; n++) frame[n] = samples[321 + n] * window[n];
    const expected = new Float64Array(257);
    const actual = new Float64Array(257);
    fft.magnitude(frame, expected);
    fft.magnitude(new Float64Array(512).fill(3), actual); // leave junk in the work buffers first
    fft.windowedMagnitude(samples, 321, window, actual);
    expect(Array.from(actual)).toEqual(Array.from(expected));
    expect(() => fft.windowedMagnitude(samples, 700, window, actual)).toThrow(RangeError);
  });

  it('rejects sizes that are not powers of two and inputs of the wrong length', () => {
    expect(() => new RealFft(400)).toThrow(RangeError);
    expect(() => new RealFft(512).magnitude(new Float64Array(400), new Float64Array(257))).toThrow(RangeError);
  });
});
