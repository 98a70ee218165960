/**
 * `/api/health` over the whole product (the five services as processes on real NATS, Postgres and
 * PostgREST): every service ready → 200 with each one `up` and the scheduler's clock; one service
 * stopped → 503 naming it "unreachable" while the others stay up; back → 200 again.
 */
import { startProductStack, type ProductStack } from '@giggles/e2e';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { logDirPolicy, suiteLog } from './support/settings';

describe('/api/health for an uptime monitor', () => {
  let product: ProductStack;
  let setupCompleted = false;

  beforeAll(async () => {
    product = await startProductStack({ log: suiteLog });
    setupCompleted = true;
  });
  const cleanLogs = logDirPolicy(afterEach);
  afterAll(async () => {
    await product?.stop();
    cleanLogs(product?.stack.logDir, setupCompleted);
  });

  interface HealthBody {
    status: string;
    message: string;
    notReady: string[];
    services: Record<string, { status: string; message?: string }>;
    nightly: { at: string | null; ageSeconds: number | null };
    reconciliation: { at: string | null; ageSeconds: number | null };
  }
  const health = async () => {
    const response = await fetch(`${product.url}/api/health`);
    return { status: response.status, body: (await response.json()) as HealthBody };
  };

  /** /api/health reuses a probe for 5 s: ask until it says what we wait for. */
  async function until(status: number, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await health();
      if (result.status === status || Date.now() > deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  it('every service up: 200, each service named up, the nightly tick and its age', async () => {
    // ready, and the scheduler's boot tick finished
    const deadline = Date.now() + 60_000;
    let result = await until(200);
    while (result.body.nightly?.at === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      result = await health();
    }
    const { status, body } = result;
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'healthy', notReady: [] });
    expect(Object.keys(body.services).sort()).toEqual(['inference', 'ingestion', 'persistence', 'scheduler']);
    for (const service of Object.values(body.services)) expect(service).toEqual({ status: 'up' });
    // the scheduler ticks once at boot
    expect(Date.parse(body.nightly.at ?? '')).toBeGreaterThan(Date.now() - 600_000);
    expect(body.nightly.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(body.reconciliation).toEqual({ at: null, ageSeconds: null });
  });

  it('inference stopped: 503 naming it unreachable, the others still up; back up: 200', async () => {
    const inference = product.stack.services.inference;
    await inference.stop();
    const down = await until(503);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unhealthy', notReady: ['inference'], message: 'Not ready: inference' });
    // "no answer within 2000 ms" here rather than "no instance is listening": the stack's message tap subscribes to every subject
    expect(down.body.services.inference).toEqual({ status: 'unreachable', message: expect.stringMatching(/no instance is listening|no answer within 2000 ms/) });
    expect(down.body.services.persistence.status).toBe('up');
    await inference.restart();
    await inference.waitReady(180_000);
    const back = await until(200, 60_000);
    expect(back.status).toBe(200);
    expect(back.body.notReady).toEqual([]);
  });

  it('/api/health/live answers for the gateway process alone, also while a service is away', async () => {
    await product.stack.services.ingestion.stop();
    expect((await until(503)).body.notReady).toEqual(['ingestion']);
    expect((await fetch(`${product.url}/api/health/live`)).status).toBe(200);
    await product.stack.services.ingestion.restart();
  });
});
