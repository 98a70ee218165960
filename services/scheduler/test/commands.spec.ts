import { messageIds, QUERY_CONTRACTS, COMMANDS, LIMITLESS_UNREACHABLE_REFUSAL } from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { describe, expect, it } from 'vitest';
import { datesBetween, localDayRange } from '../src/domain/local-day';
import { HOUR, MINUTE, schedulerUnderTest, type SchedulerUnderTest } from './fakes';

const USER = '00000000-0000-4000-8000-000000000001';
const EMAIL = 'ada@example.com';

function setup(nowIso = '2026-03-11T14:30:40Z', env: Record<string, string> = {}): SchedulerUnderTest {
  const s = schedulerUnderTest(nowIso, env);
  s.persistence.addUser(USER, 'Europe/Berlin', EMAIL);
  return s;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QueryError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('process today', () => {
  it('queues [start of local today, now rounded down to the minute)', async () => {
    const s = setup();
    const { job } = await s.commands.processToday({ email: EMAIL });
    const today = localDayRange('2026-03-11', 'Europe/Berlin');
    expect(job).toEqual({
      jobId: messageIds.dayJob(USER, '2026-03-11', 'today', today.startMs, Date.parse('2026-03-11T14:30:00Z')),
      userId: USER,
      localDate: '2026-03-11',
      timezone: 'Europe/Berlin',
      startMs: today.startMs,
      endMs: Date.parse('2026-03-11T14:30:00Z'),
      state: 'queued',
    });
    expect(s.publisher.jobs()).toMatchObject([{ jobId: job.jobId, trigger: 'today' }]);
    expect(QUERY_CONTRACTS[COMMANDS.processToday].parseReply({ job })).toEqual({ job });
  });

  it('while a today job of the user is planned or running, returns it as already_queued', async () => {
    const s = setup();
    const first = (await s.commands.processToday({ userId: USER })).job;
    s.clock.advance(7 * MINUTE);
    const second = (await s.commands.processToday({ userId: USER })).job;
    expect(second).toEqual({ ...first, state: 'already_queued' });
    expect(s.publisher.published).toHaveLength(1);
    s.persistence.finishAll('done');
    expect((await s.commands.processToday({ userId: USER })).job.state).toBe('queued');
    expect(s.publisher.published).toHaveLength(2);
  });

  it('refuses in the first minute of the day, and unknown users', async () => {
    const s = setup('2026-03-10T23:00:30Z'); // 00:00:30 in Berlin
    expect(await refusal(s.commands.processToday({ userId: USER }))).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/less than a minute/) });
    expect(await refusal(s.commands.processToday({ userId: '00000000-0000-4000-8000-000000000009' }))).toMatchObject({ code: 'not_found' });
    expect(await refusal(s.commands.processToday({ email: 'nobody@example.com' }))).toMatchObject({ code: 'not_found' });
  });

  it('a user without an active key cannot be processed', async () => {
    const s = setup();
    s.persistence.users[0]!.keyStatus = 'invalid';
    expect(await refusal(s.commands.processToday({ email: EMAIL }))).toMatchObject({ code: 'not_found', message: expect.stringMatching(/rejected/) });
  });
});

describe('process day', () => {
  it('queues a manual job for a day that has ended; already_done when nothing is due', async () => {
    const s = setup();
    const { job } = await s.commands.processDay({ email: EMAIL, localDate: '2026-03-10' });
    const day = localDayRange('2026-03-10', 'Europe/Berlin');
    expect(job).toMatchObject({ localDate: '2026-03-10', startMs: day.startMs, endMs: day.endMs, state: 'queued' });
    expect(job.jobId).toBe(messageIds.dayJob(USER, '2026-03-10', 'manual', day.startMs, day.endMs));
    expect((await s.commands.processDay({ email: EMAIL, localDate: '2026-03-10' })).job.state).toBe('already_done'); // in flight: not due
    s.persistence.finishAll('done');
    expect((await s.commands.processDay({ email: EMAIL, localDate: '2026-03-10' })).job.state).toBe('already_done');
    expect(s.publisher.published).toHaveLength(1);
  });

  it('a day whose manual run finished but is still due (gaps) is run again under a new id', async () => {
    const s = setup();
    const first = (await s.commands.processDay({ userId: USER, localDate: '2026-03-10' })).job;
    s.persistence.finishAll('done');
    s.persistence.gapDays.add(`${USER}|2026-03-10`);
    s.clock.advance(HOUR);
    const again = (await s.commands.processDay({ userId: USER, localDate: '2026-03-10' })).job;
    expect(again.state).toBe('queued');
    expect(again.jobId).not.toBe(first.jobId);
  });

  it('refuses a day that has not ended in the user’s zone', async () => {
    const s = setup();
    expect(await refusal(s.commands.processDay({ userId: USER, localDate: '2026-03-11' }))).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/has not ended yet in Europe\/Berlin/),
    });
  });
});

describe('reprocess', () => {
  it('clears the range first, then one reprocess job per day with run = request time', async () => {
    const s = setup();
    const reply = await s.commands.reprocess({ email: EMAIL, from: '2026-03-08', to: '2026-03-10' });
    expect(s.persistence.cleared).toEqual([{ userId: USER, from: '2026-03-08', to: '2026-03-10' }]);
    expect(reply.removed).toEqual({ detectionsRemoved: 3, clipsRemoved: 2, windowsRemoved: 12, logsRemoved: 1 });
    expect(reply.jobs.map((j) => [j.localDate, j.state])).toEqual(datesBetween('2026-03-08', '2026-03-10').map((d) => [d, 'queued']));
    for (const job of reply.jobs) {
      const day = localDayRange(job.localDate, 'Europe/Berlin');
      expect(job.jobId).toBe(messageIds.dayJob(USER, job.localDate, 'reprocess', day.startMs, day.endMs, s.clock.now()));
    }
    expect(s.publisher.jobs().map((j) => j.trigger)).toEqual(['reprocess', 'reprocess', 'reprocess']);
    // a second reprocess later is new jobs
    s.persistence.finishAll('done');
    s.clock.advance(MINUTE);
    const again = await s.commands.reprocess({ email: EMAIL, from: '2026-03-10', to: '2026-03-10' });
    expect(again.jobs[0]!.jobId).not.toBe(reply.jobs[2]!.jobId);
  });

  it('a conflict from persistence comes back as a clear conflict', async () => {
    const s = setup();
    s.persistence.clearConflict = 'a job for 2026-03-09 is running';
    const refused = await refusal(s.commands.reprocess({ userId: USER, from: '2026-03-08', to: '2026-03-10' }));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/cannot reprocess 2026-03-08\.\.2026-03-10 for ada@example.com: a job for 2026-03-09 is running/);
    expect(s.publisher.published).toEqual([]);
  });

  it("persistence's refusal while Limitless is unreachable comes back word for word, nothing queued", async () => {
    const s = setup();
    const words = `${LIMITLESS_UNREACHABLE_REFUSAL}, and 2 of these days hold results whose audio isn't kept in your archive — reprocessing now would lose them. Try again when Limitless answers.`;
    s.persistence.clearConflict = words;
    const refused = await refusal(s.commands.reprocess({ userId: USER, from: '2026-03-08', to: '2026-03-10' }));
    expect([refused.code, refused.message]).toEqual(['conflict', words]);
    expect(s.publisher.published).toEqual([]);
  });

  it('refuses ranges over the limit and days that have not ended', async () => {
    const s = setup('2026-03-11T14:30:00Z', { SCHEDULER_MAX_REPROCESS_DAYS: '5' });
    expect(await refusal(s.commands.reprocess({ userId: USER, from: '2026-03-01', to: '2026-03-06' }))).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/6 days; at most 5/),
    });
    expect(await refusal(s.commands.reprocess({ userId: USER, from: '2026-03-09', to: '2026-03-11' }))).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/2026-03-11 has not ended/),
    });
    expect(s.persistence.cleared).toEqual([]);
  });
});

describe('status', () => {
  it('operations status + dead letters + the scheduler’s own last tick and reconciliation', async () => {
    const s = setup();
    await s.commands.processToday({ userId: USER });
    s.deadLetters.letters = [
      { subject: 'giggles.jobs.day', reason: 'max deliveries', at: '2026-03-11T10:00:00.000Z' },
      { subject: 'giggles.segments.ready', reason: 'corrupt', at: '2026-03-11T11:00:00.000Z' },
    ];
    await s.ticks.tick();
    await s.reconciliation.reconcile();
    const status = await s.commands.status();
    // the today job, and one catch-up day next to it (the per-user limit is 2)
    expect(status.jobsInFlight.map((j) => [j.trigger, j.status])).toEqual([
      ['today', 'running'],
      ['nightly', 'running'],
    ]);
    expect(status.deadLetters).toEqual({ count: 2, recent: [s.deadLetters.letters[1], s.deadLetters.letters[0]] });
    expect(status.scheduler).toEqual({
      lastTickAt: '2026-03-11T14:30:40.000Z',
      lastReconcileAt: '2026-03-11T14:30:40.000Z',
      lastReconcileSummary: expect.stringMatching(/^reconcile: scanned 10 clips/),
    });
    expect(QUERY_CONTRACTS[COMMANDS.status].parseReply(status)).toEqual(status);
  });
});

describe('command validation (the contract parsers serveQueries runs before the handler)', () => {
  const parse = (subject: keyof typeof QUERY_CONTRACTS, body: unknown) => () => QUERY_CONTRACTS[subject].parseRequest(body);
  it('exactly one of userId and email; dates and ranges well formed', () => {
    expect(parse(COMMANDS.processToday, {})).toThrow(/userId|email/);
    expect(parse(COMMANDS.processToday, { userId: USER, email: EMAIL })).toThrow(/userId|email/);
    expect(parse(COMMANDS.processDay, { userId: USER, localDate: '2026-3-1' })).toThrow(/localDate/);
    expect(parse(COMMANDS.reprocess, { email: EMAIL, from: '2026-03-10', to: '2026-03-01' })).toThrow(/to/);
    expect(parse(COMMANDS.status, { extra: 1 })).toThrow();
  });
});

describe('reconcile', () => {
  it('sends the lifecycle settings (retention only when set) and logs one summary line', async () => {
    const s = setup('2026-03-11T03:30:00Z', { RETENTION_CLIPS_DAYS: '90', RECONCILE_MAX_DELETIONS: '50' });
    await s.reconciliation.reconcile();
    expect(s.persistence.reconciles).toEqual([
      { nowMs: s.clock.now(), retention: { clipsDays: 90 }, stuckJobMinutes: 360, lostImportMinutes: 30, staleAudioMinutes: 1440, maxDeletions: 50, maxClipShare: 0.5 },
    ]);
    const lines = s.logs.lines().filter((l) => String(l.msg).startsWith('reconcile'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toBe(
      'reconcile: scanned 10 clips, 20 detections, 3 audio objects, 4 jobs; deleted 1 orphan clips, 0 expired clips, 0 expired detections, 2 expired logs, 1 stale audio objects; repaired 0 detections missing their clip, 1 stuck jobs; stopped by nothing; 42 ms',
    );
  });

  it('names the guard that stopped the run; a failed run is logged and remembered', async () => {
    const s = setup('2026-03-11T03:30:00Z');
    s.persistence.reconcileReply = { ...s.persistence.reconcileReply, stoppedBy: 'maxDeletions (1000)' };
    await s.reconciliation.reconcile();
    expect(s.state.lastReconcileSummary).toMatch(/stopped by maxDeletions \(1000\)/);
    s.persistence.reconcile = async () => {
      throw new QueryError('timeout', 'no answer to giggles.query.maintenance.reconcile in time');
    };
    expect(await s.reconciliation.reconcile()).toBeUndefined();
    expect(s.state.lastReconcileSummary).toBe('reconcile failed: no answer to giggles.query.maintenance.reconcile in time');
    expect((await s.metrics.reconcileRuns.get()).values.map((v) => [v.labels.outcome, v.value])).toEqual([
      ['stopped', 1],
      ['failed', 1],
    ]);
  });
});
