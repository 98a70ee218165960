import { existsSync } from 'node:fs';
import { resolveDefaultModelPath } from '@giggles/yamnet';

export const MODEL_HELP =
  'no YAMNet model found. Pass --model PATH or set GIGGLES_MODEL to a yamnet.tflite (int8 or float32; ' +
  "e.g. Google's MediaPipe audio classifier yamnet.tflite, or TF Hub google/yamnet converted to TFLite) " +
  'with yamnet_class_map.csv in the same folder; in a checkout with ../shared/models it is found automatically.';

/** --model, else $GIGGLES_MODEL, else ../shared/models/yamnet.tflite beside the checkout. */
export function resolveModelPath(flag: string | undefined): string {
  if (flag) {
    if (!existsSync(flag)) throw new UsageError(`model file not found: ${flag}`);
    return flag;
  }
  const found = resolveDefaultModelPath(process.cwd()) ?? resolveDefaultModelPath(__dirname);
  if (!found) throw new UsageError(MODEL_HELP);
  if (!existsSync(found)) throw new UsageError(`model file not found: ${found} (from GIGGLES_MODEL)`);
  return found;
}

/** A mistake in how the command was called: one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
