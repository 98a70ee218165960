export { createLogger, type LoggerOptions } from './logger';
export { isSecretField, redactSecrets, REDACTED } from './redact-secrets';
export { startTelemetry, TELEMETRY_SHUTDOWN, telemetryShutdownProvider, type Telemetry, type TelemetryOptions } from './telemetry';
export { createMetricsRegistry, type MetricsRegistryOptions } from './metrics';
export { PinoNestLogger } from './pino-nest-logger';
export { inSpan, recordError, USER_ID_ATTRIBUTE } from './span';
export { errorTrackerFromEnv, parseSentryDsn, SENTRY_MAX_EVENTS_PER_MINUTE, SentryEnvelopeTracker, type ErrorContext, type ErrorTracker } from './sentry-tracker';
