/**
 * Backfill and Limitless-outage queries (migrations/0011) over NATS against the running app:
 * backfill rows, the plan the scheduler's tick reads (uncovered days oldest first, failures not
 * retried, done when nothing is left), progress, pause/resume, and the "API unreachable" runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_QUERIES, QUERIES, QUERY_ERROR_CODES } from '@giggles/contracts';
import { request } from '@giggles/messaging';
import { startApp, type RunningApp } from './support/app';
import { HOUR, jid, jobProgress, windowOutcome } from './support/fixtures';

describe('history queries', () => {
  let a: RunningApp;

  beforeAll(async () => {
    a = await startApp();
  });
  afterAll(() => a?.stop());

  async function userWithKey(): Promise<string> {
    const user = await a.newUser();
    await a.sql(`INSERT INTO limitless_keys (user_id, encrypted_api_key, is_active, status) VALUES ($1, 'x', true, 'valid')`, [user]);
    return user;
  }

  async function finishedJob(user: string, name: string, localDate: string, trigger: 'backfill' | 'nightly', status: 'done' | 'failed') {
    await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, $3, $4, $5)`, [jid(user, name), user, localDate, trigger, status]);
  }

  const plan = async (limitPerUser = 10) => request(a.nc, HISTORY_QUERIES.backfillPlan, { limitPerUser });

  it('plans the uncovered days oldest first, skips done/in-flight/failed days, and finishes', async () => {
    const user = await userWithKey();
    const started = await request(a.nc, HISTORY_QUERIES.backfillStart, { userId: user, from: '2024-01-01', to: '2024-01-06' });
    expect(started.backfill).toMatchObject({ userId: user, state: 'active', totalDays: 6, daysDone: 0 });
    await finishedJob(user, 'n2', '2024-01-02', 'nightly', 'done'); // any whole-day job covers a day
    await finishedJob(user, 'b3', '2024-01-03', 'backfill', 'failed'); // reported, not retried
    await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, '2024-01-04', 'backfill', 'running')`, [jid(user, 'b4'), user]);
    const mine = (await plan()).users.find((u) => u.userId === user);
    expect(mine).toEqual({ userId: user, timezone: 'Europe/Berlin', backfillInFlight: 1, jobsInFlight: 1, days: ['2024-01-01', '2024-01-05', '2024-01-06'] });
    expect((await plan(2)).users.find((u) => u.userId === user)?.days).toEqual(['2024-01-01', '2024-01-05']);

    const [progress] = (await request(a.nc, HISTORY_QUERIES.backfillProgress, { userId: user })).backfills;
    expect(progress).toMatchObject({ daysDone: 1, daysFailed: 1, daysInFlight: 1, totalDays: 6 });

    // The rest done: the plan marks the backfill done and leaves it out.
    await a.sql(`UPDATE jobs SET status = 'done' WHERE job_id = $1`, [jid(user, 'b4')]);
    for (const day of ['2024-01-01', '2024-01-05', '2024-01-06']) await finishedJob(user, `b${day}`, day, 'backfill', 'done');
    expect((await plan()).users.find((u) => u.userId === user)).toBeUndefined();
    const [done] = (await request(a.nc, HISTORY_QUERIES.backfillProgress, { userId: user })).backfills;
    expect(done).toMatchObject({ state: 'done', daysDone: 5, daysFailed: 1, backfillJobsDone: 4 });
  });

  it('a backfill day covers the nightly due day too (trigger backfill counts as a whole-day job)', async () => {
    const user = await userWithKey();
    await finishedJob(user, 'b', '2024-02-01', 'backfill', 'done');
    const due = await request(a.nc, QUERIES.dueDays, { userId: user, from: '2024-02-01', to: '2024-02-02' });
    expect(due.days.map((d) => d.localDate)).toEqual(['2024-02-02']);
  });

  it('pause and resume; a paused backfill is not planned; unknown users are not_found', async () => {
    const user = await userWithKey();
    await request(a.nc, HISTORY_QUERIES.backfillStart, { userId: user, from: '2024-01-01', to: '2024-01-02' });
    expect((await request(a.nc, HISTORY_QUERIES.backfillSetState, { userId: user, state: 'paused' })).backfill.state).toBe('paused');
    expect((await plan()).users.find((u) => u.userId === user)).toBeUndefined();
    expect((await request(a.nc, HISTORY_QUERIES.backfillSetState, { userId: user, state: 'active' })).backfill.state).toBe('active');
    expect((await plan()).users.find((u) => u.userId === user)?.days).toEqual(['2024-01-01', '2024-01-02']);
    const stranger = await a.newUser();
    await expect(request(a.nc, HISTORY_QUERIES.backfillSetState, { userId: stranger, state: 'paused' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });
  });

  it('outages: a run of jobs whose every window was api_unreachable, pause, resume counts afresh', async () => {
    const user = await userWithKey();
    const outage = () => request(a.nc, HISTORY_QUERIES.apiOutages, {}).then((r) => r.outages.find((o) => o.userId === user));
    // A reachable job first, then one where every window failed to connect.
    await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, '2024-03-01', 'nightly', 'planned')`, [jid(user, 'ok'), user]);
    await a.results.recordJobProgress(jobProgress(user, { jobId: 'ok', windowsPlanned: 1 }));
    await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'ok' }));
    expect(await outage()).toBeUndefined();
    await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, '2024-03-02', 'nightly', 'planned')`, [jid(user, 'down'), user]);
    await a.results.recordJobProgress(jobProgress(user, { jobId: 'down', localDate: '2024-03-02', windowsPlanned: 1 }));
    const unreachable = { code: 'api_unreachable', message: 'connect ECONNREFUSED' };
    await a.results.recordWindowOutcome(
      windowOutcome(user, { jobId: 'down', localDate: '2024-03-02', windowStartMs: Date.UTC(2024, 2, 1, 23) + 2 * HOUR, status: 'gap', error: unreachable, limitlessCalls: [{ status: 0, durationMs: 1, bytes: 0, at: '2024-03-03T03:00:00.000Z', error: 'ECONNREFUSED' }] }),
    );
    const found = await outage();
    expect(found?.unreachableSince).toEqual(expect.any(String));
    expect(found?.pausedAt).toBeUndefined();

    const paused = await request(a.nc, HISTORY_QUERIES.apiOutageSet, { userId: user, action: 'pause', reason: 'unreachable for 24 h' });
    expect(paused.outage).toMatchObject({ pausedAt: expect.any(String), pauseReason: 'unreachable for 24 h' });
    await request(a.nc, HISTORY_QUERIES.backfillStart, { userId: user, from: '2024-01-01', to: '2024-01-02' });
    expect((await plan()).users.find((u) => u.userId === user)).toBeUndefined(); // no backfill while paused
    expect((await request(a.nc, HISTORY_QUERIES.apiOutageSet, { userId: user, action: 'probed' })).outage.lastProbeAt).toEqual(expect.any(String));
    await request(a.nc, HISTORY_QUERIES.apiOutageSet, { userId: user, action: 'resume' });
    // Jobs from before the resume no longer count.
    expect(await outage()).toBeUndefined();
    expect((await plan()).users.find((u) => u.userId === user)?.days).toEqual(['2024-01-01', '2024-01-02']);
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(request(a.nc, HISTORY_QUERIES.apiOutageSet, { userId: missing, action: 'pause' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });
  });
});
