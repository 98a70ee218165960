import { describe, expect, it } from 'vitest';
import { coverageHours } from './coverage-hours';

const HOUR = 3_600_000;

describe('coverageHours', () => {
  it('spreads each window over the local hours it spans', () => {
    // 2026-03-07 00:00 in Los Angeles (UTC−8) = 08:00Z; a 2 h window from 01:00 local, 1 h of audio.
    const start = Date.UTC(2026, 2, 7, 9);
    const hours = coverageHours([{ startMs: start, endMs: start + 2 * HOUR, status: 'processed', audioSeconds: 3600 }], 'America/Los_Angeles');
    expect(hours).toHaveLength(24);
    expect(hours[1]).toEqual({ hour: 1, audioSeconds: 1800 });
    expect(hours[2]).toEqual({ hour: 2, audioSeconds: 1800 });
    expect(hours.filter((h) => h.audioSeconds > 0)).toHaveLength(2);
  });

  it('follows half-hour zones and ignores windows without audio', () => {
    // Kolkata is UTC+5:30: 18:30Z–19:30Z is 00:00–01:00 local.
    const start = Date.UTC(2026, 2, 6, 18, 30);
    const hours = coverageHours(
      [
        { startMs: start, endMs: start + HOUR, status: 'processed', audioSeconds: 600 },
        { startMs: start + HOUR, endMs: start + 2 * HOUR, status: 'gap', audioSeconds: 0 },
      ],
      'Asia/Kolkata',
    );
    expect(hours[0].audioSeconds).toBe(600);
    expect(hours.reduce((sum, h) => sum + h.audioSeconds, 0)).toBe(600);
  });
});
