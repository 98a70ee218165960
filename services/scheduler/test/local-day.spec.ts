import { describe, expect, it } from 'vitest';
import { addDays, datesBetween, daysInclusive, isValidTimezone, localDateAt, localDayRange } from '../src/domain/local-day';

const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('local-day ranges', () => {
  it.each([
    // zone, date, start (UTC), hours
    ['Europe/Berlin', '2026-03-10', '2026-03-09T23:00:00Z', 24],
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00Z', 23], // spring forward 02:00 → 03:00
    ['Europe/Berlin', '2026-03-30', '2026-03-29T22:00:00Z', 24],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T22:00:00Z', 25], // fall back 03:00 → 02:00
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00Z', 23],
    ['America/New_York', '2026-03-09', '2026-03-09T04:00:00Z', 24],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00Z', 25],
    ['Pacific/Kiritimati', '2026-01-15', '2026-01-14T10:00:00Z', 24], // UTC+14
    ['Etc/GMT+12', '2026-01-15', '2026-01-15T12:00:00Z', 24], // UTC−12 (POSIX sign)
    ['UTC', '2026-02-28', '2026-02-28T00:00:00Z', 24],
  ])('%s %s starts at %s and lasts %i h', (zone, date, start, hours) => {
    const range = localDayRange(date, zone);
    expect(new Date(range.startMs).toISOString()).toBe(new Date(start).toISOString());
    expect(range.endMs - range.startMs).toBe(hours * H);
    expect(range).toMatchObject({ localDate: date, timezone: zone });
    // consecutive days tile time without gaps or overlaps
    expect(localDayRange(addDays(date, 1), zone).startMs).toBe(range.endMs);
  });

  it('the same instant is a different local date across UTC−12 … UTC+14', () => {
    const instant = utc('2026-01-15T11:30:00Z');
    expect(localDateAt(instant, 'Etc/GMT+12')).toBe('2026-01-14');
    expect(localDateAt(instant, 'UTC')).toBe('2026-01-15');
    expect(localDateAt(instant, 'Pacific/Kiritimati')).toBe('2026-01-16');
  });

  it('local date right at the boundaries of a DST day', () => {
    const day = localDayRange('2026-10-25', 'Europe/Berlin');
    expect(localDateAt(day.startMs - 1, 'Europe/Berlin')).toBe('2026-10-24');
    expect(localDateAt(day.startMs, 'Europe/Berlin')).toBe('2026-10-25');
    expect(localDateAt(day.endMs - 1, 'Europe/Berlin')).toBe('2026-10-25');
    expect(localDateAt(day.endMs, 'Europe/Berlin')).toBe('2026-10-26');
  });

  it('calendar helpers', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysInclusive('2026-03-01', '2026-03-31')).toBe(31);
    expect(daysInclusive('2026-03-28', '2026-03-30')).toBe(3); // across the DST change: calendar days
    expect(datesBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  it('invalid zones and dates are refused', () => {
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimezone('Europe/Berlin')).toBe(true);
    expect(() => localDayRange('2026-01-15', 'Mars/Olympus_Mons')).toThrow(/IANA/);
    expect(() => localDayRange('2026-02-30', 'UTC')).toThrow(/local date/);
  });
});
