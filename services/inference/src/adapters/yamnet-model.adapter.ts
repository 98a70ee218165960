import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { fetchModel, YamnetModel } from '@giggles/yamnet';
import type { InferenceConfig } from '../config/inference-config';
import type { InferenceLogger } from '../logging/logger';
import type { ModelHost } from '../services/yamnet-laughter-analyzer';
import { INFERENCE_SETTINGS, LOGGER } from '../tokens';

/**
 * Loads YAMNet once per process at boot (the .tflite is converted to ONNX once and cached in
 * GIGGLES_MODEL_CACHE_DIR when the model's directory is read-only) and releases it on shutdown,
 * after the consumer has stopped.
 */
/** A first-start download that takes longer than this fails the start (Docker restarts and retries). */
const MODEL_FETCH_TIMEOUT_MS = 300_000;

@Injectable()
export class YamnetModelAdapter implements ModelHost, OnModuleInit, OnApplicationShutdown {
  private loaded: YamnetModel | undefined;

  constructor(
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
    @Inject(LOGGER) private readonly logger: InferenceLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    if (this.config.modelFetch && !existsSync(this.config.modelPath)) await this.fetch();
    this.loaded = await YamnetModel.load(this.config.modelPath, {
      batchSize: this.config.yamnetBatchSize,
      intraOpThreads: this.config.yamnetThreads,
      cacheDir: this.config.modelCacheDir,
    });
    this.logger.info(
      { model: this.config.modelPath, onnx: this.loaded.onnxPath, version: this.loaded.version, loadMs: Date.now() - started, ...this.loaded.settings },
      'YAMNet model loaded',
    );
  }

  /** First start with an empty model volume: the pinned (or GIGGLES_MODEL_URL) YAMNet, verified. */
  private async fetch(): Promise<void> {
    const started = Date.now();
    const dir = dirname(this.config.modelPath);
    this.logger.info({ dir, url: this.config.modelUrl ?? 'pinned' }, 'no YAMNet model yet: downloading it');
    const result = await fetchModel({
      dir,
      model: { url: this.config.modelUrl, sha256: this.config.modelSha256 },
      ...(this.config.classMapUrl ? { classMap: { url: this.config.classMapUrl } } : {}),
      cacheDir: this.config.modelCacheDir,
      signal: AbortSignal.timeout(MODEL_FETCH_TIMEOUT_MS),
    });
    this.logger.info({ model: result.modelPath, onnx: result.onnxPath, fetchMs: Date.now() - started }, 'YAMNet model downloaded and verified');
  }

  get model(): YamnetModel {
    if (!this.loaded) throw new Error('YAMNet model is not loaded yet');
    return this.loaded;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loaded?.dispose();
  }
}
