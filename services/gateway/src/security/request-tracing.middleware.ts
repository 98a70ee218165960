import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

const tracer = trace.getTracer('@giggles/gateway');

/**
 * One SERVER span per request, continuing a `traceparent` the caller sent, active while the route
 * runs — so the NATS requests it makes carry it (@giggles/messaging injects the active context)
 * and an on-demand job's trace starts at the HTTP request. Attributes: method, route path, status;
 * never the query string, headers or body (they can hold tokens and keys).
 */
export function requestTracing(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), req.headers);
  const path = (req.originalUrl ?? req.url).split('?')[0];
  const span = tracer.startSpan(`${req.method} ${path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': path } }, parent);
  res.on('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  res.on('close', () => {
    if (!res.writableFinished) span.end();
  });
  context.with(trace.setSpan(parent, span), () => next());
}
