import { describe, expect, it } from 'vitest';
import { LogMelPatcher } from '../src/features/log-mel-patcher';
import { MEL_BANDS, PATCH_FRAMES, PATCH_HOP_SECONDS, YAMNET_SAMPLE_RATE } from '../src';
import { sine } from './helpers';

const PATCH_SIZE = PATCH_FRAMES * MEL_BANDS;

/**
 * Independent reference for YAMNet's features.py, written the slow, obvious way: frame, periodic
 * Hann, direct DFT of the 400 samples (= 512-point FFT of the zero-padded frame), magnitudes, a
 * dense mel matrix from the TF formula, log(x + 0.001), then 96-frame patches every 48 frames.
 */
function referencePatches(signal: Float32Array): Float32Array[] {
  const toMel = (hz: number) => 1127 * Math.log(1 + hz / 700);
  const lo = toMel(125);
  const hi = toMel(7500);
  const edge = (i: number) => lo + ((hi - lo) * i) / 65;
  const mel = (k: number, m: number) => {
    if (k === 0) return 0;
    const x = toMel((k * 8000) / 256);
    return Math.max(0, Math.min((x - edge(m)) / (edge(m + 1) - edge(m)), (edge(m + 2) - x) / (edge(m + 2) - edge(m + 1))));
  };
  const frames: Float64Array[] = [];
  for (let start = 0; start + 400 <= signal.length; start += 160) {
    const magnitude = new Float64Array(257);
    for (let k = 0; k < 257; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < 400; n++) {
        const v = signal[start + n] * (0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 400));
        re += v * Math.cos((2 * Math.PI * k * n) / 512);
        im -= v * Math.sin((2 * Math.PI * k * n) / 512);
      }
      magnitude[k] = Math.hypot(re, im);
    }
    const row = new Float64Array(64);
    for (let m = 0; m < 64; m++) {
      let sum = 0;
      for (let k = 0; k < 257; k++) sum += magnitude[k] * mel(k, m);
      row[m] = Math.log(sum + 0.001);
    }
    frames.push(row);
  }
  const patches: Float32Array[] = [];
  for (let first = 0; first + 96 <= frames.length; first += 48) {
    const patch = new Float32Array(PATCH_SIZE);
    for (let j = 0; j < 96; j++) patch.set(frames[first + j], j * 64);
    patches.push(patch);
  }
  return patches;
}

function run(signal: Float32Array, options?: { emitPartialFinalPatch?: boolean }, chunk = signal.length): Float32Array[] {
  const patcher = new LogMelPatcher(options);
  const out: Float32Array[] = [];
  for (let i = 0; i < signal.length; i += chunk) out.push(...patcher.push(signal.subarray(i, i + chunk)));
  out.push(...patcher.end());
  return out;
}

function noiseAndTones(length: number): Float32Array {
  const x = new Float32Array(length);
  let seed = 42;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    x[i] = 0.05 * (seed / 2147483648 - 0.5) + 0.3 * Math.sin(i * 0.21) + 0.1 * Math.sin(i * 1.7 + 0.4) * Math.sin(i * 0.0013);
  }
  return x;
}

describe('LogMelPatcher', () => {
  it('matches a direct-DFT reference implementation', () => {
    const signal = noiseAndTones(24_000); // 1.5 s: 148 frames → 2 full patches
    const expected = referencePatches(signal);
    const actual = run(signal);
    expect(expected).toHaveLength(2);
    expect(actual).toHaveLength(2);
    let worst = 0;
    for (let p = 0; p < 2; p++) for (let i = 0; i < PATCH_SIZE; i++) worst = Math.max(worst, Math.abs(actual[p][i] - expected[p][i]));
    expect(worst).toBeLessThan(1e-4);
  });

  it('matches values computed with NumPy for a two-tone signal', () => {
    // 0.5·sin(2π·1234.5 t) + 0.25·sin(2π·3333.3 t + 0.3), 15600 samples (exactly one patch); the
    // NumPy transcription of YAMNet's features.py (np.fft.rfft, the TF mel matrix) gave:
    const numpy: Record<number, number[]> = {
      0: [-6.72046, -5.42047, -1.94599, -4.38091, -4.53992, -5.76594, -6.83926],
      50: [-6.61907, -5.46835, -1.94697, -4.37354, -4.54044, -5.76835, -6.84235],
      95: [-6.63394, -5.47925, -1.94685, -4.38017, -4.53978, -5.75453, -6.85824],
    };
    const bands = [0, 10, 20, 30, 40, 50, 63];
    const n = 15_600;
    const signal = new Float32Array(n);
    for (let i = 0; i < n; i++) signal[i] = 0.5 * Math.sin((2 * Math.PI * 1234.5 * i) / 16000) + 0.25 * Math.sin((2 * Math.PI * 3333.3 * i) / 16000 + 0.3);
    const [patch, ...rest] = run(signal);
    expect(rest).toHaveLength(0);
    for (const [frame, values] of Object.entries(numpy)) {
      bands.forEach((band, i) => expect(patch[Number(frame) * 64 + band]).toBeCloseTo(values[i], 3));
    }
  });

  it('gives log(0.001) everywhere for silence', () => {
    const patches = run(new Float32Array(16_000 * 3));
    expect(patches.length).toBe(5);
    const floor = Math.fround(Math.log(0.001));
    for (const patch of patches) expect(patch.every((v) => v === floor)).toBe(true);
  });

  it('puts a 1 kHz sine in the band that contains 1 kHz', () => {
    const toMel = (hz: number) => 1127 * Math.log(1 + hz / 700);
    const fromMel = (mel: number) => 700 * (Math.exp(mel / 1127) - 1);
    const edge = (i: number) => fromMel(toMel(125) + ((toMel(7500) - toMel(125)) * i) / 65);
    const [patch] = run(sine(1000, 16000, 16_000));
    for (let frame = 0; frame < 96; frame++) {
      const row = patch.subarray(frame * 64, frame * 64 + 64);
      const peak = row.indexOf(Math.max(...row));
      expect(edge(peak)).toBeLessThan(1000);
      expect(edge(peak + 2)).toBeGreaterThan(1000);
      expect(row[peak]).toBeGreaterThan(Math.log(0.001) + 5);
    }
  });

  it('gives identical patches whatever the push sizes', () => {
    const signal = noiseAndTones(40_000);
    const whole = run(signal, { emitPartialFinalPatch: true });
    const patcher = new LogMelPatcher({ emitPartialFinalPatch: true });
    const pieces: Float32Array[] = [];
    const sizes = [1, 7, 160, 399, 400, 401, 5000, 9000, 3];
    for (let i = 0, s = 0; i < signal.length; s++) {
      const size = sizes[s % sizes.length];
      pieces.push(...patcher.push(signal.subarray(i, i + size)));
      i += size;
    }
    pieces.push(...patcher.end());
    expect(pieces.length).toBe(whole.length);
    pieces.forEach((p, i) => expect(p).toEqual(whole[i]));
    expect(patcher.samplesSeen).toBe(signal.length);
  });

  it.each([
    [1, 1, 1],
    [8_000, 1, 1],
    [15_599, 1, 1],
    [15_600, 1, 1],
    [15_601, 1, 2],
    [23_280, 2, 2],
    [23_281, 2, 3],
    [160_000, 19, 20],
  ])('emits the right number of patches for %i samples (full only: %i, with partial: %i)', (length, full, partial) => {
    const signal = noiseAndTones(length);
    expect(run(signal)).toHaveLength(full);
    expect(run(signal, { emitPartialFinalPatch: true })).toHaveLength(partial);
  });

  it('emits nothing for no input', () => {
    expect(new LogMelPatcher().end()).toEqual([]);
  });

  it('pads like YAMNet: the partial final patch equals features of the zero-padded waveform', () => {
    const signal = noiseAndTones(20_000);
    const padded = new Float32Array(15_600 + 7_680); // pad_waveform: 15600 + ⌈(20000−15600)/7680⌉·7680
    padded.set(signal);
    const expected = run(padded);
    const actual = run(signal, { emitPartialFinalPatch: true });
    expect(actual).toHaveLength(2);
    actual.forEach((p, i) => expect(p).toEqual(expected[i]));
    // A recording too short for a patch is padded to one patch in both modes.
    const short = signal.subarray(0, 9_000);
    const shortPadded = new Float32Array(15_600);
    shortPadded.set(short);
    expect(run(short)[0]).toEqual(run(shortPadded)[0]);
  });

  it('starts patch i at i × 0.48 s', () => {
    const hop = PATCH_HOP_SECONDS * YAMNET_SAMPLE_RATE;
    const signal = new Float32Array(16_000 * 4);
    const clickFrame = 3 * 48 + 10; // frame 10 of patch 3 = frame 58 of patch 2
    const click = clickFrame * 160 + 100;
    signal[click] = 1;
    const patches = run(signal);
    const floor = Math.fround(Math.log(0.001));
    const loudFrames = (patch: Float32Array) =>
      Array.from({ length: 96 }, (_, f) => f).filter((f) => patch.subarray(f * 64, f * 64 + 64).some((v) => v > floor));
    expect(hop).toBe(7680);
    // Frames whose 400-sample window [160j, 160j+400) contains the click: j = clickFrame−1, clickFrame.
    expect(loudFrames(patches[3])).toEqual([9, 10]);
    expect(loudFrames(patches[2])).toEqual([57, 58]);
    expect(loudFrames(patches[1])).toEqual([]);
    expect(patches[2].subarray(57 * 64, 59 * 64)).toEqual(patches[3].subarray(9 * 64, 11 * 64));
  });

  it('rejects push() after end()', () => {
    const patcher = new LogMelPatcher();
    patcher.push(new Float32Array(100));
    patcher.end();
    expect(patcher.end()).toEqual([]);
    expect(() => patcher.push(new Float32Array(1))).toThrow(/after end/);
  });
});
