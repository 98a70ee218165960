import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { YamnetModel } from '@giggles/yamnet';
import type { InferenceConfig } from '../config/inference-config';
import type { InferenceLogger } from '../logging/logger';
import type { ModelHost } from '../services/yamnet-laughter-analyzer';
import { INFERENCE_SETTINGS, LOGGER } from '../tokens';

/**
 * Loads YAMNet once per process at boot (the .tflite is converted to ONNX once and cached in
 * GIGGLES_MODEL_CACHE_DIR when the model's directory is read-only) and releases it on shutdown,
 * after the consumer has stopped.
 */
@Injectable()
export class YamnetModelAdapter implements ModelHost, OnModuleInit, OnApplicationShutdown {
  private loaded: YamnetModel | undefined;

  constructor(
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
    @Inject(LOGGER) private readonly logger: InferenceLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
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

  get model(): YamnetModel {
    if (!this.loaded) throw new Error('YAMNet model is not loaded yet');
    return this.loaded;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loaded?.dispose();
  }
}
