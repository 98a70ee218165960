import { trace } from '@opentelemetry/api';
import type { ErrorTracker } from './sentry-tracker';
import { recordError } from './span';

/** pino's numeric level of `error`: from here up a logged `err` is recorded on the active span. */
const ERROR_LEVEL = 50;

/**
 * The pino mixin of `createLogger`: `traceId` and `spanId` of the active span on every line logged
 * inside one (so a log line finds its trace and back), and an `err` logged at error level or above
 * recorded on that span as an exception — an error is logged once and shows on its trace. With
 * tracing off there is no active span and nothing is added.
 */
export function traceFields(object: object, level: number, service: string, tracker?: ErrorTracker): Record<string, string> {
  const span = trace.getActiveSpan();
  const ctx = span?.spanContext();
  const ids = span && ctx && trace.isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : undefined;
  const err = (object as { err?: unknown }).err;
  if (level >= ERROR_LEVEL && err !== undefined) {
    if (span?.isRecording()) recordError(span, err);
    tracker?.capture(err, { service, ...ids });
  }
  return ids ?? {};
}
