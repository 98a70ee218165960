/**
 * The history routes against the real system (gateway-stack: NATS, Postgres + PostgREST,
 * persistence and the scheduler in-process answering HISTORY_COMMANDS; the Limitless and Supabase
 * Auth simulators). The scheduler runs without timers, so no backfill round publishes days here:
 * these tests cover the front door — start, progress, pause/resume, the stream, reachability.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_QUERIES } from '@giggles/contracts';
import { request as ask } from '@giggles/messaging';
import { startGatewayStack, type GatewayStack, type TestUser } from './support/gateway-stack';
import { openEventStream } from './support/sse-client';

describe('gateway history: whole-history backfill and Limitless reachability', () => {
  let stack: GatewayStack;
  let nc: NatsConnection;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;

  beforeAll(async () => {
    stack = await startGatewayStack({ limitlessKeys: ['ada-key', 'bob-key'], env: { GATEWAY_JOB_EVENTS_POLL_INTERVAL: '200ms' } });
    nc = await connect({ servers: stack.harness.natsUrl! });
    [ada, bob, cy] = await Promise.all([stack.register(), stack.register(), stack.register()]);
    await ada.agent.put('/api/limitless-key').send({ apiKey: 'ada-key' }).expect(200);
    await bob.agent.put('/api/limitless-key').send({ apiKey: 'bob-key' }).expect(200);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await stack?.stop();
  });

  it('answers 401 without a session on every history route', async () => {
    for (const [method, path] of [
      ['post', '/api/backfill'],
      ['get', '/api/backfill'],
      ['post', '/api/backfill/pause'],
      ['post', '/api/backfill/resume'],
      ['get', '/api/backfill/events'],
      ['get', '/api/status/limitless'],
    ] as const) {
      const res = await request(stack.baseUrl)[method](path);
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('shows no backfill and a reachable Limitless before anything started', async () => {
    const res = await ada.agent.get('/api/backfill').expect(200);
    expect(res.body).toEqual({ backfill: null, limitless: { state: 'reachable' } });
    await ada.agent.post('/api/backfill/pause').expect(404);
  });

  it('refuses to start without a valid Limitless key (409) and bad bodies (400), naming the field', async () => {
    const noKey = await cy.agent.post('/api/backfill').send({ from: '2026-01-01', to: '2026-01-31' });
    expect(noKey.status).toBe(409);
    expect(noKey.body.message).toMatch(/Limitless key/);
    for (const [body, field] of [
      [{ from: '2026-02-30' }, /from/],
      [{ from: 'yesterday' }, /from/],
      [{ to: 20260101 }, /to/],
      [{ from: '2026-01-01', everything: true }, /everything/],
    ] as const) {
      const res = await ada.agent.post('/api/backfill').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String(res.body.message)).toMatch(field);
    }
    const broken = await ada.agent.post('/api/backfill').set('Content-Type', 'application/json').send('{"from":');
    expect(broken.status).toBe(400);
    // to after from, and a day that has not ended: the scheduler's own checks, as 400 with its words
    const reversed = await ada.agent.post('/api/backfill').send({ from: '2026-03-01', to: '2026-02-01' });
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/after/);
    const future = await ada.agent.post('/api/backfill').send({ from: '2026-01-01', to: '2099-01-01' });
    expect(future.status).toBe(400);
    // nothing was recorded by the refused requests
    expect((await ada.agent.get('/api/backfill').expect(200)).body.backfill).toBeNull();
  });

  it('starts: 202 with the planned days, then GET shows the same progress', async () => {
    const started = await ada.agent.post('/api/backfill').send({ from: '2026-01-01', to: '2026-01-31' });
    expect(started.status).toBe(202);
    expect(started.body.backfill).toMatchObject({ from: '2026-01-01', to: '2026-01-31', state: 'active', totalDays: 31, daysDone: 0, daysFailed: 0, audioSeconds: 0, laughs: 0 });
    expect(started.body.backfill).not.toHaveProperty('userId');
    expect(started.body.backfill).not.toHaveProperty('email');
    const status = await ada.agent.get('/api/backfill').expect(200);
    expect(status.body.backfill).toMatchObject({ state: 'active', totalDays: 31, daysDone: 0 });
    expect(status.body.limitless).toEqual({ state: 'reachable' });
    const rows = await stack.sql<{ n: string }>('SELECT count(*) AS n FROM backfills WHERE user_id = $1', [ada.userId]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('pauses and resumes', async () => {
    const paused = await ada.agent.post('/api/backfill/pause').expect(200);
    expect(paused.body.backfill).toMatchObject({ state: 'paused', totalDays: 31 });
    expect((await ada.agent.get('/api/backfill').expect(200)).body.backfill.state).toBe('paused');
    const resumed = await ada.agent.post('/api/backfill/resume').expect(200);
    expect(resumed.body.backfill).toMatchObject({ state: 'active', totalDays: 31 });
  });

  it("keeps each user's backfill their own", async () => {
    expect((await bob.agent.get('/api/backfill').expect(200)).body.backfill).toBeNull();
    await bob.agent.post('/api/backfill/pause').expect(404);
    const started = await request(stack.baseUrl).post('/api/backfill').set('Authorization', `Bearer ${bob.accessToken}`).send({ from: '2026-02-01', to: '2026-02-10' }).expect(202);
    expect(started.body.backfill.totalDays).toBe(10);
    await bob.agent.post('/api/backfill/pause').expect(200);
    expect((await bob.agent.get('/api/backfill').expect(200)).body.backfill).toMatchObject({ totalDays: 10, state: 'paused' });
    // bob's pause left ada's backfill as it was
    expect((await ada.agent.get('/api/backfill').expect(200)).body.backfill).toMatchObject({ totalDays: 31, state: 'active' });
  });

  it('streams the progress as Server-Sent Events: the current state, then each change', async () => {
    const events = await openEventStream(`${stack.baseUrl}/api/backfill/events`, ada.accessToken);
    try {
      expect(events.status).toBe(200);
      expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
      const first = await events.until('progress');
      expect(first.data).toMatchObject({ backfill: { state: 'active', totalDays: 31 }, limitless: { state: 'reachable' } });
      await ada.agent.post('/api/backfill/pause').expect(200);
      await expect.poll(() => events.events.map((e) => (e.data as { backfill: { state: string } }).backfill.state), { timeout: 10_000 }).toContain('paused');
      await ada.agent.post('/api/backfill/resume').expect(200);
      await expect.poll(() => events.events.map((e) => (e.data as { backfill: { state: string } }).backfill.state).at(-1), { timeout: 10_000 }).toBe('active');
      expect(events.events.every((e) => e.event === 'progress')).toBe(true);
    } finally {
      events.close();
    }
  });

  it('shares the per-user stream budget with job progress streams (429 past it)', async () => {
    const open = [];
    for (let i = 0; i < 4; i++) open.push(await openEventStream(`${stack.baseUrl}/api/backfill/events`, bob.accessToken));
    try {
      expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
      const fifth = await openEventStream(`${stack.baseUrl}/api/backfill/events`, bob.accessToken);
      expect(fifth.status).toBe(429);
    } finally {
      for (const s of open) s.close();
    }
  });

  it('tells "Limitless unreachable" (downloads paused) apart, on both routes, for that user only', async () => {
    const reply = await ask(nc, HISTORY_QUERIES.apiOutageSet, { userId: ada.userId, action: 'pause', reason: 'Limitless unreachable — downloads paused' }, { timeoutMs: 10_000 });
    expect(reply.outage.pausedAt).toEqual(expect.any(String));
    const status = await ada.agent.get('/api/status/limitless').expect(200);
    expect(status.body).toMatchObject({ state: 'unreachable', pausedAt: expect.any(String), message: expect.stringMatching(/Limitless/) });
    expect((await ada.agent.get('/api/backfill').expect(200)).body.limitless.state).toBe('unreachable');
    // the key is still fine: unreachable is not "invalid key"
    expect((await ada.agent.get('/api/me').expect(200)).body).not.toMatchObject({ key: { state: 'invalid' } });
    expect((await bob.agent.get('/api/status/limitless').expect(200)).body).toEqual({ state: 'reachable' });
    await ask(nc, HISTORY_QUERIES.apiOutageSet, { userId: ada.userId, action: 'resume' }, { timeoutMs: 10_000 });
    expect((await ada.agent.get('/api/status/limitless').expect(200)).body).toEqual({ state: 'reachable' });
  });
});
