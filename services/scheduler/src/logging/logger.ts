import { createLogger } from '@giggles/observability';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';

export type SchedulerLogger = Logger;

/** JSON logs on stdout with secret redaction (@giggles/observability). */
export function createSchedulerLogger(level: LevelWithSilent, destination?: DestinationStream): SchedulerLogger {
  return createLogger({ service: 'scheduler', level, destination });
}

/** NestJS's own messages through the same pino logger (one implementation for every service). */
export { PinoNestLogger } from '@giggles/observability';
