/**
 * TEST HELPER ONLY — a small, slow, obviously-correct YAMNet log-mel front end, so the yamnet
 * tests can feed the model real audio without depending on @giggles/audio's production
 * LogMelPatcher. Parameters are YAMNet's published params.py (see shared/models/PROVENANCE.md):
 * 16 kHz, 400-sample periodic Hann window, hop 160, FFT 512, magnitude, 64 HTK mel bands
 * 125–7500 Hz built like tf.signal.linear_to_mel_weight_matrix, log(mel + 0.001), patches of 96
 * frames every 48 frames, frame-major (patch[frame * 64 + band]).
 */

const SAMPLE_RATE = 16000;
const WINDOW = 400;
const HOP = 160;
const FFT = 512;
const BINS = FFT / 2 + 1;
const MEL_BANDS = 64;
const MEL_MIN_HZ = 125;
const MEL_MAX_HZ = 7500;
const LOG_OFFSET = 0.001;
export const PATCH_FRAMES = 96;
export const PATCH_HOP_FRAMES = 48;

const hzToMel = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** [BINS][MEL_BANDS] triangular weights; the DC bin gets no weight, as in TensorFlow. */
export function melWeightMatrix(): Float64Array[] {
  const lower = hzToMel(MEL_MIN_HZ);
  const upper = hzToMel(MEL_MAX_HZ);
  const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) => lower + ((upper - lower) * i) / (MEL_BANDS + 1));
  const matrix = Array.from({ length: BINS }, () => new Float64Array(MEL_BANDS));
  for (let bin = 1; bin < BINS; bin++) {
    const mel = hzToMel((bin * SAMPLE_RATE) / 2 / (BINS - 1));
    for (let band = 0; band < MEL_BANDS; band++) {
      const [left, center, right] = [edges[band]!, edges[band + 1]!, edges[band + 2]!];
      const rising = (mel - left) / (center - left);
      const falling = (right - mel) / (right - center);
      matrix[bin]![band] = Math.max(0, Math.min(rising, falling));
    }
  }
  return matrix;
}

/** In-place iterative radix-2 complex FFT. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/** Log-mel frames of a 16 kHz mono waveform: [frames][64]. */
export function logMelFrames(waveform: Float32Array): Float32Array[] {
  const window = Float64Array.from({ length: WINDOW }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / WINDOW));
  const mel = melWeightMatrix();
  const frames: Float32Array[] = [];
  for (let start = 0; start + WINDOW <= waveform.length; start += HOP) {
    const re = new Float64Array(FFT);
    const im = new Float64Array(FFT);
    for (let n = 0; n < WINDOW; n++) re[n] = waveform[start + n]! * window[n]!;
    fft(re, im);
    const out = new Float32Array(MEL_BANDS);
    for (let band = 0; band < MEL_BANDS; band++) {
      let sum = 0;
      for (let bin = 0; bin < BINS; bin++) sum += Math.hypot(re[bin]!, im[bin]!) * mel[bin]![band]!;
      out[band] = Math.log(sum + LOG_OFFSET);
    }
    frames.push(out);
  }
  return frames;
}

/** Patches of 96 frames every 48 frames, concatenated frame-major: count × 96 × 64 floats. */
export function referenceLogMelPatches(waveform: Float32Array): { patches: Float32Array; count: number } {
  const frames = logMelFrames(waveform);
  const count = frames.length < PATCH_FRAMES ? 0 : Math.floor((frames.length - PATCH_FRAMES) / PATCH_HOP_FRAMES) + 1;
  const patches = new Float32Array(count * PATCH_FRAMES * MEL_BANDS);
  for (let p = 0; p < count; p++) {
    for (let f = 0; f < PATCH_FRAMES; f++) patches.set(frames[p * PATCH_HOP_FRAMES + f]!, (p * PATCH_FRAMES + f) * MEL_BANDS);
  }
  return { patches, count };
}
