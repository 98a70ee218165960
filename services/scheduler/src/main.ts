import 'reflect-metadata';
import { ConfigError } from '@giggles/config';
import { startTelemetry } from '@giggles/observability';
import type { LevelWithSilent } from 'pino';
import { startSchedulerApp } from './bootstrap';
import { loadSchedulerConfig } from './config/scheduler-config';
import { createSchedulerLogger } from './logging/logger';

/**
 * `node services/scheduler/dist/main.js`: validates the environment (one error listing every bad
 * variable, exit 2), connects to NATS, answers commands and publishes day jobs on its timers until
 * SIGTERM or SIGINT, then stops: timers cleared, commands in hand answered, NATS drained.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadSchedulerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`scheduler: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createSchedulerLogger(config.logLevel as LevelWithSilent);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  // Day jobs start here: their publish carries the trace context every later service continues.
  const telemetry = startTelemetry({ serviceName: 'scheduler', otlpEndpoint: config.otelEndpoint });
  let app;
  try {
    app = await startSchedulerApp(config, logger, { telemetry });
  } catch (error) {
    logger.fatal({ err: error }, 'scheduler failed to start');
    await telemetry.shutdown().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  logger.info({ healthPort: config.healthPort, tracing: telemetry.exporting }, 'scheduler ready');
}

void main();
