import { QUERIES } from '@giggles/contracts';
import { startTelemetry, type Telemetry } from '@giggles/observability';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack } from './support/gateway-stack';

/** Health, metrics on the health port only, trace context into NATS, and what happens when a dependency goes away. */

let stack: GatewayStack;
let nc: NatsConnection;
let telemetry: Telemetry;
beforeAll(async () => {
  // What main.ts does with a collector (nothing listens there: spans are recorded, their export fails quietly).
  telemetry = startTelemetry({ serviceName: 'gateway-test', otlpEndpoint: 'http://127.0.0.1:9' });
  stack = await startGatewayStack();
  nc = await connect({ servers: stack.harness.natsUrl });
});
afterAll(async () => {
  await nc?.close();
  await stack?.stop();
  await telemetry?.shutdown().catch(() => undefined); // the export to a closed port fails, as intended
});

describe('health', () => {
  it('live and ready (NATS, persistence and the scheduler answering, memory) on the public port', async () => {
    await request(stack.baseUrl).get('/api/health/live').expect(200);
    const ready = await request(stack.baseUrl).get('/api/health/ready').expect(200);
    expect(Object.keys(ready.body.details).sort()).toEqual(['memory', 'nats', 'persistence', 'scheduler']);
    const summary = await request(stack.baseUrl).get('/api/health').expect(200);
    expect(summary.body).toMatchObject({ status: 'healthy', message: 'Giggles API is running', notReady: [] });
    expect(Date.parse(summary.body.timestamp)).not.toBeNaN();
    expect(summary.body.uptimeS).toBeGreaterThanOrEqual(0);
  });

  it('/metrics is on the health port, never on the public one', async () => {
    const metrics = await fetch(`${stack.gateway.healthUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('service="gateway"');
    expect((await fetch(`${stack.gateway.healthUrl}/health/ready`)).status).toBe(200);
    // Outside /api the public port serves the web app (or 404), never the metrics.
    expect((await request(stack.baseUrl).get('/metrics')).text).not.toContain('process_cpu');
    await request(stack.baseUrl).get('/api/metrics').expect(404);
  });
});

describe('tracing', () => {
  it('a request’s trace context travels on into the NATS query it makes', async () => {
    const user = await stack.register();
    const seen: Msg[] = [];
    const sub = nc.subscribe(QUERIES.userProfile, {
      callback: (_err, msg) => {
        seen.push(msg);
      },
    });
    await nc.flush();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await user.agent.get('/api/me').set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`).expect(200);
    sub.unsubscribe();
    expect(seen.length).toBeGreaterThan(0);
    const traceparent = seen[0].headers?.get('traceparent') ?? '';
    expect(traceparent.split('-')[1]).toBe(traceId);
  });
});

describe('when a dependency goes away', () => {
  it('the scheduler stopped: /api/health 503 naming it, readiness 503', async () => {
    await stack.scheduler.close();
    // The probe result is cached briefly: wait past it.
    await new Promise((r) => setTimeout(r, 2_100));
    const summary = await request(stack.baseUrl).get('/api/health').expect(503);
    expect(summary.body).toMatchObject({ status: 'unhealthy', notReady: ['scheduler'] });
    expect(summary.body.message).toMatch(/scheduler/);
    const ready = await request(stack.baseUrl).get('/api/health/ready').expect(503);
    expect(ready.body.error.scheduler.message).toMatch(/not answering/);
    await request(stack.baseUrl).get('/api/health/live').expect(200);
  });

  it('persistence stopped: API calls answer 503 with a plain message, not 500', async () => {
    const user = await stack.register();
    await stack.persistence.close();
    const res = await user.agent.get('/api/me').expect(503);
    expect(res.body.message).toBe('The database service is not answering — try again shortly');
    expect(JSON.stringify(res.body)).not.toMatch(/giggles\.query|nats/i);
  });
});
