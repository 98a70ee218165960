/** Kaiser-window FIR design helpers (Kaiser & Schafer's empirical formulas, as in scipy.signal.kaiserord). */

/** Zeroth-order modified Bessel function of the first kind, by its power series (converges fast for β ≤ 20). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser β giving a stopband attenuation of `attenuationDb`. */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/**
 * Filter length (taps) for a transition band `transitionWidth` (cycles per sample) at
 * `attenuationDb`: N ≈ (A − 7.95) / (2.285 · 2π·Δf) + 1.
 */
export function kaiserLength(attenuationDb: number, transitionWidth: number): number {
  return Math.ceil((attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionWidth)) + 1;
}

/** Kaiser window value at x ∈ [−1, 1] (0 outside). */
export function kaiserWindow(x: number, beta: number, i0Beta = besselI0(beta)): number {
  if (x < -1 || x > 1) return 0;
  return besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
}

/** Normalised sinc: sin(πx)/(πx). */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}
