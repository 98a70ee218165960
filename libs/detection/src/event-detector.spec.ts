import { describe, expect, it } from 'vitest';
import { frame, laughFrames } from '../test/support';
import { LaughterEventDetector, detectEvents } from './event-detector';
import type { DetectionSettingsInput } from './settings';
import type { FrameScorePoint, LaughterEvent } from './types';

/**
 * No smoothing, no merging, no minimum: each rule is switched on by the test that exercises it.
 * Scores are binary fractions (0.5, 0.25, ...) so float32 storage and averages are exact.
 */
const PLAIN: DetectionSettingsInput = {
  scoreMode: 'max',
  smoothingFrames: 1,
  startThreshold: 0.5,
  stopThreshold: 0.25,
  minEventS: 0,
  mergeGapS: 0,
  maxEventS: 600,
};

function spans(events: readonly LaughterEvent[]): [number, number][] {
  return events.map((e) => [e.firstFrame, e.lastFrame]);
}

function detect(values: number[], settings: DetectionSettingsInput = {}): LaughterEvent[] {
  return detectEvents(laughFrames(values), { ...PLAIN, ...settings });
}

describe('thresholds and hysteresis', () => {
  it('turns a single frame above the start threshold into an event with full details', () => {
    const events = detectEvents(laughFrames([0, 0, 0.75, 0, 0]), PLAIN, ['x', 'y']);
    expect(events).toEqual([
      {
        startS: 1.2, // 2 * 0.48 + 0.24
        endS: 1.68, // 2 * 0.48 + 0.72
        peakS: 1.44,
        probability: 0.75,
        meanProbability: 0.75,
        classId: 13,
        className: 'Laughter', // not in the given class map: built-in name
        frameCount: 1,
        firstFrame: 2,
        lastFrame: 2,
      },
    ]);
  });

  it('finds nothing in silence or below the start threshold', () => {
    expect(detect([0, 0, 0])).toEqual([]);
    expect(detect([0.375, 0.4375, 0.375])).toEqual([]);
    expect(detect([])).toEqual([]);
  });

  it('starts at exactly the start threshold and continues at exactly the stop threshold', () => {
    expect(spans(detect([0, 0.5, 0.25, 0.25, 0.125]))).toEqual([[1, 3]]);
  });

  it('keeps one event through a dip between stop and start (hysteresis)', () => {
    expect(spans(detect([0.75, 0.375, 0.3125, 0.75]))).toEqual([[0, 3]]);
  });

  it('ends an event at the first frame below stop, and needs the start level to begin again', () => {
    // Frame 2 drops below stop; frame 3 (between stop and start) cannot restart; frame 4 does.
    expect(spans(detect([0.75, 0.75, 0.125, 0.375, 0.75]))).toEqual([
      [0, 1],
      [4, 4],
    ]);
  });

  it('behaves as a single threshold when stop equals start', () => {
    expect(spans(detect([0.75, 0.375, 0.75], { stopThreshold: 0.5 }))).toEqual([
      [0, 0],
      [2, 2],
    ]);
  });
});

describe('merging across pauses', () => {
  // Pauses are whole frames of 0.48 s: 2 silent frames = 0.96 s.
  const twoFramePause = [0.75, 0, 0, 0.75];

  it('merges a pause just under the merge gap', () => {
    const events = detect(twoFramePause, { mergeGapS: 0.97 });
    expect(spans(events)).toEqual([[0, 3]]);
    // The pause frames count in the event's length and mean.
    expect(events[0].frameCount).toBe(4);
    expect(events[0].meanProbability).toBe(0.375);
    expect(events[0].endS - events[0].startS).toBeCloseTo(4 * 0.48, 9);
  });

  it('does not merge a pause equal to or just over the merge gap', () => {
    expect(spans(detect(twoFramePause, { mergeGapS: 0.96 }))).toEqual([
      [0, 0],
      [3, 3],
    ]);
    expect(spans(detect([0.75, 0, 0, 0, 0.75], { mergeGapS: 1.0 }))).toEqual([
      [0, 0],
      [4, 4],
    ]);
  });

  it('merges chains of laughs', () => {
    expect(spans(detect([0.75, 0, 0.75, 0, 0, 0.75, 0, 0, 0, 0.75], { mergeGapS: 1.0 }))).toEqual([
      [0, 5],
      [9, 9],
    ]);
  });

  it('does not let a frame between stop and start inside a pause restart the event', () => {
    // Frame 2 is 0.375: above stop but the run already ended at frame 1, so it is pause.
    const events = detect([0.75, 0.125, 0.375, 0.75], { mergeGapS: 1.0 });
    expect(spans(events)).toEqual([[0, 3]]);
    expect(events[0].probability).toBe(0.75);
  });
});

describe('minimum event length', () => {
  it('keeps events just at the minimum and drops those just under', () => {
    // Two frames last 0.96 s.
    expect(spans(detect([0.75, 0.75, 0, 0.75], { minEventS: 0.96 }))).toEqual([[0, 1]]);
    expect(spans(detect([0.75, 0.75, 0, 0.75, 0.75, 0.75], { minEventS: 0.97 }))).toEqual([[3, 5]]);
  });

  it('keeps single frames with the default minimum (0.3 s < one 0.48 s frame)', () => {
    expect(spans(detect([0, 0.75, 0], { minEventS: 0.3 }))).toEqual([[1, 1]]);
  });

  it('applies after merging: two short laughs with a short pause make one long enough', () => {
    expect(spans(detect([0.75, 0, 0.75], { minEventS: 1.4, mergeGapS: 0.5 }))).toEqual([[0, 2]]);
    expect(spans(detect([0.75, 0, 0.75], { minEventS: 1.4, mergeGapS: 0.48 }))).toEqual([]);
  });
});

describe('recording edges', () => {
  it('reports events that touch the first and last frame', () => {
    const events = detect([0.75, 0.75, 0, 0, 0, 0.5]);
    expect(spans(events)).toEqual([
      [0, 1],
      [5, 5],
    ]);
    expect(events[0].startS).toBe(0.24);
    expect(events[1].endS).toBe(5 * 0.48 + 0.72);
  });

  it('reports an event that is still open when the stream ends only on finish', () => {
    const detector = new LaughterEventDetector({ ...PLAIN, mergeGapS: 1.0 });
    expect(detector.push(laughFrames([0, 0.75, 0.75, 0]))).toEqual([]);
    expect(spans(detector.finish())).toEqual([[1, 2]]);
  });

  it('uses the frame index for time, so a stream may start mid-recording', () => {
    const events = detectEvents(laughFrames([0.75], 13, 15000), PLAIN);
    expect(events[0].startS).toBe(7200.24);
    expect(events[0].firstFrame).toBe(15000);
  });
});

describe('maximum event length', () => {
  it('splits continuous laughter into pieces of at most maxEventS', () => {
    // 1.92 s = 4 frames.
    const events = detect(Array(10).fill(0.75), { maxEventS: 1.92 });
    expect(spans(events)).toEqual([
      [0, 3],
      [4, 7],
      [8, 9],
    ]);
    expect(events.every((e) => e.endS - e.startS <= 1.92 + 1e-9)).toBe(true);
    // Pieces tile the laugh with no overlap.
    expect(events[1].startS).toBe(events[0].endS);
  });

  it('ends a piece at its last laughing frame: a pause at the cut belongs to neither piece', () => {
    // Limit 4 frames: frame 4 would make the piece 5 long, and frame 3 is a pause.
    const values = [0.75, 0.75, 0.75, 0, 0.75, 0.75, 0.75];
    expect(spans(detect(values, { maxEventS: 1.92, mergeGapS: 1.0 }))).toEqual([
      [0, 2],
      [4, 6],
    ]);
    // Without the limit the pause is merged into a single event.
    expect(spans(detect(values, { mergeGapS: 1.0 }))).toEqual([[0, 6]]);
  });

  it('keeps a short final piece even below the minimum: the laugh as a whole is long', () => {
    const events = detect(Array(5).fill(0.75), { maxEventS: 1.92, minEventS: 1.0 });
    expect(spans(events)).toEqual([
      [0, 3],
      [4, 4],
    ]);
  });

  it('emits each piece as soon as it is complete', () => {
    // 1.44 s = 3 frames.
    const detector = new LaughterEventDetector({ ...PLAIN, maxEventS: 1.44 });
    expect(spans(detector.push(laughFrames([0.75, 0.75, 0.75])))).toEqual([]);
    expect(spans(detector.push(laughFrames([0.75], 13, 3)))).toEqual([[0, 2]]);
    expect(spans(detector.finish())).toEqual([[3, 3]]);
  });
});

describe('cough-discounted score mode', () => {
  it('discounts laughter by the strongest cough score within ±2 frames', () => {
    const settings = { ...PLAIN, scoreMode: 'cough-discounted' as const, startThreshold: 0.1, stopThreshold: 0.1 };
    const scores: number[] = [];
    const frames = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => frame(i, { 13: 0.5, 42: i === 4 ? 0.25 : 0, 43: i === 8 ? 0.125 : 0 }));
    detectEvents(frames, settings, [], { onFrameScore: (p) => scores.push(p.raw) });
    expect(scores).toEqual([0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.375, 0.375]);
  });

  it('uses no cough context with a custom frame scorer', () => {
    const frames = [frame(0, { 13: 0.5 }), frame(1, { 42: 0.9 })];
    const scores: number[] = [];
    detectEvents(frames, { ...PLAIN, scoreMode: 'cough-discounted' }, [], {
      frameScorer: (s) => s[13],
      onFrameScore: (p) => scores.push(p.raw),
    });
    expect(scores).toEqual([0.5, 0]);
  });

  it('drops a frame YAMNet also calls a cough and keeps laughter that is not', () => {
    const frames = [
      frame(0, { 13: 0.5, 42: 0.625 }), // a cough with some laughter score: 0.5 - 0.625 → 0
      frame(1),
      frame(2),
      frame(3),
      frame(4),
      frame(5, { 13: 0.5, 42: 0.125 }), // laughter with a trace of cough: 0.375
    ];
    expect(detectEvents(frames, { ...PLAIN, startThreshold: 0.25, scoreMode: 'max' }).map((e) => e.firstFrame)).toEqual([0, 5]);
    const events = detectEvents(frames, { ...PLAIN, startThreshold: 0.25, scoreMode: 'cough-discounted' });
    expect(events.map((e) => e.firstFrame)).toEqual([5]);
    expect(events[0].probability).toBeCloseTo(0.375, 6);
  });
});

describe('several laughter classes at once', () => {
  // Three classes at 0.25 each: max 0.25, noisy-or 1 - 0.75^3 = 0.578, sum 0.75.
  const chorus = [frame(0, { 13: 0.25, 15: 0.25, 18: 0.25 })];

  it('max ignores agreement between classes; sum and noisy-or count it', () => {
    expect(detectEvents(chorus, { ...PLAIN, scoreMode: 'max' })).toEqual([]);
    const [nor] = detectEvents(chorus, { ...PLAIN, scoreMode: 'noisy-or' });
    const [sum] = detectEvents(chorus, { ...PLAIN, scoreMode: 'sum' });
    expect(nor.probability).toBeCloseTo(1 - 0.75 ** 3, 12);
    expect(sum.probability).toBe(0.75);
  });

  it('clamps the summed score to 1', () => {
    const [event] = detectEvents([frame(0, { 13: 0.75, 14: 0.5, 17: 0.5 })], { ...PLAIN, scoreMode: 'sum' });
    expect(event.probability).toBe(1);
  });

  it('names the class with the highest summed score, not the highest peak', () => {
    // Giggle peaks once at 0.875; Chuckle holds 0.5 for three frames (1.5 > 0.875 + 0.25 * 2).
    const frames = [
      frame(0, { 15: 0.875, 18: 0.5 }),
      frame(1, { 15: 0.25, 18: 0.5 }),
      frame(2, { 15: 0.25, 18: 0.5 }),
    ];
    const names = Array.from({ length: 521 }, (_, i) => `class-${i}`);
    const [event] = detectEvents(frames, PLAIN, names);
    expect(event.classId).toBe(18);
    expect(event.className).toBe('class-18');
    expect(event.peakS).toBe(0.48);
  });

  it('breaks ties in favour of the lower class id', () => {
    const [event] = detectEvents([frame(0, { 14: 0.75, 16: 0.75 })], PLAIN);
    expect(event.classId).toBe(14);
    expect(event.className).toBe('Baby laughter');
  });
});

describe('smoothing', () => {
  it('shrinks the window at the recording edges instead of padding with zeros', () => {
    // A mean of 3 over one spike: inside, 0.75 / 3 = 0.25; at either edge, 0.75 / 2 = 0.375.
    const settings = { smoothingFrames: 3, startThreshold: 0.3125, stopThreshold: 0.3125 };
    expect(spans(detect([0, 0, 0.75, 0, 0], settings))).toEqual([]);
    const edges = detect([0.75, 0, 0, 0, 0.75], settings);
    expect(spans(edges)).toEqual([
      [0, 0],
      [4, 4],
    ]);
    expect(edges.map((e) => e.probability)).toEqual([0.375, 0.375]);
  });

  it('removes one-frame spikes and dips with the median', () => {
    const settings = { smoothingFrames: 3, smoothingMethod: 'median' as const };
    expect(detect([0, 0, 0.75, 0, 0], settings)).toEqual([]);
    expect(spans(detect([0, 0, 0.75, 0.75, 0, 0.75, 0.75, 0, 0], settings))).toEqual([[2, 6]]);
  });

  it('does not shift events in time (the window is centred)', () => {
    const events = detect([0, 0, 0, 0.75, 0.75, 0.75, 0, 0, 0], { smoothingFrames: 3, startThreshold: 0.5, stopThreshold: 0.5 });
    expect(spans(events)).toEqual([[3, 5]]);
  });

  it('reports the smoothed timeline once per frame, half a window late, rest on finish', () => {
    const points: FrameScorePoint[] = [];
    const detector = new LaughterEventDetector({ ...PLAIN, smoothingFrames: 5 }, [], { onFrameScore: (p) => points.push(p) });
    detector.push(laughFrames([0.25, 0.5, 0.75]));
    expect(points.map((p) => p.index)).toEqual([0]);
    detector.push(laughFrames([1, 0.5], 13, 3));
    expect(points.map((p) => p.index)).toEqual([0, 1, 2]);
    detector.finish();
    expect(points).toEqual([
      { index: 0, timeS: 0.48, raw: 0.25, smoothed: 0.5 },
      { index: 1, timeS: 0.96, raw: 0.5, smoothed: 0.625 },
      { index: 2, timeS: 1.44, raw: 0.75, smoothed: 0.6 },
      { index: 3, timeS: 1.92, raw: 1, smoothed: 0.6875 },
      { index: 4, timeS: 2.4, raw: 0.5, smoothed: 0.75 },
    ]);
  });
});

describe('streaming', () => {
  it('returns an event only once the merge gap has passed without another laugh', () => {
    const detector = new LaughterEventDetector({ ...PLAIN, mergeGapS: 1.0 });
    expect(detector.push(laughFrames([0.75, 0.75, 0, 0]))).toEqual([]);
    // The third silent frame makes the pause 1.44 s ≥ 1.0 s: nothing can join any more.
    expect(spans(detector.push(laughFrames([0], 13, 4)))).toEqual([[0, 1]]);
    expect(detector.finish()).toEqual([]);
  });

  it('delays by two more frames in cough-discounted mode (the cough context after a frame)', () => {
    const detector = new LaughterEventDetector({ ...PLAIN, scoreMode: 'cough-discounted', mergeGapS: 1.0 });
    expect(detector.push(laughFrames([0.75, 0.75, 0, 0, 0, 0]))).toEqual([]);
    // Frame 4 (the third silent one) is settled once frame 6 is in.
    expect(spans(detector.push(laughFrames([0], 13, 6)))).toEqual([[0, 1]]);
    expect(detector.finish()).toEqual([]);
  });

  it('delays by the smoothing window as well', () => {
    const detector = new LaughterEventDetector({ ...PLAIN, smoothingFrames: 5, startThreshold: 0.25, stopThreshold: 0.25 });
    // Smoothed [0.25, 0.1875, 0.15, 0, ...]: the event is frame 0 alone and ends when frame 1's
    // smoothed value is known, which needs frame 3.
    expect(detector.push(laughFrames([0.75, 0, 0]))).toEqual([]);
    expect(spans(detector.push(laughFrames([0], 13, 3)))).toEqual([[0, 0]]);
  });

  it('gives an event crossing a chunk boundary whole', () => {
    const values = [0, 0, 0.75, 0.75, 0.5, 0.75, 0.75, 0, 0, 0];
    const settings = { ...PLAIN, smoothingFrames: 3, stopThreshold: 0.375, mergeGapS: 1.0 };
    const oneShot = detectEvents(laughFrames(values), settings);
    const detector = new LaughterEventDetector(settings);
    const frames = laughFrames(values);
    const chunked = [...detector.push(frames.slice(0, 4)), ...detector.push(frames.slice(4)), ...detector.finish()];
    expect(spans(oneShot)).toEqual([[2, 6]]);
    expect(chunked).toEqual(oneShot);
  });

  it('continues from a JSON snapshot in another detector', () => {
    const settings = { ...PLAIN, smoothingFrames: 3, mergeGapS: 1.0 };
    const frames = laughFrames([0.75, 0.75, 0, 0.75, 0.75, 0.75, 0, 0, 0, 0.75]);
    const first = new LaughterEventDetector(settings);
    const before = first.push(frames.slice(0, 4));
    const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
    const second = LaughterEventDetector.restore(snapshot);
    const after = [...second.push(frames.slice(4)), ...second.finish()];
    expect([...before, ...after]).toEqual(detectEvents(frames, settings));
    expect(second.settings).toEqual(first.settings);
  });

  it('refuses a snapshot of another version', () => {
    const snapshot = { ...new LaughterEventDetector().snapshot(), version: 3 };
    expect(() => LaughterEventDetector.restore(snapshot as never)).toThrow(/version 3/);
    expect(() => LaughterEventDetector.restore({ ...snapshot, version: 0 } as never)).toThrow(/version 0/);
  });

  it('restores a version 1 snapshot (no cough context yet) and carries on', () => {
    const settings = { ...PLAIN, scoreMode: 'max' as const, smoothingFrames: 3, mergeGapS: 1.0 };
    const frames = laughFrames([0.75, 0.75, 0, 0.75, 0.75, 0.75, 0, 0, 0, 0.75]);
    const first = new LaughterEventDetector(settings);
    const before = first.push(frames.slice(0, 4));
    const { context: _context, ...rest } = first.snapshot();
    const v1 = JSON.parse(JSON.stringify({ ...rest, version: 1 }));
    const second = LaughterEventDetector.restore(v1);
    expect([...before, ...second.push(frames.slice(4)), ...second.finish()]).toEqual(detectEvents(frames, settings));
  });

  it('carries the cough context across a snapshot', () => {
    const settings = { ...PLAIN, scoreMode: 'cough-discounted' as const, startThreshold: 0.25, smoothingFrames: 1 };
    // A cough at frame 5 silences the laughter-like frames 3..7 around it; frame 0 and 9 stay.
    const frames = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => frame(i, { 13: 0.5, 42: i === 5 ? 0.75 : 0 }));
    const oneShot = detectEvents(frames, settings);
    expect(spans(oneShot)).toEqual([[0, 2], [8, 9]]);
    for (let cut = 1; cut < frames.length; cut++) {
      const first = new LaughterEventDetector(settings);
      const before = first.push(frames.slice(0, cut));
      const second = LaughterEventDetector.restore(JSON.parse(JSON.stringify(first.snapshot())));
      expect([...before, ...second.push(frames.slice(cut)), ...second.finish()]).toEqual(oneShot);
    }
  });

  it('can be reused after finish', () => {
    const detector = new LaughterEventDetector(PLAIN);
    const frames = laughFrames([0, 0.75, 0]);
    const first = [...detector.push(frames), ...detector.finish()];
    const second = [...detector.push(frames), ...detector.finish()];
    expect(second).toEqual(first);
    expect(first).toHaveLength(1);
  });

  it('treats missing frames as the end of one stream and the start of another', () => {
    // With a 1 s merge gap, frames 2 and 4 would merge if 3 had been heard; it was not.
    const frames = [...laughFrames([0, 0, 0.75]), ...laughFrames([0.75, 0], 13, 4)];
    expect(spans(detectEvents(frames, { ...PLAIN, mergeGapS: 1.0 }))).toEqual([
      [2, 2],
      [4, 4],
    ]);
    // Smoothing does not reach across the hole either: frame 2 and 4 are each at a stream edge.
    const smoothed = detectEvents(frames, { ...PLAIN, smoothingFrames: 3, startThreshold: 0.375, stopThreshold: 0.375 });
    expect(smoothed.map((e) => [e.firstFrame, e.probability])).toEqual([
      [2, 0.375],
      [4, 0.375],
    ]);
  });
});

describe('input checks', () => {
  it('refuses decreasing or repeated indices and leaves the detector untouched', () => {
    const detector = new LaughterEventDetector(PLAIN);
    detector.push(laughFrames([0.75, 0.75]));
    expect(() => detector.push([frame(2, { 13: 0.75 }), frame(2, { 13: 0.75 })])).toThrow(/must increase: 2 after 2/);
    expect(() => detector.push([frame(1)])).toThrow(/must increase: 1 after 1/);
    expect(() => detector.push([frame(-1)])).toThrow(/non-negative integer/);
    // The failed batches changed nothing: frame 2 still continues the event.
    detector.push(laughFrames([0.75], 13, 2));
    expect(spans(detector.finish())).toEqual([[0, 2]]);
  });

  it('refuses frames with too few class scores', () => {
    const detector = new LaughterEventDetector(PLAIN);
    expect(() => detector.push([{ index: 0, scores: new Float32Array(10) }])).toThrow(/10 class scores/);
  });

  it('refuses invalid settings at construction', () => {
    expect(() => new LaughterEventDetector({ startThreshold: 0.2, stopThreshold: 0.4 })).toThrow(/stopThreshold/);
  });

  it('accepts any iterable of frames', () => {
    function* generate() {
      yield* laughFrames([0, 0.75, 0]);
    }
    expect(spans(detectEvents(generate(), PLAIN))).toEqual([[1, 1]]);
  });
});

describe('custom frame scorer', () => {
  it('replaces the family combination, and can read the embedding', () => {
    const frames = [0, 1, 2, 3].map((i) => frame(i, { 15: 0.125 }, new Float32Array(1024).fill(i === 1 || i === 2 ? 0.875 : 0)));
    const events = detectEvents(frames, PLAIN, [], { frameScorer: (_scores, embedding) => embedding?.[0] ?? 0 });
    expect(spans(events)).toEqual([[1, 2]]);
    expect(events[0].probability).toBe(0.875);
    // The class is still named from YAMNet's family scores.
    expect(events[0].className).toBe('Giggle');
  });

  it('leaves the detector untouched when the scorer fails', () => {
    const detector = new LaughterEventDetector(PLAIN, [], { frameScorer: (s) => (s[13] < 0 ? Number.NaN : s[13]) });
    const events = detector.push(laughFrames([0.75]));
    expect(() => detector.push([frame(1, { 13: 0.75 }), frame(2, { 13: -1 })])).toThrow(/NaN/);
    events.push(...detector.push(laughFrames([0.75, 0], 13, 1)), ...detector.finish());
    expect(spans(events)).toEqual([[0, 1]]);
  });
});
