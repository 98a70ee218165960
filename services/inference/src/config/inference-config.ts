import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  ConfigError,
  defineConfig,
  describeConfig,
  HEALTH_CONFIG,
  LOGGING_CONFIG,
  loadConfig,
  NATS_CONFIG,
  OTEL_CONFIG,
  type ConfigOf,
  type ConfigProblem,
} from '@giggles/config';
import { ANALYSIS_SETTING_BOUNDS, DEFAULT_ANALYSIS_SETTINGS, resolveAnalysisSettings, type AnalysisSettings } from '@giggles/analysis';
import { HEALTH_SERVER_CONFIG } from '@giggles/health';
import { DETECTION_SETTING_BOUNDS, DetectionSettingsError, detectionSettingsFromEnv, type DetectionSettings } from '@giggles/detection';
import { DEFAULT_YAMNET_SETTINGS, MODEL_FILE_NAME, resolveDefaultModelPath, YAMNET_SETTING_BOUNDS } from '@giggles/yamnet';

/**
 * Every environment variable the inference service reads. Detection settings (DETECTION_*) are
 * declared by @giggles/detection (`DETECTION_SETTING_BOUNDS`) and validated by its own validator,
 * but their problems are reported in the same single error as everything else.
 */
export const INFERENCE_CONFIG = defineConfig({
  ...NATS_CONFIG,
  ...LOGGING_CONFIG,
  ...HEALTH_CONFIG,
  ...HEALTH_SERVER_CONFIG,
  ...OTEL_CONFIG,
  modelPath: {
    name: 'GIGGLES_MODEL',
    type: 'string',
    optional: true,
    description: 'YAMNet model (.tflite, converted once and cached, or a converted .onnx); default ../shared/models/yamnet.tflite beside the checkout',
  },
  modelFetch: {
    name: 'GIGGLES_MODEL_FETCH',
    type: 'bool',
    default: false,
    description: 'When GIGGLES_MODEL does not exist yet, download the pinned YAMNet (sha256-verified) into its directory at start (the containers set it)',
  },
  modelUrl: {
    name: 'GIGGLES_MODEL_URL',
    type: 'url',
    protocols: ['http', 'https'],
    optional: true,
    description: 'With GIGGLES_MODEL_FETCH: where to download the model from instead of the pinned URL (needs GIGGLES_MODEL_SHA256)',
  },
  modelSha256: {
    name: 'GIGGLES_MODEL_SHA256',
    type: 'string',
    optional: true,
    minLength: 64,
    maxLength: 64,
    description: 'sha256 the downloaded model must have (required with GIGGLES_MODEL_URL)',
  },
  classMapUrl: {
    name: 'GIGGLES_CLASS_MAP_URL',
    type: 'url',
    protocols: ['http', 'https'],
    optional: true,
    description: 'With GIGGLES_MODEL_FETCH: a mirror of yamnet_class_map.csv (it must have the pinned sha256)',
  },
  modelCacheDir: {
    name: 'GIGGLES_MODEL_CACHE_DIR',
    type: 'string',
    optional: true,
    description: "Where the converted ONNX model is cached when the model's own directory is read-only",
  },
  yamnetThreads: {
    name: 'YAMNET_THREADS',
    type: 'int',
    min: YAMNET_SETTING_BOUNDS.intraOpThreads.min,
    max: YAMNET_SETTING_BOUNDS.intraOpThreads.max,
    default: DEFAULT_YAMNET_SETTINGS.intraOpThreads,
    description: 'onnxruntime intra-op threads for YAMNet',
  },
  yamnetBatchSize: {
    name: 'YAMNET_BATCH_SIZE',
    type: 'int',
    min: YAMNET_SETTING_BOUNDS.batchSize.min,
    max: YAMNET_SETTING_BOUNDS.batchSize.max,
    default: DEFAULT_YAMNET_SETTINGS.batchSize,
    description: 'Log-mel patches (0.48 s of audio each) per YAMNet run; bounds the memory of one inference step',
  },
  coarseToFine: {
    name: ANALYSIS_SETTING_BOUNDS.coarseToFine.env,
    type: 'bool',
    default: DEFAULT_ANALYSIS_SETTINGS.coarseToFine,
    description: ANALYSIS_SETTING_BOUNDS.coarseToFine.description,
  },
  refineThreshold: {
    name: ANALYSIS_SETTING_BOUNDS.refineThreshold.env,
    type: 'float',
    min: ANALYSIS_SETTING_BOUNDS.refineThreshold.min,
    max: ANALYSIS_SETTING_BOUNDS.refineThreshold.max,
    default: DEFAULT_ANALYSIS_SETTINGS.refineThreshold,
    description: ANALYSIS_SETTING_BOUNDS.refineThreshold.description,
  },
  frontEndWorker: {
    name: ANALYSIS_SETTING_BOUNDS.frontEndWorker.env,
    type: 'bool',
    default: DEFAULT_ANALYSIS_SETTINGS.frontEndWorker,
    description: ANALYSIS_SETTING_BOUNDS.frontEndWorker.description,
  },
  concurrency: {
    name: 'INFERENCE_CONCURRENCY',
    type: 'int',
    min: 1,
    max: 4,
    default: 1,
    description: 'Segments analysed at once by this process; each worker pulls one message at a time (memory grows with this)',
  },
  ackWaitMs: {
    name: 'INFERENCE_ACK_WAIT',
    type: 'duration',
    min: 1_000,
    max: 600_000,
    default: 60_000,
    description: 'How long JetStream waits for an ack or a progress heartbeat before redelivering a segment (heartbeats go every third of it)',
  },
  maxDeliver: {
    name: 'INFERENCE_MAX_DELIVER',
    type: 'int',
    min: 1,
    max: 100,
    default: 5,
    description: 'Deliveries of one segment (transient failures, crashes) before it is dead-lettered',
  },
  stallAfterMs: {
    name: 'INFERENCE_STALL_AFTER',
    type: 'duration',
    min: 10_000,
    max: 86_400_000,
    default: 300_000,
    description: 'Readiness reports the pipeline down when segments wait and no analysis step finished for this long',
  },
  shutdownGraceMs: {
    name: 'INFERENCE_SHUTDOWN_GRACE',
    type: 'duration',
    min: 0,
    max: 600_000,
    default: 8_000,
    description: 'On SIGTERM, how long an in-flight segment may finish before it is interrupted and naked for redelivery (keep below the container stop timeout)',
  },
});

export type InferenceEnvConfig = ConfigOf<typeof INFERENCE_CONFIG>;

export interface InferenceConfig extends Omit<InferenceEnvConfig, 'modelPath'> {
  /** Resolved and checked at boot: GIGGLES_MODEL or the default model path. */
  readonly modelPath: string;
  readonly detection: DetectionSettings;
  /** ANALYSIS_COARSE_TO_FINE and ANALYSIS_REFINE_THRESHOLD, for analyzeRecording. */
  readonly analysis: AnalysisSettings;
}

/**
 * Reads and validates the whole configuration once, at boot. Throws one `ConfigError` that lists
 * every bad variable (service settings, detection settings, a missing model file).
 */
export function loadInferenceConfig(env: NodeJS.ProcessEnv = process.env): InferenceConfig {
  const problems: ConfigProblem[] = [];
  let base: InferenceEnvConfig | undefined;
  try {
    base = loadConfig(INFERENCE_CONFIG, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }

  let detection: DetectionSettings | undefined;
  try {
    detection = detectionSettingsFromEnv(env);
  } catch (error) {
    if (!(error instanceof DetectionSettingsError)) throw error;
    for (const issue of error.issues) {
      const bounds = DETECTION_SETTING_BOUNDS[issue.setting as keyof DetectionSettings];
      problems.push({ name: bounds?.env ?? issue.setting, problem: issue.message });
    }
  }

  const modelPath = resolveModelPath(env, problems, base?.modelFetch === true);

  if (problems.length > 0 || !base || !detection || !modelPath) throw new ConfigError(problems);
  const analysis = resolveAnalysisSettings({ coarseToFine: base.coarseToFine, refineThreshold: base.refineThreshold, frontEndWorker: base.frontEndWorker });
  return Object.freeze({ ...base, modelPath, detection: Object.freeze({ ...detection }), analysis: Object.freeze(analysis) });
}

function resolveModelPath(env: NodeJS.ProcessEnv, problems: ConfigProblem[], fetchWhenMissing: boolean): string | undefined {
  const given = env[INFERENCE_CONFIG.modelPath.name]?.trim();
  if (given) {
    const path = resolve(given);
    // downloaded at start (YamnetModelAdapter) into the model's directory under the fetcher's file name
    if (fetchWhenMissing && !existsSync(path)) {
      if (basename(path) === MODEL_FILE_NAME) return path;
      problems.push({ name: INFERENCE_CONFIG.modelPath.name, problem: `must end in /${MODEL_FILE_NAME} when GIGGLES_MODEL_FETCH downloads it (got ${JSON.stringify(given)})` });
      return undefined;
    }
    if (!existsSync(path) || !statSync(path).isFile()) {
      problems.push({ name: INFERENCE_CONFIG.modelPath.name, problem: `model file not found (got ${JSON.stringify(given)})` });
      return undefined;
    }
    return path;
  }
  const found = resolveDefaultModelPath(process.cwd()) ?? resolveDefaultModelPath(__dirname);
  if (!found) {
    problems.push({ name: INFERENCE_CONFIG.modelPath.name, problem: `is required — no model found at ../shared/models/yamnet.tflite; ${INFERENCE_CONFIG.modelPath.description}` });
  }
  return found;
}

/** The effective configuration for the boot log (no secrets in this service's schema). */
export function describeInferenceConfig(config: InferenceConfig): Record<string, unknown> {
  const env = describeConfig(INFERENCE_CONFIG, { ...config, modelPath: config.modelPath } as InferenceEnvConfig);
  const detection: Record<string, unknown> = {};
  for (const [key, bounds] of Object.entries(DETECTION_SETTING_BOUNDS)) detection[bounds.env] = config.detection[key as keyof DetectionSettings];
  return { ...env, ...detection };
}
