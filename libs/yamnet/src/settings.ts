import { availableParallelism } from 'node:os';

export interface YamnetSettings {
  /** Most patches given to onnxruntime in one run; bounds the memory of one inference step. */
  batchSize: number;
  /** onnxruntime intra-op threads (parallelism inside one conv). */
  intraOpThreads: number;
  /**
   * Whether onnxruntime's worker threads busy-wait between ops (onnxruntime's own default is to
   * spin). Off by default here: Giggles shares two cores between decoding, the log-mel front end and
   * other services, and with the cores contended a spinning pool halved inference throughput in
   * bench-yamnet (see README). Turn on for a machine that does nothing but inference.
   */
  allowSpinning?: boolean;
  /** Where converted models go when the model's own directory is read-only. */
  cacheDir?: string;
  /** The class map CSV; by default yamnet_class_map.csv next to the model. */
  classMapPath?: string;
}

export const YAMNET_SETTING_BOUNDS = {
  batchSize: { min: 1, max: 256 },
  intraOpThreads: { min: 1, max: 64 },
} as const;

/**
 * Two threads by default: the service shares a small VPS with the rest of the pipeline. Batches
 * of 16: as fast as 32 now that the front end runs beside inference (456–493× vs 452–487× end to
 * end), with ~20 MB less peak RSS (266–281 vs 279–303 MB, `npm run bench`); results identical.
 */
export const DEFAULT_YAMNET_SETTINGS: YamnetSettings = Object.freeze({
  batchSize: 16,
  intraOpThreads: Math.min(2, availableParallelism()),
  allowSpinning: false,
});

/** Fills in defaults and rejects values outside YAMNET_SETTING_BOUNDS (a RangeError naming the setting). */
export function resolveYamnetSettings(overrides: Partial<YamnetSettings> = {}): YamnetSettings {
  const merged: YamnetSettings = { ...DEFAULT_YAMNET_SETTINGS };
  for (const [key, value] of Object.entries(overrides) as Array<[keyof YamnetSettings, unknown]>) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  for (const key of ['batchSize', 'intraOpThreads'] as const) {
    const { min, max } = YAMNET_SETTING_BOUNDS[key];
    const v = merged[key];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`yamnet setting ${key} must be an integer from ${min} to ${max}, got ${String(v)}`);
    }
  }
  return merged;
}
