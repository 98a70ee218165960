/**
 * A TypeScript port of the event and time matching of ../shared/eval/score.py (without
 * --exclude), so a grid search can score thousands of settings without spawning Python.
 * `npm run tune -- verify` (tune-detection.ts) checks it against score.py.
 *
 * Event level: a detection d matches a truth interval g if they overlap and the overlap is at
 * least `minOverlapS` seconds or `minFrac` of the shorter of the two; matching is one-to-one,
 * greedy by overlap (largest first). Time level: intervals are merged first, then
 * P = |D ∩ G| / |D|, R = |D ∩ G| / |G| in seconds.
 */

export type Interval = readonly [number, number];

export interface MatchCounts {
  nTruth: number;
  nDet: number;
  tp: number;
  fp: number;
  fn: number;
  detS: number;
  truthS: number;
  overlapS: number;
}

export interface Figures {
  precision: number;
  recall: number;
  f1: number;
}

function overlap(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
}

function isMatch(d: Interval, g: Interval, minOverlapS: number, minFrac: number): boolean {
  const o = overlap(d, g);
  if (o <= 0) return false;
  return o >= minOverlapS || o >= minFrac * Math.min(d[1] - d[0], g[1] - g[0]);
}

function union(intervals: readonly Interval[]): [number, number][] {
  const out: [number, number][] = [];
  const sorted = intervals.filter((x) => x[1] > x[0]).map((x) => [x[0], x[1]] as [number, number]);
  sorted.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function total(intervals: readonly Interval[]): number {
  return intervals.reduce((s, [a, b]) => s + (b - a), 0);
}

function intersection(a: readonly Interval[], b: readonly Interval[]): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.length && j < b.length) {
    s += Math.max(0, Math.min(a[i][1], b[j][1]) - Math.max(a[i][0], b[j][0]));
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return s;
}

/** Matches detections to truth exactly as score.py does. */
export function matchEvents(truth: readonly Interval[], dets: readonly Interval[], minOverlapS = 0.1, minFrac = 0.3): MatchCounts {
  const pairs: { o: number; i: number; j: number }[] = [];
  dets.forEach((d, i) =>
    truth.forEach((g, j) => {
      if (isMatch(d, g, minOverlapS, minFrac)) pairs.push({ o: overlap(d, g), i, j });
    }),
  );
  pairs.sort((x, y) => y.o - x.o || x.i - y.i || x.j - y.j);
  const usedD = new Set<number>();
  const usedT = new Set<number>();
  for (const { i, j } of pairs) {
    if (usedD.has(i) || usedT.has(j)) continue;
    usedD.add(i);
    usedT.add(j);
  }
  const tp = usedD.size;
  const d = union(dets);
  const g = union(truth);
  return {
    nTruth: truth.length,
    nDet: dets.length,
    tp,
    fp: dets.length - tp,
    fn: truth.length - tp,
    detS: total(d),
    truthS: total(g),
    overlapS: intersection(d, g),
  };
}

/** Sums counts (pooling recordings). */
export function addCounts(parts: readonly MatchCounts[]): MatchCounts {
  const sum: MatchCounts = { nTruth: 0, nDet: 0, tp: 0, fp: 0, fn: 0, detS: 0, truthS: 0, overlapS: 0 };
  for (const p of parts) for (const k of Object.keys(sum) as (keyof MatchCounts)[]) sum[k] += p[k];
  return sum;
}

function prf(hitP: number, nP: number, hitR: number, nR: number): Figures {
  const precision = nP ? hitP / nP : 0;
  const recall = nR ? hitR / nR : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

export function eventFigures(c: MatchCounts): Figures {
  return prf(c.tp, c.tp + c.fp, c.tp, c.tp + c.fn);
}

export function timeFigures(c: MatchCounts): Figures {
  return prf(c.overlapS, c.detS, c.overlapS, c.truthS);
}

/** Reads a truth CSV (`start_s,end_s[,…]`). */
export function parseTruthCsv(text: string): Interval[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',').map((h) => h.trim());
  const a = header.indexOf('start_s');
  const b = header.indexOf('end_s');
  if (a < 0 || b < 0) throw new Error('truth CSV needs start_s and end_s columns');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return [Number(cells[a]), Number(cells[b])] as const;
  });
}
