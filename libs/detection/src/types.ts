/**
 * Shared shapes of the detection library. Kept apart from the logic so services and the CLI can
 * import the types without caring how events are found.
 */

/** One YAMNet patch: 0.96 s of audio starting at `index * 0.48` s. */
export interface DetectionFrame {
  /**
   * Patch number from the start of the recording (not of the batch or chunk): times are derived
   * from it, so a stream split into chunks must keep counting across them.
   */
  index: number;
  /** The 521 sigmoid class scores (only the laughter family, ids 13–18, is read by default). */
  scores: Float32Array;
  /** The 1024-d embedding; only used by a custom `frameScorer`. */
  embedding?: Float32Array;
}

/**
 * Replaces the built-in family combination (`scoreMode`) with any per-frame laughter score,
 * e.g. a small learned head over the embedding. Must return a number in [0, 1] (values outside
 * are clamped; a non-finite value is an error).
 */
export type FrameScorer = (scores: Float32Array, embedding?: Float32Array) => number;

/** One point of the laughter-score timeline, reported as soon as its smoothed value is final. */
export interface FrameScorePoint {
  index: number;
  /** Centre of the patch, `index * 0.48 + 0.48` s: where a plot should place the value. */
  timeS: number;
  /** Laughter score before smoothing. */
  raw: number;
  /** Laughter score after smoothing: the value the thresholds are applied to. */
  smoothed: number;
}

/** A laugh. Times are seconds from the start of the recording (frame 0). */
export interface LaughterEvent {
  /** Start of the centre region of the first frame: `firstFrame * 0.48 + 0.24`. */
  startS: number;
  /** End of the centre region of the last frame: `lastFrame * 0.48 + 0.72`. */
  endS: number;
  /** Centre of the frame with the highest smoothed score. */
  peakS: number;
  /** Highest smoothed laughter score in the event. */
  probability: number;
  /** Mean smoothed laughter score over every frame of the event (merged pauses included). */
  meanProbability: number;
  /** Laughter-family class (13–18) with the highest summed raw score over the event's frames. */
  classId: number;
  className: string;
  /** Frames spanned, `lastFrame - firstFrame + 1`; `endS - startS === frameCount * 0.48`. */
  frameCount: number;
  /** First and last frame index (inclusive), for linking events to the score timeline. */
  firstFrame: number;
  lastFrame: number;
}

/** Start and end (seconds) of a playable clip around an event. */
export interface ClipWindow {
  startS: number;
  endS: number;
}
