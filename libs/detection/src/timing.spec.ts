import { describe, expect, it } from 'vitest';
import {
  FRAME_HOP_S,
  PATCH_S,
  frameCentreS,
  frameRegionEndS,
  frameRegionStartS,
  maxFramesWithin,
  maxMergedGapFrames,
  minFramesFor,
} from './timing';

describe('frame time convention', () => {
  it('uses YAMNet geometry: 0.96 s patches every 0.48 s', () => {
    expect(PATCH_S).toBe(0.96);
    expect(FRAME_HOP_S).toBe(0.48);
  });

  it('gives each frame the centre 0.48 s of its patch', () => {
    // Patch 3 covers 1.44..2.40 s; its centre region is 1.68..2.16 s, centre 1.92 s.
    expect(frameRegionStartS(3)).toBe(1.68);
    expect(frameRegionEndS(3)).toBe(2.16);
    expect(frameCentreS(3)).toBe(1.92);
    expect(frameRegionStartS(0)).toBe(0.24);
  });

  it('tiles the timeline: each region ends exactly where the next begins', () => {
    for (let i = 0; i < 20000; i += 37) {
      expect(frameRegionEndS(i)).toBe(frameRegionStartS(i + 1));
      expect(frameRegionEndS(i) - frameRegionStartS(i)).toBeCloseTo(0.48, 9);
    }
  });

  it('gives exact decimal times far into a day', () => {
    // 2-hour windows start at frame 15000, 30000, ...: 15000 * 0.48 = 7200 s exactly.
    expect(frameRegionStartS(15000)).toBe(7200.24);
    expect(frameCentreS(179999)).toBe(86399.52 + 0.48);
  });
});

describe('seconds to frame counts', () => {
  it('minFramesFor: fewest frames lasting at least the given time', () => {
    expect(minFramesFor(0)).toBe(0);
    expect(minFramesFor(0.3)).toBe(1);
    expect(minFramesFor(0.48)).toBe(1);
    expect(minFramesFor(0.49)).toBe(2);
    expect(minFramesFor(0.96)).toBe(2);
    expect(minFramesFor(1.44)).toBe(3);
  });

  it('maxFramesWithin: most frames lasting at most the given time, at least one', () => {
    expect(maxFramesWithin(30)).toBe(62);
    expect(maxFramesWithin(0.96)).toBe(2);
    expect(maxFramesWithin(0.95)).toBe(1);
    expect(maxFramesWithin(0.1)).toBe(1);
    expect(maxFramesWithin(1.44)).toBe(3);
  });

  it('maxMergedGapFrames: longest pause strictly shorter than the gap', () => {
    expect(maxMergedGapFrames(0)).toBe(0);
    expect(maxMergedGapFrames(0.48)).toBe(0);
    expect(maxMergedGapFrames(0.49)).toBe(1);
    expect(maxMergedGapFrames(0.96)).toBe(1);
    expect(maxMergedGapFrames(0.97)).toBe(2);
    expect(maxMergedGapFrames(1.0)).toBe(2);
    expect(maxMergedGapFrames(1.44)).toBe(2);
  });
});
