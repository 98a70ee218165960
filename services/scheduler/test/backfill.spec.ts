/**
 * Backfill and the Limitless-outage pause on the fake clock: every day of a user's history once,
 * oldest first, only in capacity nightly and on-demand work leaves; progress with an ETA; pause
 * and resume; and a week without Limitless that pauses one user's downloads without a storm of
 * jobs, then resumes by itself.
 */
import { describe, expect, it } from 'vitest';
import { QUERY_ERROR_CODES } from '@giggles/contracts';
import { historySchedulerUnderTest } from './history-fakes';
import { DAY, HOUR, MINUTE } from './fakes';

const A = '0a0a0a0a-0000-4000-8000-00000000000a';
const B = '0b0b0b0b-0000-4000-8000-00000000000b';
const C = '0c0c0c0c-0000-4000-8000-00000000000c';
const NOW = '2026-12-03T09:00:00Z';

describe('backfill command', () => {
  it('without --from: the first day with audio from ingestion, in the user\'s zone; to = yesterday', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'Europe/Berlin');
    s.history.firstAudioReply = { method: 'lifelogs', requests: 1, atMs: Date.parse('2026-03-07T23:30:00Z') };
    const reply = await s.backfills.backfill({ userId: A });
    expect(reply.firstAudio).toEqual({ method: 'lifelogs', requests: 1, atMs: Date.parse('2026-03-07T23:30:00Z') });
    expect(reply.backfill).toMatchObject({ from: '2026-03-08', to: '2026-12-02', state: 'active', totalDays: 270 });
    expect(s.history.firstAudioRequests).toEqual([{ userId: A, notBeforeMs: Date.parse('2023-01-01T00:00:00Z'), notAfterMs: Date.parse('2026-12-02T23:00:00Z') }]);
  });

  it('an explicit range asks ingestion nothing; a future --to, a reversed range, no audio, an unknown user are refused clearly', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'UTC', 'a@example.com');
    expect((await s.backfills.backfill({ email: 'a@example.com', from: '2026-11-01', to: '2026-11-30' })).backfill).toMatchObject({ totalDays: 30 });
    expect(s.history.firstAudioRequests).toHaveLength(0);
    await expect(s.backfills.backfill({ userId: A, to: '2026-12-03' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.invalidRequest, message: expect.stringContaining('2026-12-02') });
    await expect(s.backfills.backfill({ userId: A, from: '2026-11-10', to: '2026-11-01' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.invalidRequest });
    s.history.firstAudioReply = { method: 'none', requests: 37 };
    await expect(s.backfills.backfill({ userId: A })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound, message: expect.stringContaining('--from') });
    await expect(s.backfills.backfill({ email: 'nobody@example.com' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });
  });
});

describe('backfill round', () => {
  it('runs every day once, oldest first, after everyone\'s nightly jobs and within the in-flight limits', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'Europe/Berlin');
    s.persistence.addUser(B, 'America/New_York');
    s.persistence.addUser(C, 'UTC');
    await s.backfills.backfill({ userId: A, from: '2026-10-01', to: '2026-12-02' });

    const first = await s.ticks.tick();
    const firstTriggers = s.publisher.jobs().map((j) => j.trigger);
    // Nightly catch-up of all three users first; backfill only into A's spare slots (A: 2 nightly in flight → none).
    expect(firstTriggers.filter((t) => t === 'nightly').length).toBe(6);
    expect(first.backfill?.published ?? []).toHaveLength(0);

    let maxBackfillInFlight = 0;
    let maxAInFlight = 0;
    for (let step = 0; step < 400; step++) {
      s.persistence.finishAll('done');
      s.clock.advance(MINUTE);
      if (step % 5 === 0) await s.ticks.tick();
      else await s.ticks.backfillTick();
      const inFlight = [...s.persistence.jobs.values()].filter((j) => j.status === 'planned' || j.status === 'running');
      maxBackfillInFlight = Math.max(maxBackfillInFlight, inFlight.filter((j) => j.trigger === 'backfill').length);
      maxAInFlight = Math.max(maxAInFlight, inFlight.filter((j) => j.userId === A).length);
      if (s.history.backfills.get(A)?.state === 'done') break;
    }
    expect(s.history.backfills.get(A)?.state).toBe('done');
    const backfillDays = s.publisher.jobs().filter((j) => j.trigger === 'backfill').map((j) => j.localDate);
    expect(backfillDays).toEqual([...backfillDays].sort()); // oldest first
    expect(new Set(backfillDays).size).toBe(backfillDays.length); // never a day twice
    // Every day of the range has exactly one whole-day job of A: backfill or nightly, never both.
    const aDays = s.publisher.jobs().filter((j) => j.userId === A).map((j) => j.localDate).filter((d) => d >= '2026-10-01');
    expect(new Set(aDays).size).toBe(aDays.length);
    expect(new Set(aDays).size).toBe(63);
    expect(maxBackfillInFlight).toBeLessThanOrEqual(s.config.backfillMaxInFlight);
    expect(maxAInFlight).toBeLessThanOrEqual(s.config.maxJobsInFlightPerUser);
    const [progress] = (await s.backfills.status({ userId: A })).backfills;
    expect(progress).toMatchObject({ state: 'done', totalDays: 63, daysDone: 63, daysFailed: 0 });
    expect(progress!.etaSeconds).toBeUndefined();
  });

  it('yields while any other job of any user waits to start; fair across two backfilling users', async () => {
    const s = historySchedulerUnderTest(NOW, { SCHEDULER_BACKFILL_MAX_IN_FLIGHT: '2' });
    s.persistence.addUser(A, 'UTC');
    s.persistence.addUser(B, 'UTC');
    await s.backfills.backfill({ userId: A, from: '2026-01-01', to: '2026-01-10' });
    await s.backfills.backfill({ userId: B, from: '2026-01-01', to: '2026-01-10' });
    // Someone's on-demand job registered but not started yet (waiting in ingestion's queue).
    await s.persistence.registerJob({ jobId: 'today-c', userId: A, localDate: '2026-12-03', timezone: 'UTC', trigger: 'today', startMs: Date.parse('2026-12-03T00:00:00Z'), endMs: Date.parse('2026-12-03T08:00:00Z') });
    expect(await s.round.run(s.clock.now())).toEqual({ published: [], waiting: 'other_jobs_queued' });
    s.persistence.finishAll('done');
    const round = await s.round.run(s.clock.now());
    // One each (SCHEDULER_BACKFILL_JOBS_PER_USER = 1), round-robin: A's oldest, then B's oldest.
    expect(round.published.map((j) => [j.userId, j.localDate, j.trigger])).toEqual([
      [A, '2026-01-01', 'backfill'],
      [B, '2026-01-01', 'backfill'],
    ]);
    expect((await s.round.run(s.clock.now())).waiting).toBe('all_slots_busy');
  });

  it('progress with an ETA from the rate so far; pause stops it, resume continues; a failed day counts as a failure and waits for its retry', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'UTC');
    await s.backfills.backfill({ userId: A, from: '2026-01-01', to: '2026-01-20' });
    for (let i = 0; i < 4; i++) {
      await s.round.run(s.clock.now());
      s.clock.advance(30 * 1000);
      s.persistence.finishAll(i === 1 ? 'failed' : 'done');
    }
    const [progress] = (await s.backfills.status({})).backfills;
    expect(progress).toMatchObject({ daysDone: 3, daysFailed: 1, totalDays: 20, state: 'active' });
    // 3 days in 120 s: 16 left → 640 s.
    expect(progress!.etaSeconds).toBe(640);
    expect((await s.backfills.pause({ userId: A })).backfill.state).toBe('paused');
    expect((await s.round.run(s.clock.now())).published).toHaveLength(0);
    expect((await s.backfills.resume({ userId: A })).backfill.state).toBe('active');
    const next = await s.round.run(s.clock.now());
    expect(next.published.map((j) => j.localDate)).toEqual(['2026-01-05']); // 01-02 failed: its retry waits SCHEDULER_RETRY_BASE
    const stranger = '0d0d0d0d-0000-4000-8000-00000000000d';
    s.persistence.addUser(stranger, 'UTC');
    await expect(s.backfills.pause({ userId: stranger })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });
  });
});

describe('backfill retries', () => {
  it('a failed day and a day left with gaps are retried on the gap-retry schedule, counted as failures, then given up with the reason', async () => {
    const s = historySchedulerUnderTest(NOW, { SCHEDULER_MAX_RETRIES: '3', SCHEDULER_BACKFILL_JOBS_PER_USER: '2' });
    s.persistence.addUser(A, 'UTC');
    await s.backfills.backfill({ userId: A, from: '2026-01-01', to: '2026-01-02' });
    const first = await s.round.run(s.clock.now());
    expect(first.published.map((j) => [j.localDate, j.trigger])).toEqual([['2026-01-01', 'backfill'], ['2026-01-02', 'backfill']]);
    // 01-01's job fails (say, dead-lettered); 01-02's finishes but leaves gap windows behind.
    const failing = (j: { localDate: string }) => j.localDate === '2026-01-01';
    s.persistence.finishAll('failed', failing);
    s.persistence.finishAll('done');
    s.persistence.gapDays.add(`${A}|2026-01-02`);
    let [progress] = (await s.backfills.status({ userId: A })).backfills;
    expect(progress).toMatchObject({ state: 'active', daysDone: 1, daysFailed: 2, daysGivenUp: 0 });

    const runs: Record<string, { trigger: string; atMs: number }[]> = { '2026-01-01': [], '2026-01-02': [] };
    const gaveUp: string[] = [];
    for (let step = 0; step < 40 * 12; step++) {
      s.clock.advance(5 * MINUTE);
      const round = await s.round.run(s.clock.now());
      for (const job of round.published) runs[job.localDate]!.push({ trigger: job.trigger, atMs: s.clock.now() });
      gaveUp.push(...(round.gaveUp ?? []).map((g) => `${g.localDate}: ${g.reason}`));
      if (round.published.length > 0) {
        // Shown as failures while a retry is due or running; each retry fails the same way.
        [progress] = (await s.backfills.status({ userId: A })).backfills;
        expect(progress!.daysFailed + progress!.daysInFlight).toBeGreaterThanOrEqual(1);
      }
      s.persistence.finishAll('failed', failing);
      s.persistence.finishAll('done');
      if (s.history.backfills.get(A)?.state === 'done') break;
    }
    // Retry n waits SCHEDULER_RETRY_BASE (1 h) · 2^(n−1) after the previous run (5-minute rounds here).
    const gapsFrom = (list: { atMs: number }[], startMs: number) => list.map((r, i) => (r.atMs - (i === 0 ? startMs : list[i - 1]!.atMs)) / MINUTE);
    expect(runs['2026-01-01']!.map((r) => r.trigger)).toEqual(['backfill', 'backfill', 'backfill']);
    expect(runs['2026-01-02']!.map((r) => r.trigger)).toEqual(['gap-retry', 'gap-retry', 'gap-retry']);
    for (const day of ['2026-01-01', '2026-01-02']) {
      const waited = gapsFrom(runs[day]!, Date.parse(NOW));
      expect(waited.map((m, i) => m >= 60 * 2 ** i && m <= 60 * 2 ** i + 5)).toEqual([true, true, true]);
    }
    // Every retry is a new job: never the same id twice.
    const ids = s.publisher.jobs().map((j) => j.jobId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(gaveUp).toEqual([
      expect.stringMatching(/^2026-01-01: the day's job failed 4 times/),
      expect.stringMatching(/^2026-01-02: windows still missing after 3 gap retries/),
    ]);
    [progress] = (await s.backfills.status({ userId: A })).backfills;
    expect(progress).toMatchObject({ state: 'done', daysFailed: 0, daysGivenUp: 2 });
    expect(progress!.givenUp?.map((g) => [g.localDate, g.reason])).toEqual([
      ['2026-01-01', expect.stringContaining('failed 4 times')],
      ['2026-01-02', expect.stringContaining('3 gap retries')],
    ]);
    // The gap give-up reaches the day's log too (as the nightly give-up), so no one retries it again.
    expect(s.persistence.givenUp).toEqual([expect.objectContaining({ userId: A, localDate: '2026-01-02' })]);
    expect((await s.round.run(s.clock.now())).published).toEqual([]);
  });

  it('leaves the retries of days inside the nightly catch-up to the tick', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'UTC');
    await s.backfills.backfill({ userId: A, from: '2026-11-28', to: '2026-11-28' });
    expect((await s.round.run(s.clock.now())).published.map((j) => j.localDate)).toEqual(['2026-11-28']);
    s.persistence.finishAll('failed');
    s.clock.advance(2 * HOUR);
    // 2026-11-28 is within SCHEDULER_CATCH_UP_DAYS (7) of 2026-12-03: the round does not retry it.
    expect((await s.round.run(s.clock.now())).published).toEqual([]);
  });
});

describe('Limitless unreachable for a week', () => {
  it('pauses the user after the threshold, probes hourly without a job storm, resumes by itself', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'UTC');
    s.persistence.addUser(B, 'UTC');
    await s.ticks.tick();
    s.persistence.finishAll('done');
    // B's jobs have found Limitless unreachable for a day (persistence's unbroken api_unreachable run).
    s.history.outages.set(B, { unreachableSinceMs: s.clock.now() - 25 * HOUR });
    const paused = await s.ticks.tick();
    expect(paused.outages?.paused).toEqual([B]);
    const status = await s.backfills.status({});
    expect(status.outages).toEqual([expect.objectContaining({ userId: B, pausedAt: expect.any(String), pauseReason: expect.stringContaining('unreachable for 25 h') })]);

    const bJobsBefore = s.persistence.jobsOf(B).length;
    // A simulated week of 5-minute ticks; every job of B would fail anyway, none is planned.
    for (let t = 0; t < 7 * 24 * 12; t++) {
      s.clock.advance(5 * MINUTE);
      await s.ticks.tick();
      await Promise.all([...s.gate.pendingProbes]);
      s.persistence.finishAll('done');
    }
    expect(s.persistence.jobsOf(B).length).toBe(bJobsBefore); // no error storm: not one job
    expect(s.history.probes).toBeGreaterThanOrEqual(7 * 24 - 1);
    expect(s.history.probes).toBeLessThanOrEqual(7 * 24 + 1); // one probe request an hour
    expect(s.persistence.jobsOf(A).length).toBeGreaterThan(7); // A's nights went on

    s.history.reachable = true;
    s.clock.advance(HOUR);
    const probed = await s.ticks.tick();
    expect(probed.outages?.probed).toEqual([B]);
    await Promise.all([...s.gate.pendingProbes]);
    const resumed = await s.ticks.tick();
    expect(resumed.outages?.paused).toEqual([]);
    expect(resumed.published.filter((j) => j.userId === B).length).toBeGreaterThan(0); // the missed days are due again
    expect((await s.backfills.status({})).outages).toEqual([]);
    expect(s.clock.now() - Date.parse(NOW)).toBeGreaterThan(7 * DAY);
  });
});

describe('reprocess while Limitless may be gone', () => {
  // The first reprocess of an outage: no finished job tells persistence yet that Limitless is gone,
  // so the scheduler asks once and tells persistence what it heard (it refuses to clear days whose
  // audio the archive does not keep).
  it('probes Limitless before clearing and tells persistence when nothing answered', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'UTC');
    s.history.reachable = false;
    await s.commands.reprocess({ userId: A, from: '2026-03-01', to: '2026-03-02' });
    expect(s.history.probes).toBe(1);
    expect(s.persistence.cleared.at(-1)).toEqual({ userId: A, from: '2026-03-01', to: '2026-03-02', limitlessUnreachable: true });
    expect(s.logs.lines().some((e) => String(e.msg).startsWith('reprocess: Limitless does not answer'))).toBe(true);

    s.history.reachable = true;
    await s.commands.reprocess({ userId: A, from: '2026-03-03', to: '2026-03-03' });
    expect(s.history.probes).toBe(2);
    expect(s.persistence.cleared.at(-1)).toEqual({ userId: A, from: '2026-03-03', to: '2026-03-03' });
  });

  it('counts a probe that gets no answer from ingestion as unreachable (persistence then keeps what is at risk)', async () => {
    const s = historySchedulerUnderTest(NOW);
    s.persistence.addUser(A, 'UTC');
    s.history.probe = async () => {
      throw new Error('request timed out');
    };
    await s.commands.reprocess({ userId: A, from: '2026-03-01', to: '2026-03-01' });
    expect(s.persistence.cleared.at(-1)).toMatchObject({ limitlessUnreachable: true });
  });
});
