import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startTelemetry } from '../src';

describe('startTelemetry without an endpoint', () => {
  it('records nothing but still passes trace context on', async () => {
    const telemetry = startTelemetry({ serviceName: 'quiet' });
    expect(telemetry.exporting).toBe(false);

    const incoming = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const parent = propagation.extract(ROOT_CONTEXT, incoming);
    expect(trace.getSpanContext(parent)).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', traceFlags: TraceFlags.SAMPLED });

    const span = trace.getTracer('test').startSpan('work', {}, parent);
    expect(span.isRecording()).toBe(false);
    const outgoing: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), outgoing);
    expect(outgoing.traceparent).toBe(incoming.traceparent);
    await telemetry.shutdown();
  });
});
