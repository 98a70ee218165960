import 'reflect-metadata';
import { ConfigError } from '@giggles/config';
import { startTelemetry } from '@giggles/observability';
import { createIngestionApp } from './bootstrap';
import { loadIngestionConfig } from './config/ingestion-config';
import { createLogger } from './logging/logger';

/**
 * `node services/ingestion/dist/main.js`: validates the environment (one error listing every bad
 * variable, exit 2), connects to NATS and consumes day jobs until SIGTERM or SIGINT, then stops
 * gracefully: no new windows, the current one finishes within INGESTION_SHUTDOWN_GRACE, the job
 * is handed back (nak) for another instance.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadIngestionConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ingestion: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  // Before the app is built: spans of NATS messages carry their trace context across services.
  const telemetry = startTelemetry({ serviceName: 'ingestion', otlpEndpoint: config.otelEndpoint });
  let app;
  try {
    app = await createIngestionApp(config, logger, { telemetry });
  } catch (error) {
    logger.fatal({ err: error }, 'ingestion failed to start');
    await telemetry.shutdown().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  logger.info({ healthPort: config.healthPort, tracing: telemetry.exporting }, 'ingestion ready');
}

void main();
