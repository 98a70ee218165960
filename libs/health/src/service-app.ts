import type { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

export interface ServiceAppOptions {
  /** Nest's own messages (a service passes its pino logger wrapped in PinoNestLogger). */
  logger: LoggerService;
  /** HEALTH_PORT: `/health/live`, `/health/ready`, `/metrics`. */
  port: number;
  /** Default 0.0.0.0 (the uptime monitor polls from outside the container); tests pass 127.0.0.1. */
  host?: string;
}

/**
 * Builds a service's Nest application and serves its health and metrics port. A half-started app
 * (listen failed, e.g. the port is taken) holds a NATS connection and maybe a running consumer, so
 * it is closed again before the error goes up.
 */
export async function startServiceApp(module: DynamicModule, options: ServiceAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module, { logger: options.logger, abortOnError: false });
  try {
    await app.listen(options.port, options.host ?? '0.0.0.0');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
