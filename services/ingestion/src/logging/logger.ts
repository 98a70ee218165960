import pino, { type Logger } from 'pino';

export type IngestionLogger = Logger;

/**
 * Field names that could ever hold a Limitless API key or its ciphertext. Code never logs them
 * on purpose; redaction is the second line of defence (a test asserts keys never reach the logs).
 */
export const REDACTED_PATHS = [
  'apiKey',
  'key',
  'encryptedKey',
  'headers["x-api-key"]',
  'headers["X-API-Key"]',
  '*.apiKey',
  '*.key',
  '*.encryptedKey',
  '*.headers["x-api-key"]',
  '*.headers["X-API-Key"]',
];

/** Structured JSON logs on stdout (one object per line); also the consumer runner's logger. */
export function createLogger(level: string, destination?: pino.DestinationStream): IngestionLogger {
  return pino(
    {
      level,
      base: { service: 'ingestion', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** NestJS's own messages through the same pino logger (one implementation for every service). */
export { PinoNestLogger } from '@giggles/observability';
