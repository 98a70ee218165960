import { createLogger as createServiceLogger } from '@giggles/observability';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';

export type InferenceLogger = Logger;

/**
 * Structured JSON logs on stdout, one object per line, secrets redacted (@giggles/observability).
 * A pino logger also satisfies @giggles/messaging's `MessagingLogger`, so the consumer runner logs
 * through it too.
 */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): InferenceLogger {
  return createServiceLogger({ service: 'inference', level, destination });
}

/** NestJS's own messages through the same pino logger (one implementation for every service). */
export { PinoNestLogger } from '@giggles/observability';
