import type { ScoreMode } from './settings';
import type { FrameScorer } from './types';

/** YAMNet's laughter family (AudioSet ids as ordered in yamnet_class_map.csv). */
export const LAUGHTER_CLASS_IDS: readonly number[] = Object.freeze([13, 14, 15, 16, 17, 18]);

/** Display names of the family, used when the caller's class map lacks them. */
export const LAUGHTER_CLASS_NAMES: Readonly<Record<number, string>> = Object.freeze({
  13: 'Laughter',
  14: 'Baby laughter',
  15: 'Giggle',
  16: 'Snicker',
  17: 'Belly laugh',
  18: 'Chuckle, chortle',
});

const HIGHEST_FAMILY_ID = Math.max(...LAUGHTER_CLASS_IDS);

/**
 * Copies the family's scores out of a frame. A copy, not a view: callers may reuse their score
 * buffers between batches, and the detector keeps these values until an event is settled.
 */
export function familyScores(scores: Float32Array): number[] {
  if (scores.length <= HIGHEST_FAMILY_ID) {
    throw new RangeError(`frame has ${scores.length} class scores; at least ${HIGHEST_FAMILY_ID + 1} are needed`);
  }
  return LAUGHTER_CLASS_IDS.map((id) => scores[id]);
}

/**
 * One laughter score from the family's scores. YAMNet's outputs are independent sigmoids, so
 * they can be several laughter classes at once: "max" ignores agreement, "sum" counts it fully
 * (and can exceed any single class, hence the clamp), "noisy-or" treats the classes as independent
 * detectors of "some laughter" and always lies between the two.
 */
export function combineFamilyScores(family: readonly number[], mode: ScoreMode): number {
  switch (mode) {
    case 'max':
      return family.reduce((best, p) => (p > best ? p : best), 0);
    case 'sum':
      return Math.min(1, family.reduce((total, p) => total + p, 0));
    case 'noisy-or':
      return 1 - family.reduce((none, p) => none * (1 - p), 1);
  }
}

/**
 * The raw (unsmoothed) laughter score of one frame: the custom scorer's value if one is given,
 * otherwise the family combination. Clamped to [0, 1] so a scorer that overshoots slightly cannot
 * break the thresholds' meaning; NaN or infinity means a broken scorer and is refused.
 */
export function rawLaughterScore(
  family: readonly number[],
  mode: ScoreMode,
  frame: { scores: Float32Array; embedding?: Float32Array },
  scorer?: FrameScorer,
): number {
  const value = scorer ? scorer(frame.scores, frame.embedding) : combineFamilyScores(family, mode);
  if (!Number.isFinite(value)) throw new RangeError(`frame scorer returned ${value}; expected a number in [0, 1]`);
  return Math.min(1, Math.max(0, value));
}
