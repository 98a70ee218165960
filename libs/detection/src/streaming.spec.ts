import { describe, expect, it } from 'vitest';
import { frame, randomChunks, rng } from '../test/support';
import { referenceDetect } from '../test/reference';
import { LaughterEventDetector, detectEvents } from './event-detector';
import { validateDetectionSettings, type DetectionSettings } from './settings';
import type { DetectionFrame, FrameScorePoint, LaughterEvent } from './types';

/** Random but valid settings, biased towards small values so merging and splitting happen often. */
function randomSettings(random: () => number): DetectionSettings {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const startThreshold = 0.05 + random() * 0.8;
  const minEventS = random() < 0.3 ? 0 : random() * 2.5;
  return validateDetectionSettings({
    scoreMode: pick(['max', 'sum', 'noisy-or', 'cough-discounted'] as const),
    smoothingMethod: pick(['mean', 'median'] as const),
    smoothingFrames: 1 + Math.floor(random() * 7),
    startThreshold,
    stopThreshold: random() < 0.2 ? startThreshold : startThreshold * random(),
    minEventS,
    mergeGapS: random() < 0.2 ? 0 : random() * 3,
    maxEventS: random() < 0.3 ? 600 : Math.max(1, minEventS) + random() * 5,
  });
}

/** Bursty laughter: on/off stretches, several family classes at once, noise, occasional holes. */
function randomFrames(random: () => number): DetectionFrame[] {
  const frames: DetectionFrame[] = [];
  let index = random() < 0.5 ? 0 : Math.floor(random() * 20000);
  let laughing = false;
  const length = Math.floor(random() * 250);
  for (let i = 0; i < length; i++) {
    if (random() < 0.15) laughing = !laughing;
    if (random() < 0.01) index += 1 + Math.floor(random() * 5); // frames missing from the stream
    const scores: Record<number, number> = {};
    for (let c = 13; c <= 18; c++) {
      scores[c] = laughing && random() < 0.6 ? 0.2 + 0.8 * random() : 0.25 * random() ** 3;
    }
    if (random() < 0.2) scores[42 + Math.floor(random() * 3)] = random(); // cough-like classes

    frames.push(frame(index, scores));
    index += 1;
  }
  return frames;
}

/** Streams the frames in random chunks, moving to a fresh detector via JSON at random points. */
function streamRandomly(
  frames: readonly DetectionFrame[],
  settings: DetectionSettings,
  random: () => number,
  onFrameScore: (p: FrameScorePoint) => void,
): LaughterEvent[] {
  let detector = new LaughterEventDetector(settings, [], { onFrameScore });
  const events: LaughterEvent[] = [];
  for (const chunk of randomChunks(frames, random, 40)) {
    events.push(...detector.push(chunk));
    if (random() < 0.25) {
      const saved = JSON.parse(JSON.stringify(detector.snapshot()));
      detector = LaughterEventDetector.restore(saved, [], { onFrameScore });
    }
  }
  return [...events, ...detector.finish()];
}

describe('streaming equals one-shot (property)', () => {
  it('gives identical events and score series for random scores, settings and chunkings', () => {
    const random = rng(20240611);
    let eventsSeen = 0;
    let splitsSeen = 0;
    for (let trial = 0; trial < 400; trial++) {
      const settings = randomSettings(random);
      const frames = randomFrames(random);
      const wholeSeries: FrameScorePoint[] = [];
      const whole = detectEvents(frames, settings, [], { onFrameScore: (p) => wholeSeries.push(p) });
      for (let chunking = 0; chunking < 3; chunking++) {
        const series: FrameScorePoint[] = [];
        const streamed = streamRandomly(frames, settings, random, (p) => series.push(p));
        expect(streamed, `trial ${trial} chunking ${chunking}`).toEqual(whole);
        expect(series).toEqual(wholeSeries);
      }
      expect(wholeSeries.map((p) => p.index)).toEqual(frames.map((f) => f.index));
      eventsSeen += whole.length;
      splitsSeen += whole.filter((e, i) => i > 0 && whole[i - 1].lastFrame + 1 === e.firstFrame).length;
    }
    // The generator must actually exercise the interesting paths.
    expect(eventsSeen).toBeGreaterThan(1000);
    expect(splitsSeen).toBeGreaterThan(20);
  });
});

describe('agreement with an independent whole-array implementation (property)', () => {
  it('finds the same events with the same statistics', () => {
    const random = rng(99);
    for (let trial = 0; trial < 400; trial++) {
      const settings = randomSettings(random);
      const frames = randomFrames(random);
      const actual = detectEvents(frames, settings);
      const expected = referenceDetect(frames, settings);
      const context = `trial ${trial}: ${JSON.stringify(settings)}`;
      expect(actual.map((e) => [e.firstFrame, e.lastFrame]), context).toEqual(expected.map((e) => [e.firstFrame, e.lastFrame]));
      actual.forEach((e, k) => {
        const r = expected[k];
        expect(e.startS).toBeCloseTo(r.startS, 9);
        expect(e.endS).toBeCloseTo(r.endS, 9);
        expect(e.peakS).toBeCloseTo(r.peakS, 9);
        expect(e.probability).toBeCloseTo(r.probability, 9);
        expect(e.meanProbability).toBeCloseTo(r.meanProbability, 9);
        expect(e.classId).toBe(r.classId);
        expect(e.frameCount).toBe(r.frameCount);
      });
    }
  });
});

describe('event invariants (property)', () => {
  it('returns ordered, non-overlapping events within the length limits', () => {
    const random = rng(5);
    for (let trial = 0; trial < 300; trial++) {
      const settings = randomSettings(random);
      const events = detectEvents(randomFrames(random), settings);
      events.forEach((e, k) => {
        expect(e.endS - e.startS).toBeCloseTo(e.frameCount * 0.48, 9);
        expect(e.endS - e.startS).toBeLessThanOrEqual(settings.maxEventS + 1e-9);
        expect(e.peakS).toBeGreaterThan(e.startS);
        expect(e.peakS).toBeLessThan(e.endS);
        expect(e.meanProbability).toBeLessThanOrEqual(e.probability + 1e-12);
        expect(e.probability).toBeGreaterThanOrEqual(settings.stopThreshold);
        if (k > 0) expect(e.startS).toBeGreaterThanOrEqual(events[k - 1].endS);
        // Independent events are separated by at least the merge gap; closer ones can only be
        // pieces of a split laugh, which need not reach the start level or the minimum alone.
        const close = (a?: LaughterEvent, b?: LaughterEvent) => {
          if (!a || !b) return false;
          const pause = b.firstFrame - a.lastFrame - 1;
          return pause === 0 || pause * 0.48 < settings.mergeGapS - 1e-9;
        };
        const pieceOfSplit = close(events[k - 1], e) || close(e, events[k + 1]);
        if (!pieceOfSplit) {
          expect(e.probability, `trial ${trial} event ${k}`).toBeGreaterThanOrEqual(settings.startThreshold);
          expect(e.frameCount * 0.48, `trial ${trial} event ${k}`).toBeGreaterThanOrEqual(settings.minEventS - 1e-9);
        }
      });
    }
  });
});

describe('bounded memory', () => {
  it('keeps only a window of frames in its state however long the stream is', () => {
    const detector = new LaughterEventDetector({ smoothingFrames: 5, mergeGapS: 3, maxEventS: 10, startThreshold: 0.3 });
    const random = rng(3);
    let largest = 0;
    for (let batch = 0; batch < 200; batch++) {
      detector.push(
        Array.from({ length: 50 }, (_, k) => frame(batch * 50 + k, { 13: random() < 0.5 ? 0.9 : 0.05 })),
      );
      largest = Math.max(largest, JSON.stringify(detector.snapshot()).length);
    }
    // 10 000 frames went through; the state stays at a few frames' worth (smoothing 5 + gap 6).
    expect(largest).toBeLessThan(5000);
  });
});
