import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Telemetry } from '@giggles/observability';
import type { LevelWithSilent } from 'pino';
import { AppModule } from './app.module';
import { describeGatewayConfig, loadGatewayConfig, type GatewayConfig } from './config/gateway-config';
import { HealthPortServer } from './health/health-port.server';
import { configureHttp } from './http-setup';
import { createGatewayLogger, PinoNestLogger, type GatewayLogger } from './logging/logger';

export interface GatewayApp {
  app: NestExpressApplication;
  config: GatewayConfig;
  /** Public base URL (`http://host:port`, the API under `/api`). */
  url: string;
  /** The health port: `/metrics`, `/health/live`, `/health/ready`. */
  healthUrl: string;
  close(): Promise<void>;
}

export interface CreateGatewayAppOptions {
  /** Settings as environment variables (validated like at boot); default `process.env`. Ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
  config?: GatewayConfig;
  logger?: GatewayLogger;
  /** Interface for both ports; default GATEWAY_HOST (tests pass 127.0.0.1). */
  host?: string;
  telemetry?: Telemetry;
}

/**
 * Builds and starts the gateway in this process: NATS connected, the API and web app on
 * GATEWAY_PORT (0 = a free port, see `url`), `/metrics` and health on HEALTH_PORT.
 *
 * ```ts
 * const gateway = await createGatewayApp({ env: { NATS_URL, SUPABASE_URL, ..., GATEWAY_PORT: '0', HEALTH_PORT: '0' }, host: '127.0.0.1' });
 * await fetch(`${gateway.url}/api/health`);
 * ```
 */
export async function createGatewayApp(options: CreateGatewayAppOptions = {}): Promise<GatewayApp> {
  const config = options.config ?? loadGatewayConfig(options.env ?? process.env);
  const logger = options.logger ?? createGatewayLogger(config.logLevel as LevelWithSilent);
  return startGatewayApp(config, logger, options);
}

export async function startGatewayApp(config: GatewayConfig, logger: GatewayLogger, options: { host?: string; telemetry?: Telemetry } = {}): Promise<GatewayApp> {
  logger.info({ config: describeGatewayConfig(config) }, 'starting gateway');
  const host = options.host ?? config.host;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger, { telemetry: options.telemetry }), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: false,
  });
  try {
    configureHttp(app, config, logger);
    await app.listen(config.port, host);
    const healthPort = await app.get(HealthPortServer).listen(host);
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      app,
      config,
      url: `http://${shown}:${port}`,
      healthUrl: `http://${shown}:${healthPort}`,
      close: () => app.close(),
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
