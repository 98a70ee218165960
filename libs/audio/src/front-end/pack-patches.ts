import { MEL_BANDS, PATCH_FRAMES } from '../constants';

/** Floats in one 96×64 log-mel patch. */
export const PATCH_VALUES = PATCH_FRAMES * MEL_BANDS;

/** Patches back to back in one array, so a chunk's patches cross to another thread as one transfer. */
export function packPatches(patches: Float32Array[]): Float32Array {
  const out = new Float32Array(patches.length * PATCH_VALUES);
  patches.forEach((patch, i) => out.set(patch, i * PATCH_VALUES));
  return out;
}

/** Views on the patches of a packed array (no copies). */
export function unpackPatches(packed: Float32Array, from: number, count: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = from; i < from + count; i++) out.push(packed.subarray(i * PATCH_VALUES, (i + 1) * PATCH_VALUES));
  return out;
}
