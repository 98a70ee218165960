/**
 * Settings of the analysis pipeline itself (detection thresholds live in @giggles/detection).
 * Each has a default, bounds, a CLI flag and an environment variable, like the detection settings.
 */
export interface AnalysisSettings {
  /** Run YAMNet on every other patch and refine only near laughter (see patch-scheduler.ts). */
  coarseToFine: boolean;
  /** Laughter score of a neighbour at/above which the patch between is run for real. */
  refineThreshold: number;
  /**
   * Decode and compute log-mel patches in a worker thread, so they run beside YAMNet instead of
   * between its batches (onnxruntime-node blocks the calling thread while it runs). Same results.
   */
  frontEndWorker: boolean;
}

export const DEFAULT_ANALYSIS_SETTINGS: Readonly<AnalysisSettings> = Object.freeze({
  coarseToFine: true,
  refineThreshold: 0.02,
  frontEndWorker: true,
});

export const ANALYSIS_SETTING_BOUNDS = Object.freeze({
  coarseToFine: {
    flag: 'exact',
    env: 'ANALYSIS_COARSE_TO_FINE',
    description:
      'Coarse-to-fine inference: YAMNet runs on every other patch and on the patches between only where a ' +
      'neighbour shows laughter evidence; about half the inference on ordinary audio. --exact runs every patch.',
  },
  refineThreshold: {
    min: 0,
    max: 1,
    flag: 'refine-threshold',
    env: 'ANALYSIS_REFINE_THRESHOLD',
    description:
      'Laughter score of a neighbouring patch from which the patch between is inferred for real; never more than ' +
      'half the stop threshold (lowered to that automatically), so every laugh is refined. 0 refines everything.',
  },
  frontEndWorker: {
    env: 'ANALYSIS_FRONT_END_WORKER',
    description:
      'Decode and compute log-mel features in a worker thread, beside YAMNet on the main thread (about 1.6× faster ' +
      'end to end on two cores, ~+20 MB RSS). false: everything on one thread. Results are identical.',
  },
});

/** Fills defaults and rejects out-of-bounds values with one error naming each bad setting. */
export function resolveAnalysisSettings(input: Partial<Record<keyof AnalysisSettings, unknown>> = {}): AnalysisSettings {
  const problems: string[] = [];
  const out: AnalysisSettings = { ...DEFAULT_ANALYSIS_SETTINGS };
  for (const key of ['coarseToFine', 'frontEndWorker'] as const) {
    const value = input[key];
    if (value === undefined || value === '') continue;
    if (typeof value === 'boolean') out[key] = value;
    else if (value === 'true' || value === '1') out[key] = true;
    else if (value === 'false' || value === '0') out[key] = false;
    else problems.push(`${key} must be true or false, got ${String(value)}`);
  }
  const refine = input.refineThreshold;
  if (refine !== undefined && refine !== '') {
    const value = Number(refine);
    const { min, max } = ANALYSIS_SETTING_BOUNDS.refineThreshold;
    if (!Number.isFinite(value) || value < min || value > max) problems.push(`refineThreshold must be a number from ${min} to ${max}, got ${String(refine)}`);
    else out.refineThreshold = value;
  }
  if (problems.length > 0) throw new RangeError(`invalid analysis settings:\n  ${problems.join('\n  ')}`);
  return out;
}

export function analysisSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AnalysisSettings {
  return resolveAnalysisSettings({
    coarseToFine: env[ANALYSIS_SETTING_BOUNDS.coarseToFine.env],
    refineThreshold: env[ANALYSIS_SETTING_BOUNDS.refineThreshold.env],
    frontEndWorker: env[ANALYSIS_SETTING_BOUNDS.frontEndWorker.env],
  });
}
