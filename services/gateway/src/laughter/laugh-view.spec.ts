import type { Laugh } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import { toLaughView } from './laugh-view';
import { localTimeOf } from './local-time';

const laugh: Laugh = {
  id: '0b6f3c52-2d1f-4b8e-9a57-5f0c1d2e3f40',
  localDate: '2026-03-07',
  // 2026-03-08T07:30:00Z = 23:30 on 7 March in Los Angeles (PST, UTC−8)
  startMs: Date.UTC(2026, 2, 8, 7, 30, 0),
  endMs: Date.UTC(2026, 2, 8, 7, 30, 2),
  peakMs: Date.UTC(2026, 2, 8, 7, 30, 1),
  durationS: 2,
  probability: 0.8,
  className: 'Laughter',
  hasClip: true,
};

describe('toLaughView', () => {
  it('adds the local time in the user zone, the clip URL and the review flag', () => {
    const view = toLaughView(laugh, 'America/Los_Angeles');
    expect(view.localTime).toBe('23:30:00');
    expect(view.clipUrl).toBe(`/api/laughs/${laugh.id}/clip`);
    expect(view.notLaugh).toBe(false);
    expect(view.localDate).toBe('2026-03-07');
  });

  it('has no clip URL without a clip and flags "not a laugh"', () => {
    const view = toLaughView({ ...laugh, hasClip: false, review: 'not_laugh' }, 'UTC');
    expect(view.clipUrl).toBeNull();
    expect(view.notLaugh).toBe(true);
    expect(view.localTime).toBe('07:30:00');
  });

  it('falls back to UTC for an unknown zone instead of failing', () => {
    expect(localTimeOf(laugh.startMs, 'Not/AZone')).toBe('07:30:00');
  });
});
