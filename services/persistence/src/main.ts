import 'reflect-metadata';
import { ConfigError } from '@giggles/config';
import { startTelemetry } from '@giggles/observability';
import { createPersistenceApp } from './bootstrap';
import { loadPersistenceConfig } from './config/persistence-config';
import { createPersistenceLogger } from './logging/logger';

/**
 * `node services/persistence/dist/main.js`: validates the environment (one error listing every
 * bad variable, exit 2), starts tracing, migrates the database when DATABASE_URL is set, then
 * stores results and answers queries until SIGTERM or SIGINT, when it stops taking work, lets
 * the messages in hand finish, drains NATS and flushes traces.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadPersistenceConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`persistence: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createPersistenceLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  const telemetry = startTelemetry({ serviceName: 'persistence', otlpEndpoint: config.otelEndpoint });
  let app;
  try {
    app = await createPersistenceApp(config, logger, { onShutdown: () => telemetry.shutdown() });
  } catch (error) {
    logger.fatal({ err: error }, 'persistence failed to start');
    await telemetry.shutdown().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  logger.info({ healthPort: config.healthPort, tracing: telemetry.exporting }, 'persistence ready');
}

void main();
