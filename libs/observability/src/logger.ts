import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { redactSecrets } from './redact-secrets';
import { errorTrackerFromEnv, type ErrorTracker } from './sentry-tracker';
import { traceFields } from './trace-fields';

export interface LoggerOptions {
  /** Appears as `service` on every line. */
  service: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
  /** Errors logged at error level also go here; default: a Sentry tracker when SENTRY_DSN is set, else none. */
  errorTracker?: ErrorTracker | null;
}

/**
 * JSON logs, one object per line, ISO timestamps, level names instead of numbers. Secret fields
 * are redacted in log objects and child-logger bindings at any depth (see `isSecretField`);
 * strings inside the message text are the caller's responsibility.
 */
export function createLogger(options: LoggerOptions): Logger {
  const tracker = options.errorTracker === null ? undefined : (options.errorTracker ?? errorTrackerFromEnv());
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      // every line written inside a span names it; an error logged there is also recorded on it
      mixin: (object, level) => traceFields(object, level, options.service, tracker),
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactSecrets(bindings),
        log: (object) => redactSecrets(object),
      },
    },
    options.destination,
  );
  // pino runs `formatters.bindings` for the root logger only, not for `child()` bindings.
  // Children are created with `Object.create(parent)`, so this override reaches every descendant.
  const createChild = logger.child as unknown as (this: unknown, bindings: Bindings, options?: ChildLoggerOptions<never>) => Logger;
  logger.child = function child(this: unknown, bindings: Bindings, childOptions?: ChildLoggerOptions<never>) {
    return createChild.call(this, redactSecrets(bindings), childOptions);
  } as unknown as Logger['child'];
  return logger;
}
