import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { startServiceApp } from '@giggles/health';
import { AppModule, type AppModuleOptions } from './app.module';
import { describeIngestionConfig, type IngestionConfig } from './config/ingestion-config';
import { PinoNestLogger, type IngestionLogger } from './logging/logger';

/**
 * Builds and starts the service: NATS connected, topology ensured, day-job consumer running,
 * `/health/live`, `/health/ready` and `/metrics` listening on `HEALTH_PORT`.
 */
export async function createIngestionApp(
  config: IngestionConfig,
  logger: IngestionLogger,
  options: AppModuleOptions & { host?: string } = {},
): Promise<INestApplication> {
  logger.info({ config: describeIngestionConfig(config) }, 'starting ingestion');
  return startServiceApp(AppModule.forRoot(config, logger, options), { logger: new PinoNestLogger(logger), port: config.healthPort, host: options.host });
}
