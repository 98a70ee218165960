import 'reflect-metadata';
import { ConfigError } from '@giggles/config';
import { startTelemetry } from '@giggles/observability';
import { createInferenceApp } from './bootstrap';
import { loadInferenceConfig } from './config/inference-config';
import { createLogger } from './logging/logger';

/**
 * `node services/inference/dist/main.js`: validates the environment (one error listing every bad
 * variable, exit 2), loads the model, connects to NATS, consumes segment events and serves
 * /health/live, /health/ready and /metrics on HEALTH_PORT until SIGTERM or SIGINT, then stops
 * gracefully (see SegmentWorker).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadInferenceConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`inference: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Before the app is built: spans of NATS messages carry their trace context across services.
  const telemetry = startTelemetry({ serviceName: 'inference', otlpEndpoint: config.otelEndpoint });
  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  let app;
  try {
    app = await createInferenceApp(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'inference failed to start');
    logger.flush();
    process.exit(1);
  }
  const nest = app;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now (the segment in flight will be redelivered)');
      logger.flush();
      process.exit(1);
    }
    stopping = true;
    void (async () => {
      let code = 0;
      try {
        await nest.close(); // stop consuming (finish or nak the segment in flight), then NATS and the model
      } catch (error) {
        code = 1;
        logger.error({ err: error }, 'shutdown failed');
      }
      await telemetry.shutdown().catch(() => undefined);
      logger.info({ signal, code }, 'inference stopped');
      logger.flush();
      process.exit(code);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await app.listen(config.healthPort);
  logger.info({ healthPort: config.healthPort }, 'inference ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`inference: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
