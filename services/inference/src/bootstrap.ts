import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { AppModule } from './app.module';
import { describeInferenceConfig, type InferenceConfig } from './config/inference-config';
import { PinoNestLogger, type InferenceLogger } from './logging/logger';

/**
 * Builds and initialises the service: model loaded, NATS connected, consumer running. The caller
 * starts the health server with `app.listen(config.healthPort)`.
 */
export async function createInferenceApp(config: InferenceConfig, logger: InferenceLogger): Promise<INestApplication> {
  logger.info({ config: describeInferenceConfig(config) }, 'starting inference');
  const app = await NestFactory.create(AppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  await app.init();
  return app;
}
