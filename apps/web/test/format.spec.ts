import { describe, expect, it } from 'vitest';
import { addDays, formatAudio, formatSeconds, startOfLocalDay, todayIn } from '../src/lib/format';
import { laughSpanInClip } from '../src/lib/clip-span';

describe('local days', () => {
  it('starts a day at local midnight, DST days included (23 and 25 hours)', () => {
    expect(new Date(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin') - startOfLocalDay('2026-03-29', 'Europe/Berlin')).toBe(23 * 3_600_000);
    expect(startOfLocalDay('2026-10-26', 'Europe/Berlin') - startOfLocalDay('2026-10-25', 'Europe/Berlin')).toBe(25 * 3_600_000);
    expect(new Date(startOfLocalDay('2026-12-03', 'America/Los_Angeles')).toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(new Date(startOfLocalDay('2026-12-03', 'Pacific/Kiritimati')).toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  it('tells today in a zone and steps calendar days across months and years', () => {
    const instant = Date.parse('2026-12-31T23:30:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-12-31');
    expect(todayIn('Europe/Berlin', instant)).toBe('2027-01-01');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-12-31');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('words for numbers', () => {
  it('says durations the way a person reads them', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(2.44)).toBe('2.4 s');
    expect(formatSeconds(12.4)).toBe('12 s');
    expect(formatSeconds(75)).toBe('1 min 15 s');
    expect(formatSeconds(3 * 3600 + 120)).toBe('3 h 2 min');
  });

  it('tells "no audio" apart from a little audio', () => {
    expect(formatAudio(0)).toBe('no audio');
    expect(formatAudio(20)).toBe('1 min of audio');
    expect(formatAudio(13.4 * 3600)).toBe('13.4 h of audio');
  });
});

describe('where the laugh sits in its clip', () => {
  it('is after the 2 s padding when the clip has it', () => {
    expect(laughSpanInClip(6.4, 2.4)).toEqual({ startS: 2, endS: 4.4 });
  });
  it('starts earlier when the clip is too short for the padding, and never leaves the clip', () => {
    expect(laughSpanInClip(3, 2)).toEqual({ startS: 1, endS: 3 });
    expect(laughSpanInClip(1, 2)).toEqual({ startS: 0, endS: 1 });
  });
});
