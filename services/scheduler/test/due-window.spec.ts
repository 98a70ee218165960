import { describe, expect, it } from 'vitest';
import { daySettled, dueWindow } from '../src/domain/due-window';
import { decideDueDay, retryDelayMs } from '../src/domain/retry-policy';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('due window', () => {
  it('a day is due only once its end plus the settle delay has passed', () => {
    // Berlin 2026-03-10 ends at 2026-03-10T23:00Z; settle 2 h → due from 01:00Z
    expect(daySettled('2026-03-10', 'Europe/Berlin', utc('2026-03-11T00:59:59.999Z'), 2 * H)).toBe(false);
    expect(daySettled('2026-03-10', 'Europe/Berlin', utc('2026-03-11T01:00:00Z'), 2 * H)).toBe(true);
    // the 25-hour day ends an hour later in UTC terms
    expect(daySettled('2026-10-25', 'Europe/Berlin', utc('2026-10-26T00:59:00Z'), 0)).toBe(true);
    expect(daySettled('2026-10-25', 'Europe/Berlin', utc('2026-10-25T22:59:00Z'), 0)).toBe(false);
  });

  it('window: [today − catch-up days, newest settled day]', () => {
    // 00:30 Berlin on 2026-03-11: yesterday not settled yet → newest due day is the day before
    expect(dueWindow(utc('2026-03-10T23:30:00Z'), 'Europe/Berlin', 2 * H, 7)).toEqual({ from: '2026-03-04', to: '2026-03-09' });
    expect(dueWindow(utc('2026-03-11T01:00:00Z'), 'Europe/Berlin', 2 * H, 7)).toEqual({ from: '2026-03-04', to: '2026-03-10' });
  });

  it('with one catch-up day nothing is due while yesterday settles', () => {
    expect(dueWindow(utc('2026-03-10T23:30:00Z'), 'Europe/Berlin', 2 * H, 1)).toBeUndefined();
    expect(dueWindow(utc('2026-03-11T01:00:00Z'), 'Europe/Berlin', 2 * H, 1)).toEqual({ from: '2026-03-10', to: '2026-03-10' });
  });

  it('a settle delay longer than a day steps back further', () => {
    expect(dueWindow(utc('2026-03-11T12:00:00Z'), 'UTC', 36 * H, 7)).toEqual({ from: '2026-03-04', to: '2026-03-09' });
  });

  it('extreme zones: Kiritimati (UTC+14) and Etc/GMT+12 (UTC−12) at the same instant', () => {
    const now = utc('2026-01-15T12:00:00Z');
    expect(dueWindow(now, 'Pacific/Kiritimati', 2 * H, 7)?.to).toBe('2026-01-15'); // local 02:00 on the 16th
    expect(dueWindow(now, 'Etc/GMT+12', 2 * H, 7)?.to).toBe('2026-01-13'); // local 00:00 on the 15th: the 14th still settles
  });
});

describe('retry policy', () => {
  const policy = { baseMs: H, maxRetries: 6 };
  const at = (iso: string) => utc(iso);

  it('first run of a day is the plain nightly job', () => {
    expect(decideDueDay({ localDate: '2026-03-10', reason: 'unprocessed' }, at('2026-03-11T02:00:00Z'), policy)).toEqual({ kind: 'nightly' });
    expect(decideDueDay({ localDate: '2026-03-10', reason: 'unprocessed', retries: 0, lastRunAt: '2026-03-11T01:00:00Z' }, 0, policy)).toEqual({ kind: 'nightly' });
  });

  it('gap retry n waits base · 2^(n−1) after the last run', () => {
    expect([1, 2, 3, 6].map((n) => retryDelayMs(n, policy) / H)).toEqual([1, 2, 4, 32]);
    const day = { localDate: '2026-03-10', reason: 'gaps' as const, retries: 2, lastRunAt: '2026-03-11T10:00:00Z' };
    expect(decideDueDay(day, at('2026-03-11T13:59:00Z'), policy)).toEqual({ kind: 'wait', untilMs: at('2026-03-11T14:00:00Z'), run: 3 });
    expect(decideDueDay(day, at('2026-03-11T14:00:00Z'), policy)).toEqual({ kind: 'retry', trigger: 'gap-retry', run: 3 });
  });

  it('after max retries: give up on gaps, leave failed days alone', () => {
    expect(decideDueDay({ localDate: '2026-03-10', reason: 'gaps', retries: 6, lastRunAt: '2026-03-01T00:00:00Z' }, at('2026-03-20T00:00:00Z'), policy)).toEqual({
      kind: 'give-up',
      retries: 6,
    });
    expect(decideDueDay({ localDate: '2026-03-10', reason: 'unprocessed', retries: 7, lastRunAt: '2026-03-01T00:00:00Z' }, at('2026-03-20T00:00:00Z'), policy)).toEqual({
      kind: 'leave',
      retries: 7,
    });
  });

  it('a failed whole-day job is retried as nightly run n', () => {
    const day = { localDate: '2026-03-10', reason: 'unprocessed' as const, retries: 2, lastRunAt: '2026-03-11T10:00:00Z' };
    expect(decideDueDay(day, at('2026-03-11T11:00:00Z'), policy)).toEqual({ kind: 'wait', untilMs: at('2026-03-11T12:00:00Z'), run: 2 });
    expect(decideDueDay(day, at('2026-03-11T12:00:00Z'), policy)).toEqual({ kind: 'retry', trigger: 'nightly', run: 2 });
  });
});
