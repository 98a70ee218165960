import { describe, expect, it } from 'vitest';
import { clipWindow } from './clip-window';

const event = (startS: number, endS: number, peakS = (startS + endS) / 2) => ({ startS, endS, peakS });

describe('clipWindow', () => {
  it('pads the event by 2 s on each side by default', () => {
    expect(clipWindow(event(10.24, 12.16), 600)).toEqual({ startS: 8.24, endS: 14.16 });
  });

  it('clamps to the start and the end of the recording', () => {
    expect(clipWindow(event(0.24, 1.2), 600)).toEqual({ startS: 0, endS: 3.2 });
    expect(clipWindow(event(598.32, 599.28), 600)).toEqual({ startS: 596.32, endS: 600 });
  });

  it('takes custom padding and maximum', () => {
    expect(clipWindow(event(10, 12), 600, { paddingS: 0.5 })).toEqual({ startS: 9.5, endS: 12.5 });
    expect(clipWindow(event(10, 12), 600, { paddingS: 0 })).toEqual({ startS: 10, endS: 12 });
    expect(clipWindow(event(10, 20, 11), 600, { maxClipS: 4 })).toEqual({ startS: 9, endS: 13 });
  });

  it('keeps a padded event of exactly the maximum length whole', () => {
    expect(clipWindow(event(100, 126), 600)).toEqual({ startS: 98, endS: 128 });
  });

  it('caps a long clip at maxClipS centred on the peak', () => {
    expect(clipWindow(event(100, 160, 130.5), 600)).toEqual({ startS: 115.5, endS: 145.5 });
  });

  it('shifts a capped clip to stay inside the padded event', () => {
    // Peak near the start: centring would begin before the padding; the clip starts at it instead.
    expect(clipWindow(event(100, 160, 101), 600)).toEqual({ startS: 98, endS: 128 });
    expect(clipWindow(event(100, 160, 159.5), 600)).toEqual({ startS: 132, endS: 162 });
  });

  it('shifts a capped clip to stay inside the recording', () => {
    expect(clipWindow(event(0.24, 50, 1), 600)).toEqual({ startS: 0, endS: 30 });
    expect(clipWindow(event(560, 599.5, 599), 600)).toEqual({ startS: 570, endS: 600 });
  });

  it('returns the whole recording when it is shorter than the clip', () => {
    expect(clipWindow(event(1, 2), 3)).toEqual({ startS: 0, endS: 3 });
  });

  it('stays inside the recording even for an event past its end', () => {
    const w = clipWindow(event(605, 606), 600);
    expect(w.startS).toBeLessThanOrEqual(w.endS);
    expect(w.endS).toBe(600);
  });

  it('rounds to milliseconds', () => {
    expect(clipWindow(event(1.68, 2.16), 600, { paddingS: 0.1 })).toEqual({ startS: 1.58, endS: 2.26 });
  });

  it('refuses invalid input, naming every problem', () => {
    expect(() => clipWindow(event(1, 2), -1)).toThrow(/recordingDurationS -1/);
    expect(() => clipWindow(event(1, 2), 10, { paddingS: -1, maxClipS: 0 })).toThrow(/paddingS -1, maxClipS 0/);
    expect(() => clipWindow(event(2, 1), 10)).toThrow(/event 2\.\.1/);
    expect(() => clipWindow(event(1, Number.NaN), 10)).toThrow(RangeError);
  });
});
