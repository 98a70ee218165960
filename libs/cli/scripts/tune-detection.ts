/**
 * Detection tuning on cached YAMNet output.
 *
 *   node libs/cli/bin/run-script.js libs/cli/scripts/tune-detection.ts [command] [options]
 *
 * Commands:
 *   grid     (default) grid-search detection settings; prints the best pooled settings, the best
 *            per score mode, leave-one-recording-out figures, and the figures of the current
 *            defaults
 *   verify   checks the TypeScript event matching against score.py on a few settings
 *   clips    clip-level figures (wav/ + labels.csv) for the current defaults (or --set k=v,...)
 *   score    figures of the current defaults (or --set k=v,...) on the long recordings
 *   experiments
 *            the width of the cough context, and a learned head on the embeddings evaluated
 *            with cross-validation grouped by source clip (tuning/experiments.ts); slow (minutes)
 *
 * Options:
 *   --eval-dir DIR    recordings (default $GIGGLES_EVAL_DIR, else ../shared/eval)
 *   --cache-dir DIR   where YAMNet output is cached (default $TMPDIR/giggles-tune-cache; never the repo)
 *   --model PATH      YAMNet model (default as giggles analyze)
 *   --top N           rows of the top list (default 15)
 *   --min-time-precision P
 *                     only settings whose pooled time-level precision is at least P compete
 *                     (default 0.3). Event matching is lenient (0.1 s of overlap is a hit), so
 *                     without this floor the best "events" are minute-long stretches that cover
 *                     several laughs and half the recording; 0.3 = at most ~3 s flagged per
 *                     second of real laughter.
 *   --set k=v,...     settings for `clips` / extra row for `grid` (e.g. scoreMode=max,startThreshold=0.2)
 *
 * YAMNet runs once per recording (the first time): its class scores and embeddings for every
 * frame go to the cache dir, keyed by the file's path, size and mtime and the model file's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_DETECTION_SETTINGS,
  detectEvents,
  type DetectionFrame,
  type DetectionSettings,
  type DetectionSettingsInput,
  type LaughterEvent,
  SCORE_MODES,
  type ScoreMode,
  type SmoothingMethod,
  validateDetectionSettings,
} from '@giggles/detection';
import { YamnetModel } from '@giggles/yamnet';
import { resolveModelPath } from '../src/commands/model-resolution';
import { rocAuc } from './tuning/clip-metrics';
import { addCounts, eventFigures, type Interval, matchEvents, type MatchCounts, parseTruthCsv, timeFigures } from './tuning/event-score';
import { coughContextExperiment, headCrossValidation, type ScoredRecording } from './tuning/experiments';
import { type CachedRecording, DEFAULT_CACHE_DIR, framesOf, loadOrCompute } from './tuning/frame-cache';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface Options {
  command: string;
  evalDir: string;
  cacheDir: string;
  model?: string;
  top: number;
  minTimePrecision: number;
  set: DetectionSettingsInput;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    command: 'grid',
    evalDir: process.env.GIGGLES_EVAL_DIR || path.resolve(REPO_ROOT, '..', 'shared', 'eval'),
    cacheDir: DEFAULT_CACHE_DIR,
    top: 15,
    minTimePrecision: 0.3,
    set: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--eval-dir') o.evalDir = argv[++i];
    else if (a === '--cache-dir') o.cacheDir = argv[++i];
    else if (a === '--model') o.model = argv[++i];
    else if (a === '--top') o.top = Number(argv[++i]);
    else if (a === '--min-time-precision') o.minTimePrecision = Number(argv[++i]);
    else if (a === '--set') {
      for (const kv of argv[++i].split(',')) {
        const [k, v] = kv.split('=');
        (o.set as Record<string, string>)[k.trim()] = v.trim();
      }
    } else if (!a.startsWith('-')) o.command = a;
    else throw new Error(`unknown option ${a}`);
  }
  if (path.resolve(o.cacheDir).startsWith(REPO_ROOT + path.sep)) throw new Error('the cache must not be inside the repository');
  return o;
}

// ---------------------------------------------------------------------------------------------
// Data

interface Recording extends ScoredRecording {
  frames: DetectionFrame[];
}

/** `<name>_segments.csv`: start_s,end_s,label,source_name,… (only the first four columns are read). */
function parseSegments(file: string): ScoredRecording['segments'] {
  if (!existsSync(file)) return [];
  const rows = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = rows[0].split(',');
  const [a, b, src] = ['start_s', 'end_s', 'source_name'].map((h) => header.indexOf(h));
  return rows.slice(1).map((row) => {
    const cells = row.split(',');
    return { startS: Number(cells[a]), endS: Number(cells[b]), source: cells[src] };
  });
}

interface Clip {
  rec: CachedRecording;
  frames: DetectionFrame[];
  laughter: boolean;
}

async function loadData(o: Options): Promise<{ recordings: Recording[]; clips: Clip[] }> {
  const modelPath = resolveModelPath(o.model);
  const st = statSync(modelPath);
  const modelKey = `${path.resolve(modelPath)}|${st.size}|${st.mtimeMs}`;
  let model: Promise<YamnetModel> | undefined;
  const getModel = () => (model ??= YamnetModel.load(modelPath));
  try {
    const longs = readdirSync(o.evalDir)
      .filter((f) => /^long_.*\.ogg$/.test(f) && existsSync(path.join(o.evalDir, f.replace(/\.ogg$/, '_truth.csv'))))
      .sort();
    const recordings: Recording[] = [];
    for (const name of longs) {
      const file = path.join(o.evalDir, name);
      const rec = await loadOrCompute(file, getModel, modelKey, o.cacheDir);
      recordings.push({
        rec,
        frames: framesOf(rec),
        truth: parseTruthCsv(readFileSync(file.replace(/\.ogg$/, '_truth.csv'), 'utf8')),
        segments: parseSegments(file.replace(/\.ogg$/, '_segments.csv')),
      });
    }
    const clips: Clip[] = [];
    const labels = path.join(o.evalDir, 'labels.csv');
    if (existsSync(labels)) {
      const rows = readFileSync(labels, 'utf8').trim().split(/\r?\n/);
      const header = rows[0].split(',');
      for (const row of rows.slice(1)) {
        const cells = row.split(',');
        const rec = await loadOrCompute(path.join(o.evalDir, cells[header.indexOf('file')]), getModel, modelKey, o.cacheDir);
        clips.push({ rec, frames: framesOf(rec), laughter: cells[header.indexOf('label')] === 'laughter' });
      }
    }
    return { recordings, clips };
  } finally {
    if (model) await (await model).dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface Scored {
  perFile: MatchCounts[];
  pooled: MatchCounts;
}

const toIntervals = (events: readonly LaughterEvent[]): Interval[] => events.map((e) => [e.startS, e.endS] as const);

function scoreSettings(recordings: readonly Recording[], settings: DetectionSettings): Scored {
  const perFile = recordings.map((r) => matchEvents(r.truth, toIntervals(detectEvents(r.frames, settings))));
  return { perFile, pooled: addCounts(perFile) };
}

const f3 = (x: number) => x.toFixed(3);

function describeSettings(s: DetectionSettings): string {
  return (
    `${s.scoreMode.padEnd(9)} ${s.smoothingMethod.padEnd(6)} ${String(s.smoothingFrames).padStart(2)}  ` +
    `start ${s.startThreshold.toFixed(3)} stop ${s.stopThreshold.toFixed(4)}  min ${s.minEventS.toFixed(2)} gap ${s.mergeGapS.toFixed(1)}`
  );
}

function describeScore(sc: Scored, hours: number): string {
  const e = eventFigures(sc.pooled);
  const t = timeFigures(sc.pooled);
  const files = sc.perFile.map((c) => f3(eventFigures(c).f1)).join(' / ');
  return (
    `P ${f3(e.precision)} R ${f3(e.recall)} F1 ${f3(e.f1)}  (TP ${sc.pooled.tp} FP ${sc.pooled.fp} FN ${sc.pooled.fn}, ` +
    `${(sc.pooled.fp / hours).toFixed(0)} FP/h)  per file F1 ${files}  time P ${f3(t.precision)} F1 ${f3(t.f1)}`
  );
}

// ---------------------------------------------------------------------------------------------
// Grid

const GRID = {
  scoreMode: SCORE_MODES,
  smoothingMethod: ['mean', 'median'] as SmoothingMethod[],
  smoothingFrames: [1, 3, 5, 7, 9],
  startThreshold: [0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3],
  /** stop = start × ratio */
  stopRatio: [1, 0.5, 0.25],
  minEventS: [0.3, 0.5, 1.0],
  mergeGapS: [1, 2, 3],
};

function* gridSettings(): Generator<DetectionSettings> {
  for (const scoreMode of GRID.scoreMode)
    for (const smoothingMethod of GRID.smoothingMethod)
      for (const smoothingFrames of GRID.smoothingFrames) {
        if (smoothingFrames === 1 && smoothingMethod === 'median') continue;
        for (const startThreshold of GRID.startThreshold)
          for (const ratio of GRID.stopRatio)
            for (const minEventS of GRID.minEventS)
              for (const mergeGapS of GRID.mergeGapS) {
                yield validateDetectionSettings({
                  ...DEFAULT_DETECTION_SETTINGS,
                  scoreMode,
                  smoothingMethod,
                  smoothingFrames,
                  startThreshold,
                  stopThreshold: Math.round(startThreshold * ratio * 1e6) / 1e6,
                  minEventS,
                  mergeGapS,
                });
              }
      }
}

interface GridRow {
  settings: DetectionSettings;
  score: Scored;
  f1: number;
  fileF1: number[];
}

function row(settings: DetectionSettings, score: Scored): GridRow {
  return { settings, score, f1: eventFigures(score.pooled).f1, fileF1: score.perFile.map((c) => eventFigures(c).f1) };
}

/** Ties (common: 36 laughs) go to the simpler setting: less smoothing, higher threshold, plain hysteresis. */
function better(a: GridRow, b: GridRow, key: (r: GridRow) => number): number {
  return key(b) - key(a) || a.settings.smoothingFrames - b.settings.smoothingFrames || b.settings.startThreshold - a.settings.startThreshold;
}

function runGrid(recordings: readonly Recording[], o: Options): void {
  const hours = recordings.reduce((s, r) => s + r.rec.durationS, 0) / 3600;
  const t0 = Date.now();
  const rows: GridRow[] = [];
  for (const settings of gridSettings()) {
    rows.push(row(settings, scoreSettings(recordings, settings)));
  }
  console.log(`${rows.length} settings × ${recordings.length} recordings in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const show = (label: string, r: GridRow) => console.log(`${label}${describeSettings(r.settings)} | ${describeScore(r.score, hours)}`);
  const floor = o.minTimePrecision;
  const tight = (c: MatchCounts) => timeFigures(c).precision >= floor;
  const eligible = rows.filter((r) => tight(r.score.pooled));
  const unconstrained = [...rows].sort((a, b) => better(a, b, (r) => r.f1))[0];
  console.log(`Without a time-precision floor the best is:`);
  show('  ', unconstrained);
  console.log(`  (${(unconstrained.score.pooled.detS / 60).toFixed(1)} min flagged for ${(unconstrained.score.pooled.truthS / 60).toFixed(1)} min of laughter)\n`);
  console.log(`${eligible.length} settings flag at most 1/${floor} s per laugh second (pooled time precision ≥ ${floor}).`);
  console.log(`Top ${o.top} of them (pooled event F1):`);
  [...eligible].sort((a, b) => better(a, b, (r) => r.f1)).slice(0, o.top).forEach((r) => show('  ', r));

  console.log('\nBest per score mode:');
  for (const mode of SCORE_MODES) {
    const best = eligible.filter((r) => r.settings.scoreMode === mode).sort((a, b) => better(a, b, (r) => r.f1))[0];
    if (best) show('  ', best);
  }

  console.log('\nLeave one recording out (tune on all others, score the held-out one):');
  const heldOut: MatchCounts[] = [];
  recordings.forEach((rec, k) => {
    const othersCounts = (r: GridRow) => addCounts(r.score.perFile.filter((_, i) => i !== k));
    const others = (r: GridRow) => eventFigures(othersCounts(r)).f1;
    const best = rows.filter((r) => tight(othersCounts(r))).sort((a, b) => better(a, b, others))[0];
    heldOut.push(best.score.perFile[k]);
    const e = eventFigures(best.score.perFile[k]);
    console.log(
      `  held out ${rec.rec.name}: tuned F1 ${f3(others(best))} with ${describeSettings(best.settings)}\n` +
        `      → ${rec.rec.name} P ${f3(e.precision)} R ${f3(e.recall)} F1 ${f3(e.f1)} (TP ${best.score.perFile[k].tp} FP ${best.score.perFile[k].fp})`,
    );
  });
  const pooledHeldOut = eventFigures(addCounts(heldOut));
  console.log(`  pooled held-out: P ${f3(pooledHeldOut.precision)} R ${f3(pooledHeldOut.recall)} F1 ${f3(pooledHeldOut.f1)}`);

  console.log('\nCurrent defaults:');
  show('  ', row({ ...DEFAULT_DETECTION_SETTINGS }, scoreSettings(recordings, { ...DEFAULT_DETECTION_SETTINGS })));
  if (Object.keys(o.set).length > 0) {
    const s = validateDetectionSettings(o.set);
    show('--set:  ', row(s, scoreSettings(recordings, s)));
  }

  // Neighbourhood of the defaults: F1 when one setting at a time moves to its grid neighbours.
  console.log(`\nSensitivity around the defaults (pooled event F1, one setting changed at a time; * = time precision < ${floor}):`);
  const d = { ...DEFAULT_DETECTION_SETTINGS };
  const vary = (name: string, values: readonly (number | string)[], apply: (v: number | string) => DetectionSettingsInput) => {
    const cells = values.map((v) => {
      try {
        const s = validateDetectionSettings({ ...d, ...apply(v) });
        const c = scoreSettings(recordings, s).pooled;
        return `${v}: ${f3(eventFigures(c).f1)}${tight(c) ? '' : '*'}`;
      } catch {
        return `${v}: -`;
      }
    });
    console.log(`  ${name.padEnd(16)} ${cells.join('  ')}`);
  };
  vary('scoreMode', SCORE_MODES, (v) => ({ scoreMode: v as ScoreMode }));
  vary('smoothingFrames', [1, 3, 5, 7, 9], (v) => ({ smoothingFrames: v as number }));
  vary('smoothing median', [1, 3, 5, 7, 9], (v) => ({ smoothingFrames: v as number, smoothingMethod: 'median' }));
  vary('start (stop=½)', [0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.2], (v) => ({ startThreshold: v as number, stopThreshold: (v as number) / 2 }));
  vary('stopThreshold', [0, 0.005, 0.01, 0.015, 0.02], (v) => ({ stopThreshold: v as number }));
  vary('minEventS', [0, 0.3, 0.5, 1, 1.5], (v) => ({ minEventS: v as number }));
  vary('mergeGapS', [0.5, 1, 2, 3, 4, 5], (v) => ({ mergeGapS: v as number }));
}

// ---------------------------------------------------------------------------------------------
// Verify against score.py

function verify(recordings: readonly Recording[], o: Options): void {
  const scorer = path.join(o.evalDir, 'score.py');
  const tmp = mkdtempSync(path.join(tmpdir(), 'giggles-verify-'));
  const samples: DetectionSettingsInput[] = [
    {},
    { scoreMode: 'max', smoothingFrames: 1, startThreshold: 0.1, stopThreshold: 0.1 },
    { scoreMode: 'noisy-or', smoothingFrames: 9, startThreshold: 0.02, stopThreshold: 0.01, mergeGapS: 2 },
    { scoreMode: 'sum', smoothingMethod: 'median', smoothingFrames: 5, startThreshold: 0.05, stopThreshold: 0.02, minEventS: 1 },
    { scoreMode: 'max', smoothingFrames: 3, startThreshold: 0.3, stopThreshold: 0.15 },
  ];
  let mismatches = 0;
  try {
    for (const input of samples) {
      const settings = validateDetectionSettings(input);
      for (const r of recordings) {
        const events = detectEvents(r.frames, settings);
        // Same rounding as `giggles analyze --json`.
        const dets = events.map((e) => ({ startS: Math.round(e.startS * 100) / 100, endS: Math.round(e.endS * 100) / 100 }));
        const file = path.join(tmp, `${r.rec.name}.json`);
        writeFileSync(file, JSON.stringify({ file: r.rec.file, events: dets }) + '\n');
        const run = spawnSync(process.env.PYTHON || 'python3', [scorer, r.rec.file.replace(/\.ogg$/, '_truth.csv'), file], { encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`score.py failed: ${run.stderr}`);
        const lines = run.stdout.trim().split('\n');
        const py = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
        const ts = matchEvents(r.truth, dets.map((d) => [d.startS, d.endS] as const));
        const tf = timeFigures(ts);
        const same =
          py.tp === ts.tp && py.fp === ts.fp && py.fn === ts.fn && Math.abs(py.overlap_s - ts.overlapS) < 1e-3 && Math.abs(py.time_f1 - tf.f1) < 1e-4;
        if (!same) mismatches++;
        console.log(
          `${same ? 'same' : 'DIFFERENT'}  ${r.rec.name}  ${describeSettings(settings)}  ` +
            `score.py TP ${py.tp} FP ${py.fp} FN ${py.fn} time-F1 ${py.time_f1} | ts TP ${ts.tp} FP ${ts.fp} FN ${ts.fn} time-F1 ${tf.f1.toFixed(4)}`,
        );
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(mismatches === 0 ? 'TypeScript matching agrees with score.py' : `${mismatches} mismatches`);
  if (mismatches > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// Clip level

function clipFigures(clips: readonly Clip[], settings: DetectionSettings): string {
  const rows = clips.map((c) => {
    let rawMax = 0;
    let smoothedMax = 0;
    const events = detectEvents(c.frames, settings, [], {
      onFrameScore: (p) => {
        rawMax = Math.max(rawMax, p.raw);
        smoothedMax = Math.max(smoothedMax, p.smoothed);
      },
    });
    return { name: c.rec.name, laughter: c.laughter, events: events.length, rawMax, smoothedMax };
  });
  const right = rows.filter((r) => (r.laughter ? r.events > 0 : r.events === 0)).length;
  const labels = rows.map((r) => r.laughter);
  const laughs = rows.filter((r) => r.laughter);
  const others = rows.filter((r) => !r.laughter);
  return (
    `clip accuracy ${f3(right / rows.length)} (laughter with ≥1 event ${laughs.filter((r) => r.events > 0).length}/${laughs.length}, ` +
    `non-laughter with none ${others.filter((r) => r.events === 0).length}/${others.length}); ROC AUC of max raw score ${f3(rocAuc(rows.map((r) => r.rawMax), labels))}, ` +
    `max smoothed ${f3(rocAuc(rows.map((r) => r.smoothedMax), labels))}\n` +
    `  missed: ${laughs.filter((r) => r.events === 0).map((r) => r.name).join(' ') || '-'}\n` +
    `  false alarms: ${others.filter((r) => r.events > 0).map((r) => r.name).join(' ') || '-'}`
  );
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const { recordings, clips } = await loadData(o);
  console.log(`cached: ${recordings.map((r) => `${r.rec.name} (${r.rec.frames} frames)`).join(', ')}; ${clips.length} clips\n`);
  if (o.command === 'grid') runGrid(recordings, o);
  else if (o.command === 'verify') verify(recordings, o);
  else if (o.command === 'clips') {
    const settings = validateDetectionSettings(o.set);
    console.log(describeSettings(settings));
    console.log(clipFigures(clips, settings));
  } else if (o.command === 'score') {
    const settings = validateDetectionSettings(o.set);
    const hours = recordings.reduce((t, r) => t + r.rec.durationS, 0) / 3600;
    console.log(`${describeSettings(settings)} | ${describeScore(scoreSettings(recordings, settings), hours)}`);
  } else if (o.command === 'experiments') {
    coughContextExperiment(recordings, o.minTimePrecision);
    headCrossValidation(recordings, o.minTimePrecision, [1, 10, 100]);
  } else throw new Error(`unknown command ${o.command} (grid, verify, clips, score, experiments)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`tune-detection: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
