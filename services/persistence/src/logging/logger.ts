import { createLogger } from '@giggles/observability';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';

export type PersistenceLogger = Logger;

/**
 * JSON logs on stdout with secret redaction (@giggles/observability). Code never logs keys,
 * ciphertexts, the service-role key or DATABASE_URL; redaction is the second line of defence.
 */
export function createPersistenceLogger(level: LevelWithSilent, destination?: DestinationStream): PersistenceLogger {
  return createLogger({ service: 'persistence', level, destination });
}

/** NestJS's own messages through the same pino logger (one implementation for every service). */
export { PinoNestLogger } from '@giggles/observability';
