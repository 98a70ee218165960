import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('@giggles/observability');

/** Span attribute carrying the user a unit of work belongs to (the id only: never an e-mail or a key). */
export const USER_ID_ATTRIBUTE = 'giggles.user_id';

/**
 * Runs `fn` inside a new active span (a child of the active one, or a trace's root), records a
 * thrown error on it (exception event + error status) and rethrows. With tracing off it costs a
 * no-op span.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records an error on a span: one exception event and the error status with its message. */
export function recordError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}
