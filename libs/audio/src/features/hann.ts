/**
 * Periodic Hann window (tf.signal.hann_window(periodic=True), the default of tf.signal.stft):
 * w[n] = 0.5 − 0.5·cos(2πn/N). "Periodic" divides by N, not N−1, so the window tiles exactly at
 * 50 % overlap — the spectral-analysis convention YAMNet was trained with.
 */
export function periodicHann(length: number): Float64Array {
  const window = new Float64Array(length);
  for (let n = 0; n < length; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return window;
}
