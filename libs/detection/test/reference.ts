/**
 * A deliberately naive, whole-array implementation of the documented detection rules, written
 * independently of the streaming state machine. The property tests compare the two, so a bug
 * would have to be made twice, in two different shapes, to go unnoticed.
 */
import type { DetectionSettings } from '../src/settings';
import type { DetectionFrame } from '../src/types';

const FAMILY = [13, 14, 15, 16, 17, 18];
const HOP = 0.48;

export interface ReferenceEvent {
  firstFrame: number;
  lastFrame: number;
  startS: number;
  endS: number;
  peakS: number;
  probability: number;
  meanProbability: number;
  classId: number;
  frameCount: number;
}

function combine(family: number[], mode: DetectionSettings['scoreMode'], cough: number): number {
  if (mode === 'max') return Math.max(0, ...family);
  if (mode === 'cough-discounted') return Math.max(0, Math.max(0, ...family) - cough);
  if (mode === 'sum') return Math.min(1, family.reduce((a, b) => a + b, 0));
  return 1 - family.reduce((a, p) => a * (1 - p), 1);
}

function smoothAll(raw: number[], n: number, method: DetectionSettings['smoothingMethod']): number[] {
  const before = Math.floor((n - 1) / 2);
  const after = n - 1 - before;
  return raw.map((_, i) => {
    const w = raw.slice(Math.max(0, i - before), Math.min(raw.length, i + after + 1));
    if (method === 'mean') return w.reduce((a, b) => a + b, 0) / w.length;
    const s = [...w].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  });
}

/** Contiguous stretches of indices; a missing index starts a new, independent recording. */
function contiguousRuns(frames: readonly DetectionFrame[]): DetectionFrame[][] {
  const runs: DetectionFrame[][] = [];
  for (const f of frames) {
    const last = runs.at(-1);
    if (last && last.at(-1)!.index + 1 === f.index) last.push(f);
    else runs.push([f]);
  }
  return runs;
}

export function referenceDetect(frames: readonly DetectionFrame[], s: DetectionSettings): ReferenceEvent[] {
  return contiguousRuns(frames).flatMap((run) => detectContiguous(run, s));
}

function detectContiguous(frames: readonly DetectionFrame[], s: DetectionSettings): ReferenceEvent[] {
  const fam = frames.map((f) => FAMILY.map((c) => f.scores[c]));
  // cough-discounted: the strongest cough-like score within ±2 frames of the same contiguous run.
  const ownCough = frames.map((f) => Math.max(f.scores[42], f.scores[43], f.scores[44]));
  const cough = ownCough.map((_, i) => Math.max(...ownCough.slice(Math.max(0, i - 2), i + 3)));
  const smooth = smoothAll(fam.map((f, i) => combine(f, s.scoreMode, cough[i])), s.smoothingFrames, s.smoothingMethod);

  // Hysteresis: active positions.
  const active: boolean[] = [];
  let on = false;
  for (const v of smooth) {
    on = on ? v >= s.stopThreshold : v >= s.startThreshold;
    active.push(on);
  }
  // Maximal runs of active positions.
  const runs: [number, number][] = [];
  active.forEach((a, i) => {
    if (!a) return;
    const last = runs.at(-1);
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  });
  // Merge runs whose pause (silent frames × 0.48 s) is shorter than the merge gap.
  const merged: [number, number][][] = [];
  for (const r of runs) {
    const group = merged.at(-1);
    const pauseS = group ? (r[0] - group.at(-1)![1] - 1) * HOP : Infinity;
    if (group && pauseS < s.mergeGapS - 1e-9) group.push(r);
    else merged.push([r]);
  }
  const out: ReferenceEvent[] = [];
  for (const group of merged) {
    const first = group[0][0];
    const last = group.at(-1)![1];
    if ((last - first + 1) * HOP < s.minEventS - 1e-9) continue;
    // Split: walk the active frames; a piece may not span more than maxEventS.
    const activeIdx = group.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, k) => a + k));
    let pieceStart = activeIdx[0];
    let prev = activeIdx[0];
    const pieces: [number, number][] = [];
    for (const j of activeIdx.slice(1)) {
      if ((j - pieceStart + 1) * HOP > s.maxEventS + 1e-9) {
        pieces.push([pieceStart, prev]);
        pieceStart = j;
      }
      prev = j;
    }
    pieces.push([pieceStart, prev]);
    for (const [a, b] of pieces) {
      let peak = -1;
      let peakAt = a;
      let sum = 0;
      const classSums = FAMILY.map(() => 0);
      for (let i = a; i <= b; i++) {
        sum += smooth[i];
        if (smooth[i] > peak) [peak, peakAt] = [smooth[i], i];
        fam[i].forEach((p, c) => (classSums[c] += p));
      }
      const best = classSums.indexOf(Math.max(...classSums));
      const ia = frames[a].index;
      const ib = frames[b].index;
      out.push({
        firstFrame: ia,
        lastFrame: ib,
        startS: ia * HOP + 0.24,
        endS: ib * HOP + 0.72,
        peakS: frames[peakAt].index * HOP + 0.48,
        probability: peak,
        meanProbability: sum / (b - a + 1),
        classId: FAMILY[best],
        frameCount: b - a + 1,
      });
    }
  }
  return out;
}
