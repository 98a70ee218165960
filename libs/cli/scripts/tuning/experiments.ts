/**
 * Experiments behind the README's "Tuning" section that the settings grid cannot express:
 *
 * - the width of the cough context of `cough-discounted` (a constant in @giggles/detection);
 * - a learned head (logistic regression on YAMNet's 1024-d embeddings), evaluated honestly.
 *
 * Both produce a per-frame laughter score; it is put into class 13 of otherwise silent frames and
 * run through the real detector in `max` mode, so the event logic is exactly the shipped one.
 */
import { COUGH_CLASS_IDS, detectEvents, type DetectionFrame, type DetectionSettings, LAUGHTER_CLASS_IDS, validateDetectionSettings } from '@giggles/detection';
import { EMBEDDING_SIZE, NUM_CLASSES } from '@giggles/yamnet';
import { addCounts, eventFigures, type Interval, matchEvents, type MatchCounts, timeFigures } from './event-score';
import { type CachedRecording } from './frame-cache';

export interface ScoredRecording {
  rec: CachedRecording;
  truth: Interval[];
  /** Inserted pieces (`<name>_segments.csv`): start, end, source clip. */
  segments: { startS: number; endS: number; source: string }[];
}

const f3 = (x: number) => x.toFixed(3);

function syntheticFrames(raw: Float64Array | number[]): DetectionFrame[] {
  return Array.from(raw, (v, index) => {
    const scores = new Float32Array(NUM_CLASSES);
    scores[13] = v;
    return { index, scores };
  });
}

interface Outcome {
  settings: DetectionSettings;
  perFile: MatchCounts[];
}

/** Best settings of a small grid for the given per-frame scores, with the same time-precision floor. */
function bestOf(raws: (Float64Array | number[])[], recs: readonly ScoredRecording[], thresholds: number[], floor: number, only?: number[]): Outcome | undefined {
  const frames = raws.map(syntheticFrames);
  let best: { f1: number; outcome: Outcome } | undefined;
  const files = only ?? recs.map((_, i) => i);
  for (const smoothingFrames of [1, 3, 5])
    for (const startThreshold of thresholds)
      for (const ratio of [1, 0.5])
        for (const minEventS of [0.3, 1])
          for (const mergeGapS of [1, 2, 3]) {
            const settings = validateDetectionSettings({ scoreMode: 'max', smoothingFrames, startThreshold, stopThreshold: startThreshold * ratio, minEventS, mergeGapS });
            const perFile = recs.map((r, i) => matchEvents(r.truth, detectEvents(frames[i], settings).map((e) => [e.startS, e.endS] as const)));
            const sel = addCounts(files.map((i) => perFile[i]));
            if (timeFigures(sel).precision < floor) continue;
            const f1 = eventFigures(sel).f1;
            if (!best || f1 > best.f1) best = { f1, outcome: { settings, perFile } };
          }
  return best?.outcome;
}

function report(label: string, raws: (Float64Array | number[])[], recs: readonly ScoredRecording[], thresholds: number[], floor: number): void {
  const all = bestOf(raws, recs, thresholds, floor);
  if (!all) {
    console.log(`  ${label}: nothing above the time-precision floor`);
    return;
  }
  const pooled = eventFigures(addCounts(all.perFile));
  const s = all.settings;
  const loo = recs.map((_, k) => {
    const tuned = bestOf(raws, recs, thresholds, floor, recs.map((_, i) => i).filter((i) => i !== k));
    return tuned ? f3(eventFigures(tuned.perFile[k]).f1) : '-';
  });
  console.log(
    `  ${label.padEnd(22)} best pooled F1 ${f3(pooled.f1)} (P ${f3(pooled.precision)} R ${f3(pooled.recall)}; ` +
      `smoothing ${s.smoothingFrames}, start ${s.startThreshold}, stop ${s.stopThreshold}, min ${s.minEventS}, gap ${s.mergeGapS}) ` +
      `| held out: ${recs.map((r, k) => `${r.rec.name} ${loo[k]}`).join(', ')}`,
  );
}

/** `max` of the family minus the strongest cough-like score within ±k frames. */
export function coughContextExperiment(recs: readonly ScoredRecording[], floor: number): void {
  console.log(`Cough context (laughter − strongest cough within ±k frames; time precision ≥ ${floor}):`);
  const thresholds = [0.01, 0.015, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2];
  for (const k of [0, 1, 2, 3, 4]) {
    const raws = recs.map(({ rec }) => {
      const cough = Array.from({ length: rec.frames }, (_, i) => Math.max(...COUGH_CLASS_IDS.map((c) => rec.scores[i * NUM_CLASSES + c])));
      return Float64Array.from({ length: rec.frames }, (_, i) => {
        const laughter = Math.max(...LAUGHTER_CLASS_IDS.map((c) => rec.scores[i * NUM_CLASSES + c]));
        const near = Math.max(...cough.slice(Math.max(0, i - k), i + k + 1));
        return Math.max(0, laughter - near);
      });
    });
    report(`±${k} frames`, raws, recs, thresholds, floor);
  }
}

/** Frame i's source clip: the inserted piece its patch overlaps most ('gap' between pieces). */
function frameSources(r: ScoredRecording): string[] {
  return Array.from({ length: r.rec.frames }, (_, i) => {
    const a = i * 0.48;
    const b = a + 0.96;
    let best = 0;
    let source = 'gap';
    for (const s of r.segments) {
      const o = Math.min(b, s.endS) - Math.max(a, s.startS);
      if (o > best) {
        best = o;
        source = s.source;
      }
    }
    return source;
  });
}

/** A frame is laughter when its centre region overlaps a truth interval by more than 0.1 s. */
function frameLabels(r: ScoredRecording): boolean[] {
  return Array.from({ length: r.rec.frames }, (_, i) => {
    const a = i * 0.48 + 0.24;
    const b = a + 0.48;
    return r.truth.some(([s, e]) => Math.min(b, e) - Math.max(a, s) > 0.1);
  });
}

/**
 * Class-balanced L2 logistic regression, full batch, Adam, zero start: deterministic. Returns
 * weights (EMBEDDING_SIZE) and bias.
 */
function trainLogistic(x: Float32Array[], y: boolean[], l2: number, iterations = 300): { w: Float64Array; b: number } {
  const n = x.length;
  const d = EMBEDDING_SIZE;
  const positives = y.filter(Boolean).length;
  const posWeight = (n - positives) / Math.max(1, positives);
  const sampleWeight = y.map((p) => (p ? posWeight : 1));
  const meanWeight = sampleWeight.reduce((a, b) => a + b, 0) / n;
  const w = new Float64Array(d);
  let b = 0;
  const m = new Float64Array(d + 1);
  const v = new Float64Array(d + 1);
  const g = new Float64Array(d + 1);
  const lr = 0.05;
  for (let t = 1; t <= iterations; t++) {
    g.fill(0);
    for (let i = 0; i < n; i++) {
      let z = b;
      const xi = x[i];
      for (let j = 0; j < d; j++) z += w[j] * xi[j];
      const p = 1 / (1 + Math.exp(-z));
      const gz = ((p - (y[i] ? 1 : 0)) * sampleWeight[i]) / meanWeight / n;
      for (let j = 0; j < d; j++) g[j] += gz * xi[j];
      g[d] += gz;
    }
    for (let j = 0; j < d; j++) g[j] += (l2 * w[j]) / n;
    for (let j = 0; j <= d; j++) {
      m[j] = 0.9 * m[j] + 0.1 * g[j];
      v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
      const step = (lr * (m[j] / (1 - 0.9 ** t))) / (Math.sqrt(v[j] / (1 - 0.999 ** t)) + 1e-8);
      if (j < d) w[j] -= step;
      else b -= step;
    }
  }
  return { w, b };
}

/**
 * Honest estimate for a learned head. The long recordings are built from the clips, so a head
 * trained on any of a recording's source clips and tested on that recording leaks. Here the source
 * clips are split into `folds` groups; each group's frames (in both recordings) are scored by a
 * head trained on the frames of all other groups, so no clip is ever in its own training data.
 * Frames between pieces ('gap') are scored by a head trained on everything else.
 */
export function headCrossValidation(recs: readonly ScoredRecording[], floor: number, l2Values: number[], folds = 9): void {
  const sources = recs.map(frameSources);
  const labels = recs.map(frameLabels);
  const embeddings = recs.map(({ rec }) => Array.from({ length: rec.frames }, (_, i) => rec.embeddings.subarray(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE)));
  const clips = [...new Set(sources.flat().filter((s) => s !== 'gap'))].sort();
  const foldOf = new Map(clips.map((c, i) => [c, i % folds]));
  console.log(`\nLearned head, ${folds}-fold cross-validation grouped by source clip (${clips.length} clips; time precision ≥ ${floor}):`);
  for (const l2 of l2Values) {
    const scores = recs.map(({ rec }) => new Float64Array(rec.frames));
    for (let k = -1; k < folds; k++) {
      // k = -1: the head for 'gap' frames, trained on every clip's frames.
      const inTest = (s: string) => (k === -1 ? s === 'gap' : foldOf.get(s) === k);
      const x: Float32Array[] = [];
      const y: boolean[] = [];
      recs.forEach((_, r) =>
        sources[r].forEach((s, i) => {
          if (!inTest(s)) {
            x.push(embeddings[r][i]);
            y.push(labels[r][i]);
          }
        }),
      );
      const { w, b } = trainLogistic(x, y, l2);
      recs.forEach((_, r) =>
        sources[r].forEach((s, i) => {
          if (!inTest(s)) return;
          let z = b;
          const e = embeddings[r][i];
          for (let j = 0; j < EMBEDDING_SIZE; j++) z += w[j] * e[j];
          scores[r][i] = 1 / (1 + Math.exp(-z));
        }),
      );
    }
    report(`L2 ${l2}`, scores, recs, [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95], floor);
  }
}
