import { resolveDefaultModelPath } from '../../src/model-path';

/**
 * The real YAMNet TFLite file for tests: $GIGGLES_MODEL or ../shared/models/yamnet.tflite beside
 * the repository. Its absence is a set-up error, reported loudly rather than skipped.
 */
export function realModelPath(): string {
  const path = resolveDefaultModelPath();
  if (!path) throw new Error('YAMNet model not found: set GIGGLES_MODEL or put yamnet.tflite in ../shared/models/');
  return path;
}

/** Mean score per class over `count` patches, and the best class. */
export function meanScores(scores: Float32Array, count: number, classes = 521): { mean: Float32Array; top: number } {
  const mean = new Float32Array(classes);
  for (let p = 0; p < count; p++) for (let c = 0; c < classes; c++) mean[c]! += scores[p * classes + c]! / count;
  let top = 0;
  for (let c = 1; c < classes; c++) if (mean[c]! > mean[top]!) top = c;
  return { mean, top };
}
