import { FFT_LENGTH, MEL_BANDS, MEL_MAX_HZ, MEL_MIN_HZ, SPECTRUM_BINS, YAMNET_SAMPLE_RATE } from '../constants';

/** HTK mel scale, as tf.signal uses it: 1127·ln(1 + f/700). */
export function hertzToMel(hertz: number): number {
  return 1127.0 * Math.log(1.0 + hertz / 700.0);
}

export interface MelMatrixOptions {
  melBands?: number;
  spectrumBins?: number;
  sampleRate?: number;
  lowerHz?: number;
  upperHz?: number;
}

/**
 * The same matrix as TensorFlow's `tf.signal.linear_to_mel_weight_matrix`, row-major
 * [spectrumBins][melBands]. TF builds the triangles in the mel domain (each FFT bin's centre
 * frequency is converted to mel and the triangle slopes are linear in mel, not in Hz), and it
 * forces the DC bin's row to zero; both matter for matching YAMNet's features. TF computes in
 * float32, where one rounding step of a mel value near 2800 is 2.4e-4 mel; so float32
 * implementations (TF's, NumPy's) already differ from each other by up to ~1e-5 in a weight,
 * depending on operation order. We compute in float64 (the exact matrix, rounded once to float32);
 * the effect on log-mel features is below 1e-5.
 */
export function linearToMelWeightMatrix(options: MelMatrixOptions = {}): Float32Array {
  const melBands = options.melBands ?? MEL_BANDS;
  const bins = options.spectrumBins ?? SPECTRUM_BINS;
  const sampleRate = options.sampleRate ?? YAMNET_SAMPLE_RATE;
  const lowerMel = hertzToMel(options.lowerHz ?? MEL_MIN_HZ);
  const upperMel = hertzToMel(options.upperHz ?? MEL_MAX_HZ);
  const nyquist = sampleRate / 2;
  // melBands + 2 equally spaced edges in mel; band m uses edges m, m+1 (centre) and m+2.
  const edges = new Float64Array(melBands + 2);
  for (let i = 0; i < edges.length; i++) edges[i] = lowerMel + ((upperMel - lowerMel) * i) / (melBands + 1);
  const matrix = new Float32Array(bins * melBands);
  for (let k = 1; k < bins; k++) {
    const binMel = hertzToMel((nyquist * k) / (bins - 1));
    for (let m = 0; m < melBands; m++) {
      const lower = edges[m];
      const centre = edges[m + 1];
      const upper = edges[m + 2];
      const rising = (binMel - lower) / (centre - lower);
      const falling = (upper - binMel) / (upper - centre);
      matrix[k * melBands + m] = Math.max(0, Math.min(rising, falling));
    }
  }
  return matrix;
}

/**
 * The mel matrix stored by band as contiguous runs of nonzero weights: each band touches only a few
 * bins, so applying it costs ~2 multiply-adds per bin instead of 64.
 */
export class MelFilterbank {
  readonly melBands: number;
  readonly spectrumBins: number;
  private readonly firstBin: Int32Array;
  private readonly offsets: Int32Array;
  private readonly weights: Float64Array;

  constructor(options: MelMatrixOptions = {}) {
    this.melBands = options.melBands ?? MEL_BANDS;
    this.spectrumBins = options.spectrumBins ?? FFT_LENGTH / 2 + 1;
    const dense = linearToMelWeightMatrix({ ...options, melBands: this.melBands, spectrumBins: this.spectrumBins });
    const bands = this.melBands;
    this.firstBin = new Int32Array(bands);
    this.offsets = new Int32Array(bands + 1);
    const runs: number[][] = [];
    for (let m = 0; m < bands; m++) {
      let first = -1;
      let last = -1;
      for (let k = 0; k < this.spectrumBins; k++) {
        if (dense[k * bands + m] !== 0) {
          if (first < 0) first = k;
          last = k;
        }
      }
      const run: number[] = [];
      if (first >= 0) for (let k = first; k <= last; k++) run.push(dense[k * bands + m]);
      this.firstBin[m] = Math.max(first, 0);
      runs.push(run);
    }
    let total = 0;
    runs.forEach((run, m) => {
      this.offsets[m] = total;
      total += run.length;
    });
    this.offsets[bands] = total;
    this.weights = new Float64Array(total);
    runs.forEach((run, m) => this.weights.set(run, this.offsets[m]));
  }

  /** out[m] = Σ_k spectrum[k]·W[k][m]. */
  apply(spectrum: Float64Array, out: Float64Array): void {
    const { firstBin, offsets, weights } = this;
    for (let m = 0; m < this.melBands; m++) {
      let sum = 0;
      let k = firstBin[m];
      for (let w = offsets[m], end = offsets[m + 1]; w < end; w++, k++) sum += spectrum[k] * weights[w];
      out[m] = sum;
    }
  }
}
