import { payloadParserFor } from '@giggles/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { injectTraceContext, payloadSpanAttributes } from './trace-context';

export interface PublishResult {
  /** True when the stream already held a message with this id: the publish changed nothing. */
  duplicate: boolean;
  stream: string;
  seq: number;
}

const tracer = trace.getTracer('@giggles/messaging');

/**
 * Publishes JSON to a JetStream stream and waits for the stream's ack. The deterministic
 * `msgId` (see `messageIds` in contracts) makes a repeat inside the duplicate window a no-op.
 * Payloads for subjects that have a contract are validated first, so a bad message fails at its
 * producer instead of becoming a dead letter downstream.
 */
export async function publishDurable(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgId: string,
  headers?: MsgHdrs | Record<string, string>,
): Promise<PublishResult> {
  payloadParserFor(subject)?.(payload);
  const hdrs = toHeaders(headers);
  return tracer.startActiveSpan(`${subject} publish`, { kind: SpanKind.PRODUCER, attributes: { ...spanAttributes(subject, msgId), ...payloadSpanAttributes(payload) } }, async (span) => {
    try {
      // Explicitly this span's context: correct even where no context manager is registered.
      injectTraceContext(hdrs, trace.setSpan(context.active(), span));
      const ack = await js.publish(subject, JSON.stringify(payload), { msgID: msgId, headers: hdrs });
      span.setAttribute('giggles.duplicate', ack.duplicate);
      return { duplicate: ack.duplicate, stream: ack.stream, seq: ack.seq };
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

function toHeaders(given: MsgHdrs | Record<string, string> | undefined): MsgHdrs {
  if (given && typeof (given as MsgHdrs).keys === 'function' && typeof (given as MsgHdrs).append === 'function') {
    return given as MsgHdrs;
  }
  const hdrs = createHeaders();
  for (const [key, value] of Object.entries(given ?? {})) hdrs.set(key, value);
  return hdrs;
}

function spanAttributes(subject: string, msgId: string) {
  return { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': msgId };
}
