import { messageIds, parseDayJob, QUERIES, type DayJob } from '@giggles/contracts';
import { context, propagation, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopology, jsonDecoder, publishDurable, request, runConsumer, serveQueries } from '../src';
import { connectTestNats, deleteStreams, eventually, recordingLogger, uniqueNames, type Nats } from './nats-fixture';

const USER_ID = '8b0e7d5e-5a4f-4a2e-9d3c-1f2e3d4c5b6a';

describe('trace context across NATS', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  let nats: Nats;
  const names = uniqueNames();

  beforeAll(async () => {
    provider.register(); // W3C propagator + async context manager, as the OTel NodeSDK would
    nats = await connectTestNats();
    await ensureTopology(nats.jsm, { streams: [{ name: names.workStream, subjects: [names.workSubject], kind: 'work' }], buckets: [] });
  });

  afterAll(async () => {
    await deleteStreams(nats.jsm, [names.workStream]);
    await nats.nc.close();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('continues the publisher trace in the consumer handler', async () => {
    const job: DayJob = {
      jobId: messageIds.dayJob(USER_ID, '2024-05-01', 'manual', 0, 1000),
      userId: USER_ID,
      localDate: '2024-05-01',
      timezone: 'UTC',
      startMs: 0,
      endMs: 1000,
      trigger: 'manual',
      requestedAt: '2024-05-02T00:00:00Z',
    };
    const seen: { traceId?: string; traceparent?: string }[] = [];
    const handle = await runConsumer({
      js: nats.js,
      stream: names.workStream,
      durable: 'trace-test',
      filterSubject: names.workSubject,
      decode: jsonDecoder(parseDayJob),
      logger: recordingLogger(),
      handle: async (_payload, ctx) => {
        seen.push({ traceId: trace.getActiveSpan()?.spanContext().traceId, traceparent: ctx.headers?.get('traceparent') });
      },
    });
    const tracer = trace.getTracer('test');
    const rootTraceId = await tracer.startActiveSpan('scheduler tick', async (span) => {
      await publishDurable(nats.js, names.workSubject, job, job.jobId);
      span.end();
      return span.spanContext().traceId;
    });
    await eventually(() => seen.length === 1);
    await handle.stop();

    expect(seen[0]?.traceparent).toMatch(new RegExp(`^00-${rootTraceId}-[0-9a-f]{16}-01$`));
    expect(seen[0]?.traceId).toBe(rootTraceId);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === rootTraceId);
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['scheduler tick', `${names.workSubject} publish`, `${names.workSubject} process`]));
  });

  it('continues the caller trace in a query handler', async () => {
    let handlerTraceId: string | undefined;
    const server = serveQueries(
      nats.nc,
      {
        [QUERIES.jobStatus]: async () => {
          handlerTraceId = trace.getActiveSpan()?.spanContext().traceId;
          throw new Error('not needed');
        },
      },
      { subjectPrefix: names.subjectPrefix, logger: recordingLogger() },
    );
    await nats.nc.flush();
    const callerTraceId = await trace.getTracer('test').startActiveSpan('gateway request', async (span) => {
      await request(nats.nc, QUERIES.jobStatus, { jobId: 'j1' }, { subjectPrefix: names.subjectPrefix }).catch(() => undefined);
      span.end();
      return span.spanContext().traceId;
    });
    await server.stop();
    expect(handlerTraceId).toBe(callerTraceId);
  });
});
