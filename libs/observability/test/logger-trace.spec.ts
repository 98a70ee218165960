import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, startTelemetry } from '../src';

describe('log lines inside a span', () => {
  const bodies: string[] = [];
  const collector = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let endpoint = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => collector.close(resolve)));

  it('carry the trace and span id; an error logged there is recorded on the span; outside a span nothing is added', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const telemetry = startTelemetry({ serviceName: 'logger-trace-test', otlpEndpoint: endpoint });
    const logger = createLogger({ service: 'logger-trace-test', destination: sink });
    let ids = { traceId: '', spanId: '' };
    trace.getTracer('test').startActiveSpan('window download', (span) => {
      ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      logger.info('working');
      logger.error({ err: new Error('Limitless answered 500 three times') }, 'window failed');
      span.end();
    });
    logger.info('outside');
    await telemetry.shutdown();

    expect(lines[0]).toMatchObject({ msg: 'working', ...ids });
    expect(lines[1]).toMatchObject({ msg: 'window failed', ...ids, err: { message: 'Limitless answered 500 three times' } });
    expect(lines[2].msg).toBe('outside');
    expect(lines[2].traceId).toBeUndefined();
    const exported = bodies.join('');
    expect(exported).toContain('window download');
    expect(exported.split('Limitless answered 500 three times').length - 1).toBeGreaterThanOrEqual(1);
    expect(exported).toContain('"exception"');
  });
});
