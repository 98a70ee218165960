import { describe, expect, it } from 'vitest';
import { MelFilterbank, hertzToMel, linearToMelWeightMatrix } from '../src/features/mel-matrix';

// Reference values from a float32 NumPy transcription of tf.signal.linear_to_mel_weight_matrix
// (num_mel_bins=64, num_spectrogram_bins=257, sample_rate=16000, 125–7500 Hz), computed once
// outside this repository. Float32 implementations differ from each other (and from our float64
// one) by up to ~1e-5 per weight depending on operation order, hence the tolerance.
const TF_BAND_SUMS = [
  0.947692, 0.985416, 1.02746, 1.1303, 1.11266, 1.13963, 1.16502, 1.18894, 1.35311, 1.34449, 1.27236, 1.55621, 1.36678,
  1.62572, 1.47777, 1.74137, 1.67427, 1.73062, 1.81812, 1.8991, 1.9743, 2.0443, 2.10962, 2.17072, 2.22798, 2.33626,
  2.4622, 2.46059, 2.6283, 2.70058, 2.77069, 2.88903, 2.99899, 3.10146, 3.19715, 3.33711, 3.46177, 3.56101, 3.68191,
  3.84439, 3.98039, 4.12915, 4.25358, 4.38336, 4.61475, 4.72403, 4.90464, 5.08174, 5.25718, 5.48918, 5.63637, 5.85679,
  6.07132, 6.27136, 6.53656, 6.73338, 6.99053, 7.23008, 7.51944, 7.7606, 8.04995, 8.33105, 8.64864, 8.9442,
];
const TF_BANDS: Record<number, { first: number; weights: number[] }> = {
  0: { first: 5, weights: [0.947692] },
  1: { first: 5, weights: [0.05230802, 0.9331084] },
  31: { first: 57, weights: [0.1663611, 0.5206016, 0.8704704, 0.7839344, 0.4425086, 0.1051541] },
  63: {
    first: 223,
    weights: [
      0.1041914, 0.2192907, 0.3339301, 0.4481035, 0.5618171, 0.6750831, 0.7878892, 0.9002477, 0.9878291, 0.8763596,
      0.7653194, 0.6547145, 0.5445387, 0.4347861, 0.3254626, 0.2165622, 0.1080788,
    ],
  },
};

describe('linearToMelWeightMatrix', () => {
  const matrix = linearToMelWeightMatrix();
  const at = (bin: number, band: number) => matrix[bin * 64 + band];

  it('uses the HTK mel scale', () => {
    expect(hertzToMel(0)).toBe(0);
    expect(hertzToMel(700)).toBeCloseTo(1127 * Math.log(2), 10);
    expect(hertzToMel(1000)).toBeCloseTo(999.99, 1);
  });

  it('is 257 × 64 with a zero DC row, like TF', () => {
    expect(matrix.length).toBe(257 * 64);
    for (let m = 0; m < 64; m++) expect(at(0, m)).toBe(0);
  });

  it('matches TensorFlow band by band', () => {
    for (let m = 0; m < 64; m++) {
      let sum = 0;
      for (let k = 0; k < 257; k++) sum += at(k, m);
      expect(sum).toBeCloseTo(TF_BAND_SUMS[m], 4);
    }
    for (const [band, { first, weights }] of Object.entries(TF_BANDS)) {
      const m = Number(band);
      expect(at(first - 1, m)).toBe(0);
      weights.forEach((w, i) => expect(Math.abs(at(first + i, m) - w)).toBeLessThan(2e-5));
      expect(at(first + weights.length, m)).toBe(0);
    }
  });

  it('has no weight outside 125–7500 Hz', () => {
    for (let k = 0; k < 257; k++) {
      const hz = (k * 8000) / 256;
      let rowSum = 0;
      for (let m = 0; m < 64; m++) rowSum += at(k, m);
      if (hz <= 125 || hz >= 7500) expect(rowSum).toBe(0);
    }
  });
});

describe('MelFilterbank', () => {
  it('applies exactly the dense matrix', () => {
    const dense = linearToMelWeightMatrix();
    const bank = new MelFilterbank();
    const spectrum = Float64Array.from({ length: 257 }, (_, k) => 1 + Math.sin(k * 0.3) * 0.5 + k / 100);
    const out = new Float64Array(64);
    bank.apply(spectrum, out);
    for (let m = 0; m < 64; m++) {
      let expected = 0;
      for (let k = 0; k < 257; k++) expected += spectrum[k] * dense[k * 64 + m];
      expect(out[m]).toBeCloseTo(expected, 9);
    }
  });
});
