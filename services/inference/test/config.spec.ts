import { ConfigError } from '@giggles/config';
import { DEFAULT_DETECTION_SETTINGS } from '@giggles/detection';
import { describe, expect, it } from 'vitest';
import { describeInferenceConfig, loadInferenceConfig } from '../src/config/inference-config';
import { MODEL_PATH } from './support/fixtures';

describe('inference config', () => {
  it('has defaults for everything but the model, which is resolved and checked', () => {
    const config = loadInferenceConfig({ GIGGLES_MODEL: MODEL_PATH });
    expect(config).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      logLevel: 'info',
      modelPath: MODEL_PATH,
      yamnetBatchSize: 16,
      concurrency: 1,
      ackWaitMs: 60_000,
      maxDeliver: 5,
      shutdownGraceMs: 8_000,
      memoryLimitMb: 512,
    });
    expect(config.yamnetThreads).toBeGreaterThanOrEqual(1);
    expect(config.detection).toEqual(DEFAULT_DETECTION_SETTINGS);
    expect(config.analysis).toEqual({ coarseToFine: true, refineThreshold: 0.02, frontEndWorker: true });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every setting, detection settings included, and durations in any unit', () => {
    const config = loadInferenceConfig({
      GIGGLES_MODEL: MODEL_PATH,
      NATS_URL: 'nats://a:4222,nats://b:4222',
      GIGGLES_MODEL_CACHE_DIR: '/var/cache/giggles',
      YAMNET_THREADS: '1',
      YAMNET_BATCH_SIZE: '8',
      INFERENCE_CONCURRENCY: '2',
      INFERENCE_ACK_WAIT: '2m',
      INFERENCE_MAX_DELIVER: '7',
      INFERENCE_SHUTDOWN_GRACE: '0',
      DETECTION_START_THRESHOLD: '0.4',
      DETECTION_SMOOTHING_METHOD: 'median',
      ANALYSIS_COARSE_TO_FINE: 'false',
      ANALYSIS_REFINE_THRESHOLD: '0.05',
      ANALYSIS_FRONT_END_WORKER: 'false',
    });
    expect(config.analysis).toEqual({ coarseToFine: false, refineThreshold: 0.05, frontEndWorker: false });
    expect(config).toMatchObject({ yamnetThreads: 1, yamnetBatchSize: 8, concurrency: 2, ackWaitMs: 120_000, maxDeliver: 7, shutdownGraceMs: 0, modelCacheDir: '/var/cache/giggles' });
    expect(config.detection).toMatchObject({ startThreshold: 0.4, smoothingMethod: 'median' });
    const described = describeInferenceConfig(config);
    expect(described).toMatchObject({ YAMNET_BATCH_SIZE: 8, INFERENCE_ACK_WAIT: 120_000, DETECTION_START_THRESHOLD: 0.4, GIGGLES_MODEL: MODEL_PATH });
  });

  it('reports every bad variable in one error, detection settings and the model file included', () => {
    let error: unknown;
    try {
      loadInferenceConfig({
        GIGGLES_MODEL: '/nonexistent/yamnet.tflite',
        NATS_URL: 'http://nats:4222',
        YAMNET_THREADS: '0',
        YAMNET_BATCH_SIZE: '1000',
        INFERENCE_ACK_WAIT: 'soon',
        INFERENCE_CONCURRENCY: '9',
        DETECTION_START_THRESHOLD: '2',
        DETECTION_SCORE_MODE: 'loudest',
        ANALYSIS_REFINE_THRESHOLD: '3',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.name).sort();
    expect(names).toEqual(
      ['ANALYSIS_REFINE_THRESHOLD', 'DETECTION_SCORE_MODE', 'DETECTION_START_THRESHOLD', 'GIGGLES_MODEL', 'INFERENCE_ACK_WAIT', 'INFERENCE_CONCURRENCY', 'NATS_URL', 'YAMNET_BATCH_SIZE', 'YAMNET_THREADS'].sort(),
    );
    expect((error as Error).message).toContain('Invalid configuration: 9 problems');
  });

  it('names the variable when detection settings contradict each other', () => {
    expect(() => loadInferenceConfig({ GIGGLES_MODEL: MODEL_PATH, DETECTION_START_THRESHOLD: '0.2', DETECTION_STOP_THRESHOLD: '0.5' })).toThrow(
      /DETECTION_STOP_THRESHOLD: must not exceed startThreshold/,
    );
  });
});
