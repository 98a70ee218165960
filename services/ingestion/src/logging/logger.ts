import { createLogger as createServiceLogger } from '@giggles/observability';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';

export type IngestionLogger = Logger;

/**
 * Structured JSON logs on stdout (one object per line); also the consumer runner's logger.
 * Fields that could ever hold a Limitless API key or its ciphertext (`apiKey`, `key`,
 * `encryptedKey`, `x-api-key` headers, at any depth) are redacted by @giggles/observability —
 * code never logs them on purpose; redaction is the second line of defence (a test asserts keys
 * never reach the logs).
 */
export function createLogger(level: string, destination?: DestinationStream): IngestionLogger {
  return createServiceLogger({ service: 'ingestion', level: level as LevelWithSilent, destination });
}

/** NestJS's own messages through the same pino logger (one implementation for every service). */
export { PinoNestLogger } from '@giggles/observability';
