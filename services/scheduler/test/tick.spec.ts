import { messageIds, type DayJob } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, localDateAt, localDayRange } from '../src/domain/local-day';
import { HOUR, MINUTE, schedulerUnderTest, type SchedulerUnderTest } from './fakes';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Nightly jobs of `dates` registered and finished before the test starts. */
function seedDone(s: SchedulerUnderTest, userId: string, timezone: string, dates: string[], status: 'done' | 'failed' = 'done'): void {
  for (const date of dates) {
    const r = localDayRange(date, timezone);
    const jobId = messageIds.dayJob(userId, date, 'nightly', r.startMs, r.endMs);
    s.persistence.jobs.set(jobId, { jobId, userId, localDate: date, timezone, trigger: 'nightly', startMs: r.startMs, endMs: r.endMs, status, registeredAtMs: r.endMs + 2 * HOUR });
  }
}

const summary = (jobs: DayJob[]) => jobs.map((j) => `${j.userId.slice(-1)} ${j.localDate} ${j.trigger}`);

describe('tick: a simulated week, one tick every 5 minutes of fake time', () => {
  it.each([
    ['March 2026 (Berlin springs forward on the 29th)', '2026-03-25T00:00:00Z', '2026-03-29', 'Europe/Berlin', 23],
    ['November 2026 (New York falls back on the 1st)', '2026-10-28T00:00:00Z', '2026-11-01', 'America/New_York', 25],
  ])('%s: exactly one nightly job per user-day, each published when its day has settled', (_name, startIso, dstDate, dstZone, dstHours) => {
    return (async () => {
      const s = schedulerUnderTest(startIso);
      const zones = ['Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati'];
      const users = zones.map((zone, i) => s.persistence.addUser(uuid(i + 1), zone));
      const start = s.clock.now();
      // everything before the week was processed
      for (const user of users) seedDone(s, user.userId, user.timezone, datesBetween(addDays(localDateAt(start, user.timezone), -10), addDays(localDateAt(start, user.timezone), -2)));
      const end = start + 7 * 24 * HOUR;
      for (; s.clock.now() <= end; s.clock.advance(5 * MINUTE)) {
        s.persistence.finishAll('done', (job) => s.clock.now() - job.registeredAtMs >= 20 * MINUTE);
        await s.ticks.tick();
      }
      const published = s.publisher.published;
      expect(published.every((p) => p.job.trigger === 'nightly')).toBe(true);
      expect(new Set(published.map((p) => p.job.jobId)).size).toBe(published.length);
      for (const user of users) {
        const mine = published.filter((p) => p.job.userId === user.userId);
        const dates = mine.map((p) => p.job.localDate);
        const first = addDays(localDateAt(start, user.timezone), -1);
        const last = localDateAt(end - 2 * HOUR - 24 * HOUR, user.timezone);
        expect(dates).toEqual(datesBetween(first, last)); // once each, in order, none missing
        for (const { job, atMs } of mine) {
          const range = localDayRange(job.localDate, user.timezone);
          expect([job.startMs, job.endMs, job.timezone]).toEqual([range.startMs, range.endMs, user.timezone]);
          const settledAt = range.endMs + 2 * HOUR;
          if (settledAt >= start) {
            expect(atMs).toBeGreaterThanOrEqual(settledAt);
            expect(atMs).toBeLessThan(settledAt + 5 * MINUTE);
          }
        }
      }
      const dst = published.find((p) => p.job.timezone === dstZone && p.job.localDate === dstDate)!.job;
      expect(dst.endMs - dst.startMs).toBe(dstHours * HOUR);
      expect((await s.metrics.jobsPublished.get()).values).toEqual([{ labels: { trigger: 'nightly' }, value: published.length }]);
    })();
  });
});

describe('tick', () => {
  it('after two days of downtime the missed days are published oldest first', async () => {
    const s = schedulerUnderTest('2026-03-11T01:05:00Z');
    const user = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, user.userId, user.timezone, datesBetween('2026-03-01', '2026-03-08'));
    const report = await s.ticks.tick();
    expect(summary(report.published)).toEqual(['1 2026-03-09 nightly', '1 2026-03-10 nightly']);
    expect(s.publisher.jobs()).toEqual(report.published);
  });

  it('a repeated tick publishes nothing new (register-first protocol)', async () => {
    const s = schedulerUnderTest('2026-03-11T01:05:00Z');
    const user = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, user.userId, user.timezone, datesBetween('2026-03-01', '2026-03-09'));
    expect((await s.ticks.tick()).published).toHaveLength(1);
    s.clock.advance(5 * MINUTE);
    expect((await s.ticks.tick()).published).toHaveLength(0);
    expect(s.publisher.published).toHaveLength(1);
  });

  it("fairness: everyone's oldest due day goes first; backfill is limited by jobs in flight", async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    const [a, b, c] = [1, 2, 3].map((n) => s.persistence.addUser(uuid(n), 'Europe/Berlin'));
    seedDone(s, a!.userId, 'Europe/Berlin', ['2026-03-03']); // a: 7 due days (03-04 … 03-10)
    seedDone(s, b!.userId, 'Europe/Berlin', datesBetween('2026-03-04', '2026-03-09')); // b, c: yesterday only
    seedDone(s, c!.userId, 'Europe/Berlin', datesBetween('2026-03-04', '2026-03-09'));
    const first = await s.ticks.tick();
    expect(summary(first.published)).toEqual(['1 2026-03-04 nightly', '2 2026-03-10 nightly', '3 2026-03-10 nightly', '1 2026-03-05 nightly']);
    s.clock.advance(5 * MINUTE);
    expect((await s.ticks.tick()).published).toEqual([]); // a has 2 in flight
    s.persistence.finishAll('done');
    s.clock.advance(5 * MINUTE);
    expect(summary((await s.ticks.tick()).published)).toEqual(['1 2026-03-06 nightly', '1 2026-03-07 nightly']);
  });

  it('jobs already in flight count against the per-user limit', async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z', { SCHEDULER_MAX_JOBS_IN_FLIGHT_PER_USER: '3' });
    const a = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, a.userId, 'Europe/Berlin', ['2026-03-03']);
    const running = localDayRange('2026-03-01', 'Europe/Berlin');
    s.persistence.jobs.set('today-job', { jobId: 'today-job', userId: a.userId, localDate: '2026-03-01', timezone: 'Europe/Berlin', trigger: 'today', startMs: running.startMs, endMs: running.endMs, status: 'running', registeredAtMs: 0 });
    expect((await s.ticks.tick()).published).toHaveLength(2);
  });

  it('gap retries wait base · 2^(n−1) after the previous run; after 6 the gaps are given up', async () => {
    const s = schedulerUnderTest('2026-03-11T01:00:00Z');
    const user = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, user.userId, user.timezone, datesBetween('2026-03-01', '2026-03-10')); // 03-10's nightly registered 01:00Z
    s.persistence.gapDays.add(`${user.userId}|2026-03-10`);
    for (let i = 0; i < 5 * 24 * 12; i++, s.clock.advance(5 * MINUTE)) {
      s.persistence.finishAll('done', (job) => s.clock.now() - job.registeredAtMs >= 20 * MINUTE);
      await s.ticks.tick();
    }
    const retries = s.publisher.published.filter((p) => p.job.trigger === 'gap-retry');
    expect(retries.map((p) => new Date(p.atMs).toISOString())).toEqual([
      '2026-03-11T02:00:00.000Z', // 01:00 + 1 h
      '2026-03-11T04:00:00.000Z', // + 2 h
      '2026-03-11T08:00:00.000Z', // + 4 h
      '2026-03-11T16:00:00.000Z', // + 8 h
      '2026-03-12T08:00:00.000Z', // + 16 h
      '2026-03-13T16:00:00.000Z', // + 32 h
    ]);
    const range = localDayRange('2026-03-10', 'Europe/Berlin');
    expect(retries.map((p) => p.job.jobId)).toEqual([1, 2, 3, 4, 5, 6].map((n) => messageIds.dayJob(user.userId, '2026-03-10', 'gap-retry', range.startMs, range.endMs, n)));
    expect(retries.every((p) => p.job.startMs === range.startMs && p.job.endMs === range.endMs)).toBe(true);
    expect(s.persistence.givenUp).toEqual([{ userId: user.userId, localDate: '2026-03-10', reason: 'gaps still there after 6 retries' }]);
  });

  it('a failed whole-day job is retried with growing intervals, then left alone', async () => {
    const s = schedulerUnderTest('2026-03-11T01:00:00Z', { SCHEDULER_MAX_RETRIES: '2' });
    const user = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, user.userId, user.timezone, datesBetween('2026-03-01', '2026-03-09'));
    seedDone(s, user.userId, user.timezone, ['2026-03-10'], 'failed');
    for (let i = 0; i < 2 * 24 * 12; i++, s.clock.advance(5 * MINUTE)) {
      s.persistence.finishAll('failed', (job) => s.clock.now() - job.registeredAtMs >= 20 * MINUTE);
      await s.ticks.tick();
    }
    const of10th = s.publisher.published.filter((p) => p.job.localDate === '2026-03-10');
    expect(of10th.map((p) => [new Date(p.atMs).toISOString(), p.job.trigger])).toEqual([
      ['2026-03-11T02:00:00.000Z', 'nightly'], // retry 1: 1 h after the failed nightly
      ['2026-03-11T04:00:00.000Z', 'nightly'], // retry 2: 2 h later
    ]);
    expect(s.persistence.givenUp).toEqual([]);
  });

  it('a user who moved time zones gets the day again over its range in the new zone', async () => {
    const s = schedulerUnderTest('2026-03-11T08:00:00Z');
    const user = s.persistence.addUser(uuid(1), 'America/New_York');
    seedDone(s, user.userId, 'America/New_York', datesBetween('2026-03-01', '2026-03-09'));
    seedDone(s, user.userId, 'Europe/Berlin', ['2026-03-10']); // processed while they were in Berlin
    const report = await s.ticks.tick();
    const ny = localDayRange('2026-03-10', 'America/New_York');
    // 03-10 New York ended 04:00Z (+2 h settle ≤ 08:00Z); the Berlin job over another range does not cover it
    expect(report.published.map((j) => [j.localDate, j.timezone, j.startMs, j.endMs])).toEqual([['2026-03-10', 'America/New_York', ny.startMs, ny.endMs]]);
    expect(s.persistence.calls).toContain(`dueDays ${user.userId} 2026-03-04..2026-03-10`);
  });

  it('a user with an invalid time zone is skipped with one warning and blocks nobody', async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    s.persistence.addUser(uuid(1), 'Mars/Olympus_Mons');
    const good = s.persistence.addUser(uuid(2), 'Europe/Berlin');
    seedDone(s, good.userId, 'Europe/Berlin', datesBetween('2026-03-04', '2026-03-09'));
    expect(summary((await s.ticks.tick()).published)).toEqual(['2 2026-03-10 nightly']);
    s.clock.advance(5 * MINUTE);
    await s.ticks.tick();
    const warnings = s.logs.lines().filter((l) => l.level === 'warn' && String(l.msg).includes('time zone'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ userId: uuid(1), timezone: 'Mars/Olympus_Mons' });
  });

  it("one user's failing query does not stop the others", async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    const [a, b] = [1, 2].map((n) => s.persistence.addUser(uuid(n), 'Europe/Berlin'));
    for (const u of [a!, b!]) seedDone(s, u.userId, 'Europe/Berlin', datesBetween('2026-03-04', '2026-03-09'));
    s.persistence.failDueDaysFor.add(a!.userId);
    const report = await s.ticks.tick();
    expect(summary(report.published)).toEqual(['2 2026-03-10 nightly']);
    expect(report.failedUsers).toEqual([a!.userId]);
    expect(s.state.lastTickAtMs).toBe(s.clock.now());
  });

  it('a registered job whose publish failed is published again once it has stalled', async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    const user = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, user.userId, 'Europe/Berlin', datesBetween('2026-03-04', '2026-03-09'));
    s.publisher.failNext = 1;
    const first = await s.ticks.tick();
    expect(first.published).toEqual([]);
    const [job] = [...s.persistence.jobs.values()].filter((j) => j.status === 'planned');
    expect(job).toBeDefined();
    s.clock.advance(25 * MINUTE);
    expect((await s.ticks.tick()).republished).toEqual([]); // not stalled yet (30 min)
    s.clock.advance(10 * MINUTE);
    const later = await s.ticks.tick();
    expect(later.republished).toEqual([job!.jobId]);
    expect(s.publisher.jobs()).toMatchObject([{ jobId: job!.jobId, localDate: '2026-03-10', trigger: 'nightly' }]);
    expect((await s.metrics.jobsRepublished.get()).values[0]?.value).toBe(1);
    // Still not planned (say, a long queue ahead of it): published again only once per stall interval.
    s.persistence.jobs.get(job!.jobId)!.status = 'planned';
    s.clock.advance(5 * MINUTE);
    expect((await s.ticks.tick()).republished).toEqual([]);
    s.clock.advance(26 * MINUTE);
    expect((await s.ticks.tick()).republished).toEqual([job!.jobId]);
  });

  it('a day cleared and due again within the stream duplicate window runs under a fresh id (not dropped as a duplicate)', async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    const user = s.persistence.addUser(uuid(1), 'Europe/Berlin');
    seedDone(s, user.userId, 'Europe/Berlin', datesBetween('2026-03-04', '2026-03-09'));
    const [first] = (await s.ticks.tick()).published;
    expect(first).toMatchObject({ localDate: '2026-03-10', trigger: 'nightly' });
    s.persistence.finishAll('done');
    // Cleared (as before a reprocess) a minute later: the day is due again under the same plain id.
    s.clock.advance(MINUTE);
    await s.persistence.clearDays({ userId: user.userId, from: '2026-03-10', to: '2026-03-10' });
    const again = await s.ticks.tick();
    expect(s.publisher.dropped.map((d) => d.job.jobId)).toEqual([first!.jobId]);
    expect(again.published).toHaveLength(1);
    const rerun = again.published[0]!;
    expect(rerun).toMatchObject({ localDate: '2026-03-10', trigger: 'nightly', startMs: first!.startMs, endMs: first!.endMs });
    expect(rerun.jobId).not.toBe(first!.jobId);
    expect(s.publisher.jobs().map((j) => j.jobId)).toEqual([first!.jobId, rerun.jobId]);
    // The dropped registration is gone, the fresh one is what persistence holds for the day.
    expect(s.persistence.jobsOf(user.userId).filter((j) => j.localDate === '2026-03-10').map((j) => j.jobId)).toEqual([rerun.jobId]);
    expect(s.logs.lines().some((l) => l.newJobId === rerun.jobId && String(l.msg).includes('duplicate window'))).toBe(true);
    // Nothing else is published for the day while the rerun is in flight.
    s.clock.advance(5 * MINUTE);
    expect((await s.ticks.tick()).published).toEqual([]);
    expect((await s.ticks.tick()).republished).toEqual([]);
  });

  it('overlapping ticks: a tick that starts while one runs does nothing', async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    s.persistence.addUser(uuid(1), 'Europe/Berlin');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = s.persistence.usersWithActiveKeys.bind(s.persistence);
    s.persistence.usersWithActiveKeys = async () => {
      await gate;
      return original();
    };
    const first = s.ticks.tick();
    const second = await s.ticks.tick();
    expect(second.ran).toBe(false);
    release();
    expect((await first).ran).toBe(true);
    expect((await s.ticks.tick()).ran).toBe(true);
  });

  it('a failed tick is counted and does not move the last successful tick', async () => {
    const s = schedulerUnderTest('2026-03-11T03:00:00Z');
    await s.ticks.tick();
    const lastOk = s.state.lastTickAtMs;
    s.persistence.failUsersQuery = true;
    s.clock.advance(5 * MINUTE);
    await expect(s.ticks.tick()).rejects.toThrow(/in time/);
    expect(s.state.lastTickAtMs).toBe(lastOk);
    expect((await s.metrics.tickFailures.get()).values[0]?.value).toBe(1);
    expect((await s.metrics.ticks.get()).values[0]?.value).toBe(1);
  });
});
