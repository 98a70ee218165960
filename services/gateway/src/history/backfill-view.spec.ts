import { describe, expect, it } from 'vitest';
import type { BackfillProgress } from '@giggles/contracts';
import { sameBackfillStatus, toBackfillView, toLimitlessStatus, UNREACHABLE_MESSAGE } from './backfill-view';

const progress: BackfillProgress = {
  userId: '7a3c1f5e-0000-4000-8000-000000000001',
  email: 'ada@example.test',
  timezone: 'Europe/Berlin',
  from: '2025-01-01',
  to: '2025-12-31',
  state: 'active',
  totalDays: 365,
  daysDone: 10,
  daysFailed: 1,
  daysInFlight: 2,
  audioSeconds: 36_000,
  laughs: 42,
  startedAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T01:00:00.000Z',
  backfillJobsDone: 10,
  etaSeconds: 3_600,
};

describe('backfill view', () => {
  it('passes on the days given up with their reason, and only those fields', () => {
    const view = toBackfillView({ ...progress, daysGivenUp: 3, givenUp: [{ localDate: '2025-06-14', reason: 'gaps after 6 retries', at: '2026-01-01T00:00:00Z' }] });
    expect(view.daysGivenUp).toBe(3);
    expect(view.givenUp).toEqual([{ localDate: '2025-06-14', reason: 'gaps after 6 retries' }]);
  });

  it('keeps the progress and drops ids, e-mail and internal counters', () => {
    const view = toBackfillView(progress);
    expect(view).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
      state: 'active',
      totalDays: 365,
      daysDone: 10,
      daysFailed: 1,
      daysGivenUp: 0,
      givenUp: [],
      daysInFlight: 2,
      audioSeconds: 36_000,
      laughs: 42,
      etaSeconds: 3_600,
      startedAt: progress.startedAt,
      updatedAt: progress.updatedAt,
    });
    const { etaSeconds: _eta, ...noEta } = progress;
    expect(toBackfillView(noEta)).not.toHaveProperty('etaSeconds');
  });

  it('is unreachable only while downloads are paused', () => {
    expect(toLimitlessStatus(undefined)).toEqual({ state: 'reachable' });
    expect(toLimitlessStatus({ userId: progress.userId, email: progress.email, unreachableSince: '2026-11-30T00:00:00.000Z' })).toEqual({ state: 'reachable' });
    expect(toLimitlessStatus({ userId: progress.userId, email: progress.email, unreachableSince: '2026-11-30T00:00:00.000Z', pausedAt: '2026-12-01T00:00:00.000Z', pauseReason: 'x' })).toEqual({
      state: 'unreachable',
      unreachableSince: '2026-11-30T00:00:00.000Z',
      pausedAt: '2026-12-01T00:00:00.000Z',
      message: UNREACHABLE_MESSAGE,
    });
  });

  it('counts a change only when something shown changed, not the ETA ticking down or the update time', () => {
    const a = { backfill: toBackfillView(progress), limitless: toLimitlessStatus(undefined) };
    expect(sameBackfillStatus(a, { ...a, backfill: { ...a.backfill, etaSeconds: 3_500, updatedAt: '2026-12-01T01:00:05.000Z' } })).toBe(true);
    expect(sameBackfillStatus(a, { ...a, backfill: { ...a.backfill, daysDone: 11 } })).toBe(false);
    expect(sameBackfillStatus(a, { ...a, backfill: { ...a.backfill, state: 'paused' } })).toBe(false);
    expect(sameBackfillStatus(a, { ...a, limitless: { state: 'unreachable' } })).toBe(false);
    expect(sameBackfillStatus(a, { ...a, backfill: null })).toBe(false);
    const { etaSeconds: _eta, ...noEta } = a.backfill;
    expect(sameBackfillStatus(a, { ...a, backfill: noEta })).toBe(false);
  });
});
