/**
 * `npm run eval [-- --eval-dir DIR] [-- any giggles analyze detection flag]`
 *
 * Scores laughter detection on the development recordings (../shared/eval, or $GIGGLES_EVAL_DIR,
 * or --eval-dir):
 *
 * 1. Long recordings: runs `giggles analyze --json` (the real command, end to end) over every
 *    `long_*.ogg` that has a `<name>_truth.csv`, scores each with the dataset's own `score.py`,
 *    and prints per-file and pooled figures (pooled = tp/fp/fn and seconds summed over files),
 *    plus false positives per hour.
 * 2. Clips (`wav/` + `labels.csv`, skipped with --no-clips): in-process analysis with the same
 *    settings; a laughter clip is right when it gets at least one event, a non-laughter clip when
 *    it gets none (clip accuracy), and the ROC AUC of each clip's highest laughter score
 *    (raw and smoothed) against the labels.
 *
 * Extra arguments (e.g. `--threshold 0.2`, `--smoothing-frames 5`) are passed to the analysis,
 * so settings can be compared without editing the defaults. The last line is one JSON object
 * with every figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { ANALYSIS_SETTING_BOUNDS, type AnalysisSettings, analyzeRecording, resolveAnalysisSettings } from '@giggles/analysis';
import { type DetectionSettings } from '@giggles/detection';
import { YamnetModel } from '@giggles/yamnet';
import { addDetectionFlags, detectionSettingsFrom } from '../src/commands/detection-flags';
import { resolveModelPath } from '../src/commands/model-resolution';
import { rocAuc } from './tuning/clip-metrics';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const GIGGLES = path.join(REPO_ROOT, 'libs', 'cli', 'bin', 'giggles.js');

interface ScoreLine {
  n_truth: number;
  n_det: number;
  tp: number;
  fp: number;
  fn: number;
  event_precision: number;
  event_recall: number;
  event_f1: number;
  det_s: number;
  truth_s: number;
  overlap_s: number;
  time_precision: number;
  time_recall: number;
  time_f1: number;
}

interface FileResult extends ScoreLine {
  file: string;
  duration_s: number;
  fp_per_hour: number;
}

interface Args {
  evalDir: string;
  clips: boolean;
  python: string;
  passThrough: string[];
}

function parseArgs(argv: string[]): Args {
  let evalDir = process.env.GIGGLES_EVAL_DIR || path.resolve(REPO_ROOT, '..', 'shared', 'eval');
  let clips = true;
  const passThrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--eval-dir') evalDir = argv[++i];
    else if (a.startsWith('--eval-dir=')) evalDir = a.slice('--eval-dir='.length);
    else if (a === '--no-clips') clips = false;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run eval -- [--eval-dir DIR] [--no-clips] [giggles analyze flags, e.g. --threshold 0.2]\n');
      process.exit(0);
    } else passThrough.push(a);
  }
  return { evalDir: path.resolve(evalDir), clips, python: process.env.PYTHON || 'python3', passThrough };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function prf(hit: number, nP: number, nR: number): [number, number, number] {
  const p = nP ? hit / nP : 0;
  const r = nR ? hit / nR : 0;
  return [p, r, p + r ? (2 * p * r) / (p + r) : 0];
}

function fail(message: string): never {
  process.stderr.write(`eval: ${message}\n`);
  process.exit(1);
}

/** Runs giggles analyze --json over the recordings; one report per file, in order. */
function analyzeLong(files: string[], passThrough: string[]): { file: string; durationS: number; events: unknown[] }[] {
  const run = spawnSync(process.execPath, [GIGGLES, 'analyze', '--json', '--no-progress', ...passThrough, ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) fail(`giggles analyze exited with ${run.status ?? run.signal}`);
  const reports = run.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as { file: string; durationS: number; events: unknown[] });
  if (reports.length !== files.length) fail(`expected ${files.length} JSON lines from giggles analyze, got ${reports.length}`);
  return reports;
}

function scoreFile(python: string, scorer: string, truth: string, report: object, tmp: string): ScoreLine {
  const detections = path.join(tmp, `${path.basename(truth, '_truth.csv')}.json`);
  writeFileSync(detections, JSON.stringify(report) + '\n');
  const run = spawnSync(python, [scorer, truth, detections], { encoding: 'utf8' });
  if (run.status !== 0) fail(`score.py failed on ${truth}: ${run.stderr || run.error?.message}`);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ScoreLine;
}

interface ClipFigures {
  clips: number;
  laughter_clips: number;
  accuracy: number;
  laughter_detected: number;
  non_laughter_clean: number;
  auc_raw_max: number;
  auc_smoothed_max: number;
  missed: string[];
  false_alarms: string[];
}

async function scoreClips(evalDir: string, { settings, analysis, model: modelFlag }: RunSettings): Promise<ClipFigures | undefined> {
  const labelsPath = path.join(evalDir, 'labels.csv');
  if (!existsSync(labelsPath)) return undefined;
  const rows = readFileSync(labelsPath, 'utf8').trim().split(/\r?\n/);
  const header = rows[0].split(',');
  const fileCol = header.indexOf('file');
  const labelCol = header.indexOf('label');
  const clips = rows.slice(1).map((row) => {
    const cells = row.split(',');
    return { file: path.join(evalDir, cells[fileCol]), laughter: cells[labelCol] === 'laughter' };
  });
  const model = await YamnetModel.load(resolveModelPath(modelFlag));
  const results: { name: string; laughter: boolean; events: number; rawMax: number; smoothedMax: number }[] = [];
  try {
    for (const clip of clips) {
      let rawMax = 0;
      let smoothedMax = 0;
      const result = await analyzeRecording(clip.file, {
        model,
        detection: settings,
        analysis,
        onFrameScore: (p) => {
          rawMax = Math.max(rawMax, p.raw);
          smoothedMax = Math.max(smoothedMax, p.smoothed);
        },
      });
      results.push({ name: path.basename(clip.file), laughter: clip.laughter, events: result.events.length, rawMax, smoothedMax });
    }
  } finally {
    await model.dispose();
  }
  const right = results.filter((c) => (c.laughter ? c.events > 0 : c.events === 0));
  const labels = results.map((c) => c.laughter);
  return {
    clips: results.length,
    laughter_clips: results.filter((c) => c.laughter).length,
    accuracy: r3(right.length / results.length),
    laughter_detected: results.filter((c) => c.laughter && c.events > 0).length,
    non_laughter_clean: results.filter((c) => !c.laughter && c.events === 0).length,
    auc_raw_max: r3(rocAuc(results.map((c) => c.rawMax), labels)),
    auc_smoothed_max: r3(rocAuc(results.map((c) => c.smoothedMax), labels)),
    missed: results.filter((c) => c.laughter && c.events === 0).map((c) => c.name),
    false_alarms: results.filter((c) => !c.laughter && c.events > 0).map((c) => c.name),
  };
}

interface RunSettings {
  settings: DetectionSettings;
  analysis: AnalysisSettings;
  model?: string;
}

/** The settings (and model) `giggles analyze` will use with these arguments, parsed the same way. */
function settingsFromFlags(passThrough: string[]): RunSettings {
  const command = addDetectionFlags(
    new Command()
      .exitOverride()
      .allowUnknownOption()
      .allowExcessArguments()
      .option('--model <path>')
      .option('--exact')
      .option(`--${ANALYSIS_SETTING_BOUNDS.refineThreshold.flag} <score>`),
  );
  command.parse(passThrough, { from: 'user' });
  const opts = command.opts();
  const analysis = resolveAnalysisSettings({
    coarseToFine: opts.exact ? false : process.env[ANALYSIS_SETTING_BOUNDS.coarseToFine.env],
    refineThreshold: (opts.refineThreshold as string | undefined) ?? process.env[ANALYSIS_SETTING_BOUNDS.refineThreshold.env],
  });
  return { settings: detectionSettingsFrom(opts), analysis, model: opts.model as string | undefined };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scorer = path.join(args.evalDir, 'score.py');
  if (!existsSync(scorer)) fail(`no score.py in ${args.evalDir} (set GIGGLES_EVAL_DIR or --eval-dir)`);
  const names = readdirSync(args.evalDir)
    .filter((f) => /^long_.*\.ogg$/.test(f) && existsSync(path.join(args.evalDir, f.replace(/\.ogg$/, '_truth.csv'))))
    .sort();
  if (names.length === 0) fail(`no long_*.ogg with a _truth.csv in ${args.evalDir}`);
  const run = settingsFromFlags(args.passThrough);
  const { settings } = run;
  // analyzeRecording never refines above half the stop threshold; show the value actually used.
  const refineUsed = Math.min(run.analysis.refineThreshold, settings.stopThreshold / 2);
  process.stdout.write(`settings: ${JSON.stringify(settings)}\nanalysis: ${JSON.stringify(run.analysis)} (refine threshold used: ${refineUsed})\n`);

  const files = names.map((n) => path.join(args.evalDir, n));
  const reports = analyzeLong(files, args.passThrough);
  const tmp = mkdtempSync(path.join(tmpdir(), 'giggles-eval-'));
  const perFile: FileResult[] = [];
  try {
    reports.forEach((report, i) => {
      const truth = files[i].replace(/\.ogg$/, '_truth.csv');
      const s = scoreFile(args.python, scorer, truth, report, tmp);
      perFile.push({ ...s, file: names[i], duration_s: report.durationS, fp_per_hour: r3(s.fp / (report.durationS / 3600)) });
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const sum = (k: keyof ScoreLine) => perFile.reduce((s, f) => s + f[k], 0);
  const tp = sum('tp');
  const [ep, er, ef] = prf(tp, tp + sum('fp'), tp + sum('fn'));
  const [tpP, tpR, tpF] = prf(sum('overlap_s'), sum('det_s'), sum('truth_s'));
  const hours = perFile.reduce((s, f) => s + f.duration_s, 0) / 3600;
  const pooled = {
    n_truth: sum('n_truth'),
    n_det: sum('n_det'),
    tp,
    fp: sum('fp'),
    fn: sum('fn'),
    event_precision: r3(ep),
    event_recall: r3(er),
    event_f1: r3(ef),
    time_precision: r3(tpP),
    time_recall: r3(tpR),
    time_f1: r3(tpF),
    fp_per_hour: r3(sum('fp') / hours),
    hours: r3(hours),
  };

  const row = (name: string, f: { n_truth: number; n_det: number; tp: number; fp: number; fn: number; event_precision: number; event_recall: number; event_f1: number; fp_per_hour: number; time_precision: number; time_recall: number; time_f1: number }) =>
    `${name.padEnd(14)} ${String(f.n_truth).padStart(5)} ${String(f.n_det).padStart(5)} ${String(f.tp).padStart(4)} ${String(f.fp).padStart(4)} ${String(f.fn).padStart(4)}  ` +
    `${f.event_precision.toFixed(3)} ${f.event_recall.toFixed(3)} ${f.event_f1.toFixed(3)}  ${f.fp_per_hour.toFixed(1).padStart(6)}   ` +
    `${f.time_precision.toFixed(3)} ${f.time_recall.toFixed(3)} ${f.time_f1.toFixed(3)}`;
  process.stdout.write('\nrecording      truth  dets   TP   FP   FN  ev-P  ev-R  ev-F1   FP/h    time-P time-R time-F1\n');
  for (const f of perFile) process.stdout.write(row(f.file.replace(/\.ogg$/, ''), f) + '\n');
  process.stdout.write(row('POOLED', pooled) + '\n');

  let clips: ClipFigures | undefined;
  if (args.clips) {
    clips = await scoreClips(args.evalDir, run);
    if (clips) {
      process.stdout.write(
        `\nclips: ${clips.clips} (${clips.laughter_clips} laughter)  accuracy ${clips.accuracy.toFixed(3)}  ` +
          `laughter with ≥1 event ${clips.laughter_detected}/${clips.laughter_clips}  ` +
          `non-laughter with none ${clips.non_laughter_clean}/${clips.clips - clips.laughter_clips}  ` +
          `ROC AUC max raw ${clips.auc_raw_max.toFixed(3)}, max smoothed ${clips.auc_smoothed_max.toFixed(3)}\n`,
      );
      if (clips.missed.length) process.stdout.write(`  missed laughter: ${clips.missed.join(' ')}\n`);
      if (clips.false_alarms.length) process.stdout.write(`  events in non-laughter: ${clips.false_alarms.join(' ')}\n`);
    }
  }
  process.stdout.write(JSON.stringify({ settings, analysis: run.analysis, files: perFile, pooled, clips: clips ?? null }) + '\n');
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
