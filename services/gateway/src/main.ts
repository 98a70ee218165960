import 'reflect-metadata';
import { ConfigError } from '@giggles/config';
import { startTelemetry } from '@giggles/observability';
import type { LevelWithSilent } from 'pino';
import { startGatewayApp } from './bootstrap';
import { loadGatewayConfig } from './config/gateway-config';
import { createGatewayLogger } from './logging/logger';

/**
 * `node services/gateway/dist/main.js`: validates the environment (one error listing every bad
 * variable, exit 2), connects to NATS, serves the API and the web app until SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gateway: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createGatewayLogger(config.logLevel as LevelWithSilent);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  // On-demand jobs start here: the HTTP request's span is carried into the scheduler and the pipeline.
  const telemetry = startTelemetry({ serviceName: 'gateway', otlpEndpoint: config.otelEndpoint });
  let gateway;
  try {
    gateway = await startGatewayApp(config, logger, { telemetry });
  } catch (error) {
    logger.fatal({ err: error }, 'gateway failed to start');
    await telemetry.shutdown().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
  gateway.app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  logger.info({ url: gateway.url, healthPort: config.healthPort, tracing: telemetry.exporting }, 'gateway ready');
}

void main();
