import { LAUGHTER_CLASS_IDS, LAUGHTER_CLASS_NAMES } from './frame-score';
import { frameCentreS, frameRegionEndS, frameRegionStartS } from './timing';
import type { LaughterEvent } from './types';

/** A frame whose smoothed score is settled: what the event state machine consumes. */
export interface SettledFrame {
  index: number;
  raw: number;
  smoothed: number;
  /** Raw scores of classes 13–18, in LAUGHTER_CLASS_IDS order. */
  family: number[];
}

/**
 * Running statistics of one event. Constant size however long the event is, and plain data so a
 * detector snapshot can carry an open event across processes.
 */
export interface EventAccumulator {
  firstFrame: number;
  lastFrame: number;
  frameCount: number;
  smoothedSum: number;
  peak: number;
  peakFrame: number;
  classSums: number[];
}

export function startAccumulator(frame: SettledFrame): EventAccumulator {
  return {
    firstFrame: frame.index,
    lastFrame: frame.index,
    frameCount: 1,
    smoothedSum: frame.smoothed,
    peak: frame.smoothed,
    peakFrame: frame.index,
    classSums: [...frame.family],
  };
}

/** Frames must be added in index order, without holes (pauses are added as frames too). */
export function addToAccumulator(acc: EventAccumulator, frame: SettledFrame): void {
  acc.lastFrame = frame.index;
  acc.frameCount += 1;
  acc.smoothedSum += frame.smoothed;
  // Strictly greater: on a plateau the peak is its first frame, whatever the chunking.
  if (frame.smoothed > acc.peak) {
    acc.peak = frame.smoothed;
    acc.peakFrame = frame.index;
  }
  for (let c = 0; c < acc.classSums.length; c++) acc.classSums[c] += frame.family[c];
}

/**
 * The dominant class is the one with the highest summed score over the event's frames, so a
 * class that is moderately present throughout beats one that spikes once. Ties go to the
 * lower class id (13 Laughter, the most general, first).
 */
export function dominantClassId(classSums: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < classSums.length; c++) if (classSums[c] > classSums[best]) best = c;
  return LAUGHTER_CLASS_IDS[best];
}

export function accumulatorToEvent(acc: EventAccumulator, classNames: readonly string[]): LaughterEvent {
  const classId = dominantClassId(acc.classSums);
  return {
    startS: frameRegionStartS(acc.firstFrame),
    endS: frameRegionEndS(acc.lastFrame),
    peakS: frameCentreS(acc.peakFrame),
    probability: acc.peak,
    meanProbability: acc.smoothedSum / acc.frameCount,
    classId,
    className: classNames[classId] ?? LAUGHTER_CLASS_NAMES[classId],
    frameCount: acc.frameCount,
    firstFrame: acc.firstFrame,
    lastFrame: acc.lastFrame,
  };
}
