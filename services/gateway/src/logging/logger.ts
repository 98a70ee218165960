import { createLogger } from '@giggles/observability';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';

export type GatewayLogger = Logger;

/**
 * JSON logs on stdout with secret redaction (@giggles/observability): `authorization`, `cookie`,
 * `set-cookie`, `apiKey`, `password`, `*token` fields never reach a log line.
 */
export function createGatewayLogger(level: LevelWithSilent, destination?: DestinationStream): GatewayLogger {
  return createLogger({ service: 'gateway', level, destination });
}

/** NestJS's own messages through the same pino logger (one implementation for every service). */
export { PinoNestLogger } from '@giggles/observability';
