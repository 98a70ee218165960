/**
 * Real-input FFT of a fixed power-of-two size, built for the log-mel front end's inner loop: all
 * tables are precomputed and every buffer is preallocated, so transforming a frame allocates
 * nothing. An N-point real transform is computed as an N/2-point complex FFT of the even/odd
 * samples packed as (re, im), followed by the standard split step — half the work of a complex FFT
 * on zero imaginary parts. The complex FFT is iterative radix-2 decimation in time with its first
 * two stages fused into one multiplication-free pass and the later stages fused in pairs, so each
 * value is loaded and stored half as often as in a plain radix-2 loop.
 */
export class RealFft {
  readonly size: number;
  /** Output bins: N/2 + 1. */
  readonly bins: number;
  private readonly half: number;
  private readonly bitReversed: Uint32Array;
  /** Twiddles of the stage whose butterflies span h: entries [h, 2h) hold e^{-iπk/h}, k < h. */
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  /** Split-step twiddles cos/sin(2πk/N), k ≤ N/2. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 8 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two ≥ 8, got ${size}`);
    }
    this.size = size;
    this.half = size / 2;
    this.bins = this.half + 1;
    const half = this.half;
    const bits = Math.log2(half);
    this.bitReversed = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = r;
    }
    this.twiddleRe = new Float64Array(half);
    this.twiddleIm = new Float64Array(half);
    for (let h = 1; h < half; h <<= 1) {
      for (let k = 0; k < h; k++) {
        this.twiddleRe[h + k] = Math.cos((Math.PI * k) / h);
        this.twiddleIm[h + k] = -Math.sin((Math.PI * k) / h);
      }
    }
    this.splitCos = new Float64Array(half + 1);
    this.splitSin = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.splitSin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /** Writes |X[k]| for k = 0..N/2 of the real signal `input` (length N) into `out` (length ≥ N/2+1). */
  magnitude(input: Float64Array, out: Float64Array): void {
    this.transform(input);
    this.splitMagnitude(out);
  }

  /**
   * magnitude() of the frame samples[start..start+window.length) multiplied by `window` and
   * zero-padded to N — the STFT step, without an intermediate frame buffer.
   */
  windowedMagnitude(samples: Float64Array, start: number, window: Float64Array, out: Float64Array): void {
    this.loadWindowed(samples, start, window);
    this.splitMagnitude(out);
  }

  private splitMagnitude(out: Float64Array): void {
    const re = this.re;
    const im = this.im;
    const half = this.half;
    const cos = this.splitCos;
    const sin = this.splitSin;
    out[0] = Math.abs(re[0] + im[0]);
    out[half] = Math.abs(re[0] - im[0]);
    for (let k = 1; k < half; k++) {
      const a = re[k];
      const b = im[k];
      const c = re[half - k];
      const d = im[half - k];
      // 2X[k] = (Z[k] + conj Z[N/2-k]) − i·W^k·(Z[k] − conj Z[N/2-k]), W = e^{-2πi/N}.
      const er = a + c;
      const ei = b - d;
      const or = b + d;
      const oi = c - a;
      const wr = cos[k];
      const ws = sin[k];
      const xr = er + wr * or + ws * oi;
      const xi = ei + wr * oi - ws * or;
      out[k] = 0.5 * Math.sqrt(xr * xr + xi * xi);
    }
  }

  /** Complex spectrum X[k], k = 0..N/2 (for analysis and tests; the hot path uses magnitude()). */
  spectrum(input: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.transform(input);
    const { re, im, half, splitCos: cos, splitSin: sin } = this;
    outRe[0] = re[0] + im[0];
    outIm[0] = 0;
    outRe[half] = re[0] - im[0];
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const er = re[k] + re[half - k];
      const ei = im[k] - im[half - k];
      const or = im[k] + im[half - k];
      const oi = re[half - k] - re[k];
      outRe[k] = 0.5 * (er + cos[k] * or + sin[k] * oi);
      outIm[k] = 0.5 * (ei + cos[k] * oi - sin[k] * or);
    }
  }

  /** N/2-point complex FFT of z[k] = x[2k] + i·x[2k+1], left in re/im. */
  private transform(input: Float64Array): void {
    if (input.length !== this.size) throw new RangeError(`expected ${this.size} samples, got ${input.length}`);
    const { re, im, half, bitReversed: rev } = this;
    for (let i = 0; i < half; i++) {
      const j = rev[i];
      re[j] = input[2 * i];
      im[j] = input[2 * i + 1];
    }
    this.butterflies();
  }

  /**
   * Loads samples[start + n]·window[n] (n < window.length, zero beyond) straight into the
   * bit-reversed FFT input, saving the separate windowing and copying passes of the hot path.
   */
  private loadWindowed(samples: Float64Array, start: number, window: Float64Array): void {
    const { re, im, half, bitReversed: rev } = this;
    const length = window.length;
    if (length > this.size || length % 2 !== 0) throw new RangeError(`window length must be even and ≤ ${this.size}`);
    if (start < 0 || start + length > samples.length) throw new RangeError('frame extends beyond the samples');
    const pairs = length >> 1;
    for (let i = 0; i < pairs; i++) {
      const j = rev[i];
      const n = 2 * i;
      re[j] = samples[start + n] * window[n];
      im[j] = samples[start + n + 1] * window[n + 1];
    }
    for (let i = pairs; i < half; i++) {
      const j = rev[i];
      re[j] = 0;
      im[j] = 0;
    }
    this.butterflies();
  }

  private butterflies(): void {
    const re = this.re;
    const im = this.im;
    const half = this.half;
    const twRe = this.twiddleRe;
    const twIm = this.twiddleIm;
    // Stages with spans 1 and 2 fused: their twiddles are 1 and −i, so no multiplications.
    for (let s = 0; s < half; s += 4) {
      const r0 = re[s];
      const i0 = im[s];
      const r1 = re[s + 1];
      const i1 = im[s + 1];
      const r2 = re[s + 2];
      const i2 = im[s + 2];
      const r3 = re[s + 3];
      const i3 = im[s + 3];
      const ar = r0 + r1;
      const ai = i0 + i1;
      const br = r0 - r1;
      const bi = i0 - i1;
      const cr = r2 + r3;
      const ci = i2 + i3;
      const dr = r2 - r3;
      const di = i2 - i3;
      re[s] = ar + cr;
      im[s] = ai + ci;
      re[s + 2] = ar - cr;
      im[s + 2] = ai - ci;
      re[s + 1] = br + di;
      im[s + 1] = bi - dr;
      re[s + 3] = br - di;
      im[s + 3] = bi + dr;
    }
    // Remaining stages two at a time (spans h and 2h fused in registers: half the loads and stores).
    let h = 4;
    for (; 4 * h <= half; h <<= 2) {
      const span = h << 2;
      for (let k = 0; k < h; k++) {
        const ar = twRe[h + k]; // e^{-iπk/h}: twiddle of the span-h stage
        const ai = twIm[h + k];
        const br = twRe[2 * h + k]; // e^{-iπk/2h}: twiddle of the span-2h stage
        const bi = twIm[2 * h + k];
        for (let p0 = k; p0 < half; p0 += span) {
          const p1 = p0 + h;
          const p2 = p1 + h;
          const p3 = p2 + h;
          const x0r = re[p0];
          const x0i = im[p0];
          const x1r = re[p1] * ar - im[p1] * ai;
          const x1i = re[p1] * ai + im[p1] * ar;
          const x2r = re[p2];
          const x2i = im[p2];
          const x3r = re[p3] * ar - im[p3] * ai;
          const x3i = re[p3] * ai + im[p3] * ar;
          const s0r = x0r + x1r;
          const s0i = x0i + x1i;
          const d0r = x0r - x1r;
          const d0i = x0i - x1i;
          const s1r = x2r + x3r;
          const s1i = x2i + x3i;
          const d1r = x2r - x3r;
          const d1i = x2i - x3i;
          // Span-2h stage: pairs (p0, p2) with twiddle b and (p1, p3) with b·(−i).
          const tr = s1r * br - s1i * bi;
          const ti = s1r * bi + s1i * br;
          const ur = d1r * bi + d1i * br; // (−i)·b·d1, real part
          const ui = d1i * bi - d1r * br;
          re[p0] = s0r + tr;
          im[p0] = s0i + ti;
          re[p2] = s0r - tr;
          im[p2] = s0i - ti;
          re[p1] = d0r + ur;
          im[p1] = d0i + ui;
          re[p3] = d0r - ur;
          im[p3] = d0i - ui;
        }
      }
    }
    if (h < half) {
      // One radix-2 stage left over when log2(N/2) is odd.
      for (let k = 0; k < h; k++) {
        const wr = twRe[h + k];
        const wi = twIm[h + k];
        const q = k + h;
        const tr = re[q] * wr - im[q] * wi;
        const ti = re[q] * wi + im[q] * wr;
        re[q] = re[k] - tr;
        im[q] = im[k] - ti;
        re[k] += tr;
        im[k] += ti;
      }
    }
  }
}
