import { COMMANDS, QUERIES, STREAMS, SUBJECTS, parseDayJob, type DayJob, type DeadLetter } from '@giggles/contracts';
import { QueryError, request, serveQueries, type QueryServer } from '@giggles/messaging';
import { freePort, startNats, type NatsHandle } from '@giggles/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedulerApp, type SchedulerApp } from '../src';
import { datesBetween, localDayRange } from '../src/domain/local-day';
import { capturedLogger, FakeClock, FakePersistence, MINUTE } from './fakes';

/**
 * The scheduler app on a private nats-server, with a fake clock and a stand-in for persistence's
 * queries (the in-memory fake behind `serveQueries`): commands over NATS, day jobs in the real
 * GIGGLES_DAY_JOBS stream, health and metrics over HTTP.
 */

const USER = '00000000-0000-4000-8000-0000000000a1';
const EMAIL = 'ada@example.com';

let nats: NatsHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let stub: QueryServer;
let scheduler: SchedulerApp;
let baseUrl: string;
const clock = new FakeClock(Date.parse('2026-03-11T03:00:00Z'));
const persistence = new FakePersistence(clock);
const logs = capturedLogger('info');

interface Stored {
  msgId: string | undefined;
  job: DayJob;
}

async function dayJobsInStream(): Promise<Stored[]> {
  const info = await jsm.streams.info(STREAMS.dayJobs.name);
  const out: Stored[] = [];
  for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(STREAMS.dayJobs.name, { seq }).catch(() => null);
    if (msg) out.push({ msgId: msg.header?.get('Nats-Msg-Id') || undefined, job: parseDayJob(msg.json()) });
  }
  return out;
}

async function refusal(promise: Promise<unknown>): Promise<QueryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof QueryError)) throw new Error(`expected a QueryError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  nats = await startNats({ mode: 'private' });
  nc = await connect({ servers: nats.url, name: 'scheduler-tests' });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  persistence.addUser(USER, 'Europe/Berlin', EMAIL);
  const p = persistence;
  stub = serveQueries(nc, {
    [QUERIES.usersWithActiveKeys]: async (req) => {
      if (req.userId === undefined) return { users: await p.usersWithActiveKeys() };
      const user = await p.activeKeyUser(req.userId);
      return { users: user ? [user] : [] };
    },
    [QUERIES.userByEmail]: (r) => p.userByEmail(r.email),
    [QUERIES.dueDays]: (r) => p.dueDays(r),
    [QUERIES.registerJob]: (r) => p.registerJob(r),
    [QUERIES.stalledJobs]: async (r) => ({ jobs: await p.stalledJobs(r.olderThanMs, r.limit ?? 100) }),
    [QUERIES.giveUpGaps]: async (r) => ({ updated: await p.giveUpGaps(r) }),
    [QUERIES.clearDays]: (r) => p.clearDays(r),
    [QUERIES.operationsStatus]: () => p.operationsStatus(),
    [QUERIES.reconcile]: (r) => p.reconcile(r),
  });
  const healthPort = await freePort();
  baseUrl = `http://127.0.0.1:${healthPort}`;
  scheduler = await createSchedulerApp({
    env: { NATS_URL: nats.url, HEALTH_PORT: String(healthPort), SCHEDULER_QUERY_TIMEOUT: '3s' },
    logger: logs.logger,
    clock,
    timers: false,
    host: '127.0.0.1',
  });
});

afterAll(async () => {
  await scheduler?.close();
  await stub?.stop();
  await nc?.close();
  await nats?.stop();
});

describe('scheduler app', () => {
  it('a tick publishes due days to GIGGLES_DAY_JOBS with their deterministic ids; a repeated tick publishes nothing new', async () => {
    const report = await scheduler.tick();
    expect(report.published.map((j) => j.localDate)).toEqual(['2026-03-04', '2026-03-05']); // catch-up, 2 in flight
    const stored = await dayJobsInStream();
    expect(stored.map((s) => s.job)).toEqual(report.published);
    for (const { msgId, job } of stored) {
      expect(msgId).toBe(job.jobId);
      const range = localDayRange(job.localDate, 'Europe/Berlin');
      expect(job).toMatchObject({ userId: USER, timezone: 'Europe/Berlin', trigger: 'nightly', startMs: range.startMs, endMs: range.endMs });
    }
    clock.advance(5 * MINUTE);
    expect((await scheduler.tick()).published).toEqual([]);
    expect(await dayJobsInStream()).toHaveLength(2);
    // the first jobs finish: the next two days go out
    persistence.finishAll('done');
    clock.advance(5 * MINUTE);
    expect((await scheduler.tick()).published.map((j) => j.localDate)).toEqual(['2026-03-06', '2026-03-07']);
    expect(await dayJobsInStream()).toHaveLength(4);
  });

  it('answers process-today over NATS; a second request while it runs is already_queued', async () => {
    const { job } = await request(nc, COMMANDS.processToday, { email: EMAIL });
    expect(job).toMatchObject({ userId: USER, localDate: '2026-03-11', state: 'queued', endMs: Math.floor(clock.now() / MINUTE) * MINUTE });
    const again = await request(nc, COMMANDS.processToday, { userId: USER });
    expect(again.job).toEqual({ ...job, state: 'already_queued' });
    const stored = await dayJobsInStream();
    expect(stored.filter((s) => s.job.trigger === 'today').map((s) => s.msgId)).toEqual([job.jobId]);
  });

  it('validation errors come back as invalid_request with the parser message; refusals keep their code', async () => {
    // request() validates before sending: send raw bodies to see the server's answer
    const ask = async (subject: string, body: unknown) => (await nc.request(subject, JSON.stringify(body), { timeout: 3_000 })).json();
    expect(await ask(COMMANDS.processDay, { localDate: '2026-03-10' })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/exactly one of userId or email/) },
    });
    expect(await ask(COMMANDS.reprocess, { email: EMAIL, from: '2026-03-10', to: '2026-03-01' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/to/) },
    });
    const notEnded = await refusal(request(nc, COMMANDS.processDay, { email: EMAIL, localDate: '2026-03-11' }));
    expect([notEnded.code, notEnded.message]).toEqual(['invalid_request', expect.stringMatching(/has not ended yet/)]);
    persistence.clearConflict = 'a job for 2026-03-09 is running';
    const conflict = await refusal(request(nc, COMMANDS.reprocess, { email: EMAIL, from: '2026-03-08', to: '2026-03-09' }));
    persistence.clearConflict = undefined;
    expect([conflict.code, conflict.message]).toEqual(['conflict', expect.stringMatching(/cannot reprocess 2026-03-08\.\.2026-03-09 .*running/)]);
    const unknown = await refusal(request(nc, COMMANDS.processToday, { email: 'nobody@example.com' }));
    expect(unknown.code).toBe('not_found');
  });

  it('reprocess over NATS publishes one reprocess job per day', async () => {
    persistence.finishAll('done');
    const reply = await request(nc, COMMANDS.reprocess, { email: EMAIL, from: '2026-03-01', to: '2026-03-03' });
    expect(reply.jobs.map((j) => [j.localDate, j.state])).toEqual(datesBetween('2026-03-01', '2026-03-03').map((d) => [d, 'queued']));
    const ids = (await dayJobsInStream()).filter((s) => s.job.trigger === 'reprocess').map((s) => s.msgId);
    expect(ids).toEqual(reply.jobs.map((j) => j.jobId));
  });

  it('status: operations status, dead letters read from the stream, last tick and reconciliation', async () => {
    for (const [i, reason] of ['max deliveries exceeded', 'audio is corrupt', 'no key'].entries()) {
      const letter: DeadLetter = { subject: SUBJECTS.dayJob, stream: STREAMS.dayJobs.name, deliveries: 5, reason, payload: '{}', at: `2026-03-11T0${i}:00:00.000Z` };
      await js.publish(`${SUBJECTS.deadLetterPrefix}${SUBJECTS.dayJob}`, JSON.stringify(letter));
    }
    await scheduler.reconcile();
    const status = await request(nc, COMMANDS.status, {});
    expect(status.deadLetters.count).toBe(3);
    expect(status.deadLetters.recent.map((d) => d.reason)).toEqual(['no key', 'audio is corrupt', 'max deliveries exceeded']);
    expect(status.deadLetters.recent[0]).toEqual({ subject: SUBJECTS.dayJob, reason: 'no key', at: '2026-03-11T02:00:00.000Z' });
    expect(status.scheduler.lastTickAt).toBe('2026-03-11T03:10:00.000Z');
    expect(status.scheduler.lastReconcileSummary).toMatch(/^reconcile: scanned/);
    expect(status.users).toMatchObject([{ userId: USER, email: EMAIL }]);
  });

  it('health: ready while ticking, not ready after 3 missed ticks; metrics count published jobs', async () => {
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { nats: { status: 'up' }, scheduler: { status: 'up' } } });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/giggles_scheduler_jobs_published_total\{trigger="nightly",service="scheduler"\} 4/);
    expect(metrics).toMatch(/giggles_scheduler_jobs_published_total\{trigger="reprocess",service="scheduler"\} 3/);
    expect(metrics).toMatch(/giggles_scheduler_ticks_total\{service="scheduler"\} 3/);
    expect(metrics).toMatch(/giggles_scheduler_reconcile_runs_total\{outcome="completed",service="scheduler"\} 1/);
    clock.advance(16 * MINUTE); // 3 × 5 min without a tick
    const stale = await fetch(`${baseUrl}/health/ready`);
    expect(stale.status).toBe(503);
    expect(await stale.json()).toMatchObject({ error: { scheduler: { status: 'down', message: expect.stringMatching(/no successful tick/) } } });
    await scheduler.tick();
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
  });

  it('with timers on, the app ticks at boot and on its interval (registered with SchedulerRegistry)', async () => {
    const calls = () => persistence.calls.filter((c) => c === 'usersWithActiveKeys').length;
    const before = calls();
    const port = await freePort();
    const timed = await createSchedulerApp({
      env: { NATS_URL: nats.url, HEALTH_PORT: String(port), SCHEDULER_TICK_INTERVAL: '1s', LOG_LEVEL: 'silent' },
      clock,
      host: '127.0.0.1',
    });
    try {
      const deadline = Date.now() + 10_000;
      while (calls() < before + 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(calls()).toBeGreaterThanOrEqual(before + 2);
    } finally {
      await timed.close();
    }
  });
});
