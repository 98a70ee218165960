import { context, propagation, ROOT_CONTEXT, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';

/**
 * W3C trace context in NATS headers, so a trace follows a job across services. Uses whatever
 * propagator the process registered (the OTel NodeSDK registers W3C trace context); with none
 * registered these are no-ops.
 */

const setter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => (carrier ? carrier.keys() : []),
  get: (carrier, key) => (carrier?.has(key) ? carrier.get(key) : undefined),
};

/** Adds the active (or given) trace context to `hdrs`, creating headers if none are given. */
export function injectTraceContext(hdrs: MsgHdrs = createHeaders(), ctx: Context = context.active()): MsgHdrs {
  propagation.inject(ctx, hdrs, setter);
  return hdrs;
}

/** The trace context a message carries, or an empty context. */
export function extractTraceContext(hdrs: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, hdrs, getter);
}

/**
 * Span attributes naming whose work a message is: the `userId` (and `jobId`) a Giggles payload
 * carries — ids only, never an e-mail or a key — so one user's night can be found in the traces.
 */
export function payloadSpanAttributes(payload: unknown): Record<string, string> {
  if (typeof payload !== 'object' || payload === null) return {};
  const { userId, jobId, payload: inner } = payload as { userId?: unknown; jobId?: unknown; payload?: unknown };
  // a decoded envelope ({ kind, payload }, as persistence's result messages) names the user inside
  if (userId === undefined && inner !== undefined) return payloadSpanAttributes(inner);
  return {
    ...(typeof userId === 'string' ? { 'giggles.user_id': userId } : {}),
    ...(typeof jobId === 'string' ? { 'giggles.job_id': jobId } : {}),
  };
}
