/**
 * @giggles/detection — YAMNet frame scores to laughter events and clip windows.
 * Pure computation: no I/O, no other @giggles libraries.
 */
export * from './types';
export * from './settings';
export * from './timing';
export {
  COUGH_CLASS_IDS,
  LAUGHTER_CLASS_IDS,
  LAUGHTER_CLASS_NAMES,
  combineFamilyScores,
  coughScore,
  familyScores,
  rawLaughterScore,
} from './frame-score';
export { StreamingSmoother, smoothWindow, windowExtent, type SmoothedItem, type SmootherState } from './smoothing';
export { LaughterEventDetector, detectEvents, type DetectorOptions, type DetectorSnapshot } from './event-detector';
export { clipWindow, type ClipWindowOptions } from './clip-window';
