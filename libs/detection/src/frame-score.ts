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

/**
 * Cough-like classes (42 Cough, 43 Throat clearing, 44 Sneeze): short explosive vocal sounds that
 * YAMNet often also scores as a little laughter, while real laughter barely scores on them.
 * `cough-discounted` uses them as evidence against laughter.
 */
export const COUGH_CLASS_IDS: readonly number[] = Object.freeze([42, 43, 44]);

/**
 * Frames of cough context in `cough-discounted` mode: a frame's laughter score is reduced by the
 * strongest cough-like score within ±2 frames (a window of 5 frames, 2.4 s of centre regions).
 * YAMNet fires the Cough class on the burst itself, but the breaths and throat noise around it
 * (and, under background noise, the burst's neighbours) score as weak laughter with no cough
 * score of their own; one frame of context either side is not enough to cover that, two is (see
 * the README's Tuning section).
 */
export const COUGH_CONTEXT_FRAMES = 5;

const HIGHEST_FAMILY_ID = Math.max(...LAUGHTER_CLASS_IDS);
const HIGHEST_CLASS_ID_READ = Math.max(HIGHEST_FAMILY_ID, ...COUGH_CLASS_IDS);

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

/** Strongest cough-like class score of a frame (0 if the vector is too short to hold them). */
export function coughScore(scores: Float32Array): number {
  if (scores.length <= HIGHEST_CLASS_ID_READ) return 0;
  return COUGH_CLASS_IDS.reduce((best, id) => (scores[id] > best ? scores[id] : best), 0);
}

/** Window of cough context the detector uses for `mode` (1 = the frame alone: no context). */
export function coughContextFrames(mode: ScoreMode, customScorer: boolean): number {
  return mode === 'cough-discounted' && !customScorer ? COUGH_CONTEXT_FRAMES : 1;
}

/**
 * One laughter score from the family's scores. YAMNet's outputs are independent sigmoids, so
 * they can be several laughter classes at once: "max" ignores agreement, "sum" counts it fully
 * (and can exceed any single class, hence the clamp), "noisy-or" treats the classes as independent
 * detectors of "some laughter" and always lies between the two.
 *
 * "cough-discounted" is "max" minus `cough`, floored at 0: evidence for a cough is evidence
 * against laughter. The detector passes the strongest cough-like score (`coughScore`) within
 * ±2 frames (`COUGH_CONTEXT_FRAMES`). Real laughter scores next to nothing on those classes
 * (median < 0.001 on the development recordings), so it keeps its score; a cough that YAMNet also
 * scores as a little laughter (common under background noise) drops to 0, and so do the frames
 * around it.
 */
export function combineFamilyScores(family: readonly number[], mode: ScoreMode, cough = 0): number {
  switch (mode) {
    case 'max':
      return family.reduce((best, p) => (p > best ? p : best), 0);
    case 'sum':
      return Math.min(1, family.reduce((total, p) => total + p, 0));
    case 'noisy-or':
      return 1 - family.reduce((none, p) => none * (1 - p), 1);
    case 'cough-discounted':
      return Math.max(0, family.reduce((best, p) => (p > best ? p : best), 0) - cough);
  }
}

/**
 * The raw (unsmoothed) laughter score of one frame: the custom scorer's value if one is given,
 * otherwise the family combination. Clamped to [0, 1] so a scorer that overshoots slightly cannot
 * break the thresholds' meaning; NaN or infinity means a broken scorer and is refused.
 * `cough` is the cough evidence for `cough-discounted` mode; by default the frame's own
 * (`coughScore`), while the detector passes the strongest within the cough context.
 */
export function rawLaughterScore(
  family: readonly number[],
  mode: ScoreMode,
  frame: { scores: Float32Array; embedding?: Float32Array },
  scorer?: FrameScorer,
  cough?: number,
): number {
  const value = scorer
    ? scorer(frame.scores, frame.embedding)
    : combineFamilyScores(family, mode, mode === 'cough-discounted' ? (cough ?? coughScore(frame.scores)) : 0);
  if (!Number.isFinite(value)) throw new RangeError(`frame scorer returned ${value}; expected a number in [0, 1]`);
  return Math.min(1, Math.max(0, value));
}
