import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command } from 'commander';
import { ANALYSIS_SETTING_BOUNDS, type AnalysisSettings, analyzeRecording, type CutClip, resolveAnalysisSettings } from '@giggles/analysis';
import { writeWav16 } from '@giggles/audio';
import { type DetectionSettings } from '@giggles/detection';
import { YamnetModel } from '@giggles/yamnet';
import { errorLine } from '../error-line';
import { type FileFailure, type FileReport, reportedEvent } from '../report/file-report';
import { AnalysisProgress } from '../report/progress';
import { renderFailure, renderTable } from '../report/table-report';
import { ScoreSeries } from '../timeline/score-series';
import { renderTimelineHtml } from '../timeline/timeline-html';
import { addDetectionFlags, detectionSettingsFrom } from './detection-flags';
import { expandInputs } from './input-files';
import { resolveModelPath, UsageError } from './model-resolution';

interface AnalyzeFlags {
  json?: boolean;
  clips?: string;
  timeline?: string;
  model?: string;
  threads?: string;
  batchSize?: string;
  progress?: boolean;
  [key: string]: unknown;
}

export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description('find laughter in recordings (Ogg Opus, WAV; other formats through ffmpeg)')
    .argument('<file-or-directory...>', 'recordings, or directories of recordings (analysed in name order)')
    .option('--json', 'print one JSON object per file (one per line) instead of a table')
    .option('--clips <dir>', 'write a WAV clip per laugh (laugh ± clip padding) into this directory')
    .option('--timeline <file.html>', 'draw the laughter score over time with the laughs marked (HTML; with several files, one page per file: name-1.html, …)')
    .option('--model <path>', 'YAMNet model (.tflite or converted .onnx); default $GIGGLES_MODEL, then ../shared/models/yamnet.tflite')
    .option('--threads <n>', 'inference threads (default: min(2, cores))')
    .option('--batch-size <n>', 'patches per inference batch (1-256, default 16)')
    .option('--no-progress', 'no progress bar on stderr')
    .option(`--${ANALYSIS_SETTING_BOUNDS.coarseToFine.flag}`, ANALYSIS_SETTING_BOUNDS.coarseToFine.description)
    .option(`--${ANALYSIS_SETTING_BOUNDS.refineThreshold.flag} <score>`, ANALYSIS_SETTING_BOUNDS.refineThreshold.description)
    .option('--single-thread', `decode and compute features on the main thread, no worker (${ANALYSIS_SETTING_BOUNDS.frontEndWorker.env}=false)`);
  addDetectionFlags(command);
  command.action(async (inputs: string[], flags: AnalyzeFlags) => {
    process.exitCode = await analyzeCommand(inputs, flags);
  });
}

async function analyzeCommand(inputs: string[], flags: AnalyzeFlags): Promise<number> {
  let detection: DetectionSettings;
  let analysis: AnalysisSettings;
  let model: YamnetModel;
  try {
    detection = detectionSettingsFrom(flags);
    analysis = resolveAnalysisSettings({
      coarseToFine: flags.exact ? false : process.env[ANALYSIS_SETTING_BOUNDS.coarseToFine.env],
      refineThreshold: flags.refineThreshold ?? process.env[ANALYSIS_SETTING_BOUNDS.refineThreshold.env],
      frontEndWorker: flags.singleThread ? false : process.env[ANALYSIS_SETTING_BOUNDS.frontEndWorker.env],
    });
    const modelPath = resolveModelPath(flags.model);
    model = await YamnetModel.load(modelPath, {
      intraOpThreads: flags.threads === undefined ? undefined : Number(flags.threads),
      batchSize: flags.batchSize === undefined ? undefined : Number(flags.batchSize),
    });
  } catch (error) {
    process.stderr.write(`giggles: ${errorLine(error)}\n`);
    return 2;
  }
  const files = await expandInputs(inputs);
  if (files.length === 0) {
    process.stderr.write('giggles: no audio files found in the given directories\n');
    return 1;
  }
  if (flags.clips) await mkdir(flags.clips, { recursive: true });

  let failed = 0;
  try {
    for (const [n, file] of files.entries()) {
      const failure = file.problem ? { file: file.path, error: file.problem } : undefined;
      const outcome = failure ?? (await analyzeOne(file.path, n, files.length, model, detection, analysis, flags));
      if ('error' in outcome) {
        failed++;
        process.stderr.write(renderFailure(outcome) + '\n');
        continue;
      }
      process.stdout.write(flags.json ? JSON.stringify(outcome) + '\n' : renderTable(outcome) + (n < files.length - 1 ? '\n' : ''));
    }
  } finally {
    await model.dispose();
  }
  return failed > 0 ? 1 : 0;
}

async function analyzeOne(
  file: string,
  n: number,
  total: number,
  model: YamnetModel,
  detection: DetectionSettings,
  analysis: AnalysisSettings,
  flags: AnalyzeFlags,
): Promise<FileReport | FileFailure> {
  const bytes = await stat(file).then((s) => s.size, () => 0);
  const progress = flags.progress === false ? undefined : new AnalysisProgress(path.basename(file), bytes);
  const series = flags.timeline ? new ScoreSeries() : undefined;
  const clipPaths = new Map<number, string>();
  const stem = path.basename(file).replace(/\.[^.]+$/, '');
  let clipNumber = 0;
  const writeClip = async (clip: CutClip) => {
    clipNumber++;
    const name = `${stem}_${String(clipNumber).padStart(3, '0')}_${clip.event.startS.toFixed(2)}s.wav`;
    const target = path.join(flags.clips as string, name);
    await writeWav16(target, clip.samples, clip.sampleRate);
    clipPaths.set(clip.event.firstFrame, target);
  };
  try {
    const result = await analyzeRecording(file, {
      model,
      detection,
      analysis,
      onClip: flags.clips ? writeClip : undefined,
      onProgress: progress ? (audioS) => progress.update(audioS) : undefined,
      onFrameScore: series ? (p) => series.add(p) : undefined,
    });
    progress?.stop();
    const report: FileReport = {
      file,
      durationS: Math.round(result.durationS * 1000) / 1000,
      events: result.events.map((e) => reportedEvent(e, clipPaths.get(e.firstFrame))),
    };
    if (flags.timeline && series) {
      const target = total > 1 ? flags.timeline.replace(/(\.html?)?$/i, `-${n + 1}$1`) : flags.timeline;
      await writeFile(
        target,
        renderTimelineHtml({ file, durationS: result.durationS, series: series.points(), events: report.events, startThreshold: detection.startThreshold, stopThreshold: detection.stopThreshold }),
      );
    }
    return report;
  } catch (error) {
    progress?.stop();
    if (error instanceof UsageError) throw error;
    return { file, error: errorLine(error) };
  }
}
