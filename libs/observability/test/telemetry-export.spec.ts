import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry } from '../src';

describe('startTelemetry with an OTLP endpoint', () => {
  const received: { url: string; body: string }[] = [];
  const collector = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  let endpoint = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it('exports spans to <endpoint>/v1/traces with the service name', async () => {
    const telemetry = startTelemetry({ serviceName: 'giggles-test-service', otlpEndpoint: `${endpoint}/` });
    expect(telemetry.exporting).toBe(true);
    trace.getTracer('test').startActiveSpan('segment decode', (span) => span.end());
    await telemetry.shutdown();
    expect(received.map((r) => r.url)).toContain('/v1/traces');
    const body = received.map((r) => r.body).join('');
    expect(body).toContain('giggles-test-service');
    expect(body).toContain('segment decode');
  });
});
