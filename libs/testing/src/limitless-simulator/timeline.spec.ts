import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOpusRecording } from './recording';
import { evalRecording } from './test-recordings';
import { oggFilesIn, placeBackToBack, Timeline } from './timeline';

const T0 = Date.UTC(2025, 2, 1);

describe('Timeline', () => {
  it('places a directory back to back, cycling, until the hours are filled', () => {
    const t = new Timeline();
    const dir = dirname(evalRecording('long_d1'));
    const files = oggFilesIn(dir);
    expect(files.map((f) => f.split('/').pop())).toEqual(['long_d1.ogg', 'long_d2.ogg']);
    const placed = placeBackToBack(t, files, T0, 1);
    expect(placed).toHaveLength(6);
    expect(placed.map((p) => p.startMs - T0)).toEqual([0, 1, 2, 3, 4, 5].map((i) => i * 600_000));
    expect(placed.map((p) => p.recording.path.split('/').pop())).toEqual([
      'long_d1.ogg',
      'long_d2.ogg',
      'long_d1.ogg',
      'long_d2.ogg',
      'long_d1.ogg',
      'long_d2.ogg',
    ]);
    expect(t.overlapping(T0 + 599_999, T0 + 600_001)).toHaveLength(2);
    expect(t.overlapping(T0 + 3_600_000, T0 + 4_000_000)).toHaveLength(0);
  });

  it('leaves gaps when asked and rejects overlapping placements', () => {
    const t = new Timeline();
    const placed = placeBackToBack(t, [evalRecording('long_d1')], T0, 0.5, 60_000);
    expect(placed.map((p) => p.startMs - T0)).toEqual([0, 660_000, 1_320_000]);
    expect(() => t.add(T0 + 300_000, loadOpusRecording(evalRecording('long_d2')))).toThrow(/overlaps/);
    expect(t.overlapping(T0 + 600_000, T0 + 660_000)).toHaveLength(0);
  });
});
