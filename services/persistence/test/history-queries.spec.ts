/**
 * Backfill and Limitless-outage queries (migrations/0011, 0014) over NATS against the running app:
 * backfill rows, the plan the scheduler's tick reads (uncovered days oldest first, failed or gappy
 * backfill days as retries until given up, done when nothing is left), progress, pause/resume,
 * the "API unreachable" runs, and discarding a registration that never started.
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

  it('plans the uncovered days oldest first, a failed day as a retry (not a new day), and finishes once it is given up', async () => {
    const user = await userWithKey();
    const started = await request(a.nc, HISTORY_QUERIES.backfillStart, { userId: user, from: '2024-01-01', to: '2024-01-06' });
    expect(started.backfill).toMatchObject({ userId: user, state: 'active', totalDays: 6, daysDone: 0 });
    await finishedJob(user, 'n2', '2024-01-02', 'nightly', 'done'); // any whole-day job covers a day
    await finishedJob(user, 'b3', '2024-01-03', 'backfill', 'failed'); // a failure: retried, not planned as a new day
    await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, '2024-01-04', 'backfill', 'running')`, [jid(user, 'b4'), user]);
    const mine = (await plan()).users.find((u) => u.userId === user);
    expect(mine).toEqual({
      userId: user,
      timezone: 'Europe/Berlin',
      backfillInFlight: 1,
      jobsInFlight: 1,
      days: ['2024-01-01', '2024-01-05', '2024-01-06'],
      retries: [{ localDate: '2024-01-03', reason: 'unprocessed', retries: 1, lastRunAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) }],
    });
    expect((await plan(2)).users.find((u) => u.userId === user)?.days).toEqual(['2024-01-01', '2024-01-05']);

    const [progress] = (await request(a.nc, HISTORY_QUERIES.backfillProgress, { userId: user })).backfills;
    expect(progress).toMatchObject({ daysDone: 1, daysFailed: 1, daysInFlight: 1, totalDays: 6 });

    // The rest done: only the retry keeps the backfill going…
    await a.sql(`UPDATE jobs SET status = 'done' WHERE job_id = $1`, [jid(user, 'b4')]);
    for (const day of ['2024-01-01', '2024-01-05', '2024-01-06']) await finishedJob(user, `b${day}`, day, 'backfill', 'done');
    expect((await plan()).users.find((u) => u.userId === user)).toMatchObject({ days: [], retries: [{ localDate: '2024-01-03' }] });
    // …until the scheduler gives the day up (once); then the plan marks the backfill done and leaves it out.
    const reason = "the day's job failed 4 times";
    expect(await request(a.nc, HISTORY_QUERIES.backfillGiveUp, { userId: user, localDate: '2024-01-03', reason })).toEqual({ updated: true });
    expect(await request(a.nc, HISTORY_QUERIES.backfillGiveUp, { userId: user, localDate: '2024-01-03', reason })).toEqual({ updated: false });
    expect((await plan()).users.find((u) => u.userId === user)).toBeUndefined();
    const [done] = (await request(a.nc, HISTORY_QUERIES.backfillProgress, { userId: user })).backfills;
    expect(done).toMatchObject({ state: 'done', daysDone: 5, daysFailed: 0, daysGivenUp: 1, backfillJobsDone: 4 });
    expect(done!.givenUp).toEqual([{ localDate: '2024-01-03', reason, at: expect.stringMatching(/Z$/) }]);
  });

  it("retries a backfill day's gaps (a nightly day's gaps are the nightly retries'), counted as failures until given up", async () => {
    const user = await userWithKey();
    await request(a.nc, HISTORY_QUERIES.backfillStart, { userId: user, from: '2024-03-01', to: '2024-03-02' });
    const gap = { status: 'gap' as const, error: { code: 'limitless_unavailable', message: '3 attempts failed; last: HTTP 503' } };
    // 03-01 by the backfill and 03-02 by a nightly job, each leaving one gap window of one planned.
    for (const [name, localDate, trigger, dayStart] of [
      ['bg', '2024-03-01', 'backfill', Date.UTC(2024, 1, 29, 23)],
      ['ng', '2024-03-02', 'nightly', Date.UTC(2024, 2, 1, 23)],
    ] as const) {
      await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, $3, $4, 'planned')`, [jid(user, name), user, localDate, trigger]);
      await a.results.recordJobProgress(jobProgress(user, { jobId: name, localDate, trigger, windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: name, localDate, trigger, windowStartMs: dayStart + 2 * HOUR, ...gap }));
    }
    const mine = (await plan()).users.find((u) => u.userId === user);
    expect(mine).toMatchObject({ days: [], retries: [{ localDate: '2024-03-01', reason: 'gaps', retries: 0 }] });
    let [progress] = (await request(a.nc, HISTORY_QUERIES.backfillProgress, { userId: user })).backfills;
    expect(progress).toMatchObject({ state: 'active', daysDone: 2, daysFailed: 1, daysGivenUp: 0, givenUp: [] });
    // A gap retry in flight is not a due retry; once it has run (gaps still there) it counts.
    await a.sql(`INSERT INTO jobs (job_id, user_id, local_date, trigger, status) VALUES ($1, $2, '2024-03-01', 'gap-retry', 'running')`, [jid(user, 'gr1'), user]);
    expect((await plan()).users.find((u) => u.userId === user)?.retries).toEqual([]);
    await a.sql(`UPDATE jobs SET status = 'done' WHERE job_id = $1`, [jid(user, 'gr1')]);
    expect((await plan()).users.find((u) => u.userId === user)?.retries).toMatchObject([{ localDate: '2024-03-01', reason: 'gaps', retries: 1 }]);
    await request(a.nc, HISTORY_QUERIES.backfillGiveUp, { userId: user, localDate: '2024-03-01', reason: 'windows still missing after 1 gap retries' });
    expect((await plan()).users.find((u) => u.userId === user)).toBeUndefined();
    [progress] = (await request(a.nc, HISTORY_QUERIES.backfillProgress, { userId: user })).backfills;
    expect(progress).toMatchObject({ state: 'done', daysFailed: 0, daysGivenUp: 1, givenUp: [{ localDate: '2024-03-01', reason: 'windows still missing after 1 gap retries' }] });
    // Hostile text is stored as given (parameterised) and bounded by the contract.
    await expect(request(a.nc, HISTORY_QUERIES.backfillGiveUp, { userId: user, localDate: '2024-03-02', reason: 'x'.repeat(1001) })).rejects.toThrow(/BackfillGiveUpRequest.*reason/);
    expect(await request(a.nc, HISTORY_QUERIES.backfillGiveUp, { userId: user, localDate: '2024-03-02', reason: "'); DROP TABLE jobs; --" })).toEqual({ updated: true });
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await request(a.nc, HISTORY_QUERIES.backfillGiveUp, { userId: missing, localDate: '2024-03-02', reason: 'x' })).toEqual({ updated: false });
  });

  it('discard: removes a registration that never started, never one that did or another user\'s', async () => {
    const user = await userWithKey();
    const other = await userWithKey();
    const register = (jobId: string, userId: string) =>
      request(a.nc, QUERIES.registerJob, { jobId, userId, localDate: '2024-05-01', timezone: 'UTC', trigger: 'nightly', startMs: Date.UTC(2024, 4, 1), endMs: Date.UTC(2024, 4, 2) });
    await register(jid(user, 'fresh'), user);
    await register(jid(user, 'started'), user);
    await a.results.recordJobProgress(jobProgress(user, { jobId: 'started', localDate: '2024-05-01', windowsPlanned: 12 }));
    expect(await request(a.nc, HISTORY_QUERIES.discardJob, { userId: other, jobId: jid(user, 'fresh') })).toEqual({ discarded: false });
    expect(await request(a.nc, HISTORY_QUERIES.discardJob, { userId: user, jobId: jid(user, 'started') })).toEqual({ discarded: false });
    expect(await request(a.nc, HISTORY_QUERIES.discardJob, { userId: user, jobId: jid(user, 'fresh') })).toEqual({ discarded: true });
    const left = await a.sql<{ job_id: string }>('SELECT job_id FROM jobs WHERE user_id = $1 ORDER BY job_id', [user]);
    expect(left.map((r) => r.job_id)).toEqual([jid(user, 'started')]);
    // The id can be registered again afterwards (a fresh registration).
    expect(await register(jid(user, 'fresh'), user)).toEqual({ created: true, status: 'planned' });
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
