import type { LoggerService } from '@nestjs/common';
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

/** NestJS's own messages (bootstrap, lifecycle, Terminus) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: IngestionLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    // Nest passes (message, context) or (message, stack, context).
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields = { context, ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message }, '');
    else this.logger[level](fields, String(message));
  }
}
