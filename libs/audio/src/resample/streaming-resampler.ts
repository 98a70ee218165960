import { besselI0, kaiserBeta, kaiserLength, kaiserWindow, sinc } from './kaiser';

export interface StreamingResamplerOptions {
  /** Stopband attenuation in dB (default 80: aliases land far below a 16-bit noise floor). */
  attenuationDb?: number;
  /**
   * Where the passband ends, as a fraction of the lower Nyquist frequency (default 0.875: for 16 kHz
   * output, flat to 7 kHz and fully attenuated from 8 kHz; YAMNet's mel bands stop at 7.5 kHz).
   */
  passbandFraction?: number;
  /**
   * Largest number of filter phases stored for an exact rational ratio (default 1024; 44.1 kHz →
   * 16 kHz needs 160). Ratios needing more (e.g. 16001 Hz) use 512 phases with linear interpolation
   * between neighbouring phases.
   */
  maxExactPhases?: number;
}

const INTERPOLATED_PHASES = 512;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Band-limited sample-rate conversion by a windowed-sinc (Kaiser) polyphase FIR, streaming: state
 * (the last filter-length of input and the output clock) carries across process() calls, so
 * chunked and whole-buffer processing give bit-identical output.
 *
 * Output sample n is the filtered input at time n·fromRate/toRate input samples — no delay: the
 * filter is applied centred, looking ahead half its length, which is why flush() is needed to
 * produce the tail. The total output is exactly ⌈inputLength·toRate/fromRate⌉ samples, so decoded
 * durations pass through unchanged.
 */
export class StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Input samples the filter looks ahead/behind (half its length). */
  readonly halfTaps: number;
  private readonly identity: boolean;
  /** Input clock step per output sample, as the reduced fraction step/den. */
  private readonly step: number;
  private readonly den: number;
  private readonly phases: number;
  private readonly exact: boolean;
  private readonly taps: number;
  /** (phases + 1) rows of `taps` coefficients; row p is the filter for fractional offset p/phases. */
  private readonly coeffs: Float64Array;
  /** Input history; buffer[0] is absolute input sample `bufferStart` (negative = leading zeros). */
  private buffer: Float64Array;
  private bufferStart: number;
  private bufferLength = 0;
  /** Output clock: output n is at input time k0 + remainder/den. */
  private k0 = 0;
  private remainder = 0;
  private inputSeen = 0;
  private flushed = false;

  constructor(fromRate: number, toRate: number, options: StreamingResamplerOptions = {}) {
    for (const [name, rate] of [['fromRate', fromRate], ['toRate', toRate]] as const) {
      if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`${name} must be a positive integer, got ${rate}`);
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    const g = gcd(fromRate, toRate);
    this.step = fromRate / g;
    this.den = toRate / g;
    this.identity = fromRate === toRate;

    const attenuation = options.attenuationDb ?? 80;
    const passFraction = options.passbandFraction ?? 0.875;
    if (!(passFraction > 0 && passFraction < 1)) throw new RangeError('passbandFraction must be in (0, 1)');
    const nyquist = Math.min(fromRate, toRate) / 2;
    const passHz = passFraction * nyquist;
    const cutoff = (passHz + nyquist) / 2 / fromRate; // cycles per input sample
    const transition = (nyquist - passHz) / fromRate;
    this.halfTaps = this.identity ? 0 : Math.ceil(kaiserLength(attenuation, transition) / 2);
    this.taps = 2 * this.halfTaps;

    this.exact = this.den <= (options.maxExactPhases ?? 1024);
    this.phases = this.identity ? 1 : this.exact ? this.den : INTERPOLATED_PHASES;
    this.coeffs = this.identity ? new Float64Array(0) : this.design(cutoff, kaiserBeta(attenuation));

    // Leading zeros stand in for the input before the start, so output 0 is centred on input 0.
    this.buffer = new Float64Array(Math.max(4096, 4 * this.taps));
    this.bufferStart = -this.halfTaps;
    this.bufferLength = this.halfTaps;
  }

  /** Resamples the next chunk; returns the output samples it completed. */
  process(input: Float32Array): Float32Array {
    if (this.flushed) throw new Error('StreamingResampler: process() after flush()');
    this.inputSeen += input.length;
    if (this.identity) return input.slice();
    this.append(input);
    return this.run(this.bufferStart + this.bufferLength - this.halfTaps, Infinity);
  }

  /** Ends the stream: returns the remaining output (the filter's look-ahead, fed with zeros). */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    if (this.identity) return new Float32Array(0);
    this.append(new Float32Array(this.halfTaps));
    // Outputs exist for every time t < inputLength, i.e. while k0 < inputLength.
    return this.run(Infinity, this.inputSeen);
  }

  /** Produces outputs while k0 < min(k0Limit, lastK0) (k0Limit: enough input available). */
  private run(k0Limit: number, lastK0: number): Float32Array {
    const limit = Math.min(k0Limit, lastK0);
    if (this.k0 >= limit) return new Float32Array(0);
    const maxOut = Math.floor(((limit - this.k0) * this.den) / this.step) + 2;
    const out = new Float32Array(maxOut);
    const { coeffs, taps, step, den, buffer } = this;
    let n = 0;
    let k0 = this.k0;
    let remainder = this.remainder;
    const bufferStart = this.bufferStart;
    while (k0 < limit) {
      const base = k0 - this.halfTaps + 1 - bufferStart;
      let sum: number;
      if (this.exact) {
        // Four accumulators break the add-latency chain of a single running sum (taps is even).
        const row = remainder * taps;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 3 < taps; j += 4) {
          s0 += coeffs[row + j] * buffer[base + j];
          s1 += coeffs[row + j + 1] * buffer[base + j + 1];
          s2 += coeffs[row + j + 2] * buffer[base + j + 2];
          s3 += coeffs[row + j + 3] * buffer[base + j + 3];
        }
        for (; j < taps; j++) s0 += coeffs[row + j] * buffer[base + j];
        sum = s0 + s1 + (s2 + s3);
      } else {
        const position = (remainder / den) * this.phases;
        const p = Math.floor(position);
        const alpha = position - p;
        const row0 = p * taps;
        const row1 = row0 + taps;
        let s0 = 0;
        let s1 = 0;
        for (let j = 0; j < taps; j++) {
          const x = buffer[base + j];
          s0 += coeffs[row0 + j] * x;
          s1 += coeffs[row1 + j] * x;
        }
        sum = s0 + alpha * (s1 - s0);
      }
      out[n++] = sum;
      remainder += step;
      if (remainder >= den) {
        k0 += Math.floor(remainder / den);
        remainder %= den;
      }
    }
    this.k0 = k0;
    this.remainder = remainder;
    this.discardBefore(k0 - this.halfTaps + 1);
    return n === maxOut ? out : out.subarray(0, n);
  }

  private append(input: Float32Array): void {
    if (this.bufferLength + input.length > this.buffer.length) {
      // Keep the history; grow only when one chunk is larger than the buffer (bounded by chunk size).
      const needed = this.bufferLength + input.length;
      if (needed > this.buffer.length) {
        const grown = new Float64Array(Math.max(needed, this.buffer.length * 2));
        grown.set(this.buffer.subarray(0, this.bufferLength));
        this.buffer = grown;
      }
    }
    this.buffer.set(input, this.bufferLength);
    this.bufferLength += input.length;
  }

  private discardBefore(absolute: number): void {
    const drop = Math.min(absolute - this.bufferStart, this.bufferLength);
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferStart += drop;
    this.bufferLength -= drop;
  }

  /**
   * Row p, tap j holds h(d) for d = p/phases + halfTaps − 1 − j, the distance from the output time
   * to input sample k0 − halfTaps + 1 + j. Each row is normalised to unit DC gain so a constant input
   * stays exactly constant whatever the phase.
   */
  private design(cutoff: number, beta: number): Float64Array {
    const { phases, taps, halfTaps } = this;
    const coeffs = new Float64Array((phases + 1) * taps);
    const i0Beta = besselI0(beta);
    for (let p = 0; p <= phases; p++) {
      let sum = 0;
      for (let j = 0; j < taps; j++) {
        const d = p / phases + halfTaps - 1 - j;
        const h = 2 * cutoff * sinc(2 * cutoff * d) * kaiserWindow(d / halfTaps, beta, i0Beta);
        coeffs[p * taps + j] = h;
        sum += h;
      }
      for (let j = 0; j < taps; j++) coeffs[p * taps + j] /= sum;
    }
    return coeffs;
  }
}
