import { openPatchStream, YAMNET_SAMPLE_RATE, type AudioSourceInfo } from '@giggles/audio';
import {
  FRAME_HOP_S,
  familyScores,
  LaughterEventDetector,
  rawLaughterScore,
  type DetectionFrame,
  type DetectionSettings,
  type FrameScorePoint,
  type FrameScorer,
  type LaughterEvent,
} from '@giggles/detection';
import { EMBEDDING_SIZE, NUM_CLASSES, PATCH_SIZE, type YamnetModel } from '@giggles/yamnet';
import { type AnalysisSettings, DEFAULT_ANALYSIS_SETTINGS } from './analysis-settings';
import { ClipCutter, type CutClip } from './clip-cutter';
import { PatchScheduler } from './patch-scheduler';
import { StageClock, type StageTimings } from './stage-clock';

/**
 * Decoded chunks are fed on in slices of at most this many seconds, with the inference queue
 * flushed between slices, so the audio ahead of the model is bounded by the queue, not by how much
 * a decoder returns at once (a 128 KiB object-store chunk is ~40 s of pendant audio).
 */
const SLICE_S = 1;
/** Slack for the slice being fed while an event becomes final. */
const MAX_CHUNK_AHEAD_S = 2 * SLICE_S;

export interface AnalyzeOptions {
  model: YamnetModel;
  detection: DetectionSettings;
  /** Pipeline settings (coarse-to-fine inference); defaults when absent. */
  analysis?: AnalysisSettings;
  /** Replaces the built-in laughter-family score (e.g. a learned head over embeddings). */
  frameScorer?: FrameScorer;
  /** Called with each clip (event ± padding, 16 kHz mono) as soon as its audio has streamed past. */
  onClip?: (clip: CutClip) => Promise<void> | void;
  /** Called after every decoded chunk with the audio seconds done so far. */
  onProgress?: (audioS: number) => void;
  /** Called once per frame with its laughter score: the timeline series. */
  onFrameScore?: (point: FrameScorePoint) => void;
  /** ffmpeg for formats other than Ogg Opus and WAV; null disables the fallback. */
  ffmpegPath?: string | null;
  signal?: AbortSignal;
}

export interface AnalysisResult {
  info: AudioSourceInfo;
  /** Seconds of audio actually decoded. */
  durationS: number;
  events: LaughterEvent[];
  patches: number;
  /** Patches the network actually ran on (fewer than `patches` with coarse-to-fine inference). */
  inferredPatches: number;
  modelVersion: string;
  timings: StageTimings;
}

/**
 * One recording → laughter events (and clips), streaming: decode → log-mel patches → YAMNet in
 * batches → event state machine → clips. Memory is bounded by the batch size, the front end's
 * read-ahead and the clip ring, never by recording length. By default decoding and the log-mel front
 * end run in a worker thread (settings.frontEndWorker) while this thread runs YAMNet —
 * onnxruntime-node runs a session synchronously on the calling thread, so only a second thread lets
 * decoding and inference overlap. Either way this thread sees the same slices and patches in the
 * same order, so results do not depend on where the front end ran.
 */
export async function analyzeRecording(source: string | AsyncIterable<Uint8Array>, options: AnalyzeOptions): Promise<AnalysisResult> {
  const { model, detection } = options;
  const clock = new StageClock();
  const batchSize = model.settings.batchSize;
  const detector = new LaughterEventDetector(detection, model.classMap.names, {
    frameScorer: options.frameScorer,
    onFrameScore: options.onFrameScore,
  });
  // How far the decoded audio can run ahead of an event that has just become final: the slice being
  // fed, the patches waiting in the scheduler (with
  // coarse-to-fine, a batch of even patches spans two batches of audio, and odd patches wait for
  // their right neighbour), the batch in flight, the detector's smoothing and merge delay, and the
  // event itself. The clip ring holds all of that, so a final event's clip is always still there.
  const retainS = MAX_CHUNK_AHEAD_S + (4 * batchSize + detection.smoothingFrames + 8) * FRAME_HOP_S + detection.maxEventS + detection.mergeGapS;
  const clips = options.onClip ? new ClipCutter({ paddingS: detection.clipPaddingS, maxClipS: detection.maxClipS }, YAMNET_SAMPLE_RATE, retainS) : undefined;
  const events: LaughterEvent[] = [];
  const analysis = options.analysis ?? DEFAULT_ANALYSIS_SETTINGS;
  const scheduler = new PatchScheduler({
    enabled: analysis.coarseToFine,
    // Refinement must catch every frame that could start or continue an event, so it never
    // waits for more evidence than half the stop threshold, whatever was configured.
    refineThreshold: Math.min(analysis.refineThreshold, detection.stopThreshold / 2),
    laughterScore: (out) => rawLaughterScore(familyScores(out.scores), detection.scoreMode, out, options.frameScorer),
  });
  let inflight: Promise<void> = Promise.resolve();
  let samplesDone = 0;

  const emitClips = async (cut: CutClip[]) => {
    for (const clip of cut) await options.onClip?.(clip);
  };

  const runBatch = async (batch: { index: number; patch: Float32Array }[]) => {
    const input = new Float32Array(batch.length * PATCH_SIZE);
    batch.forEach(({ patch }, i) => input.set(patch, i * PATCH_SIZE));
    const output = await clock.timeAsync('inference', () => model.run(input, batch.length));
    const outputs = batch.map((_, i) => ({
      scores: output.scores.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES),
      embedding: output.embeddings.subarray(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE),
    }));
    const frames: DetectionFrame[] = scheduler.addResults(batch, outputs);
    const done = clock.time('detection', () => detector.push(frames));
    events.push(...done);
    if (clips) for (const event of done) await emitClips(clips.addEvent(event));
  };

  /** Runs full batches (or, at the end, everything left), one batch in flight at a time. */
  const flushBatches = async (all: boolean) => {
    for (;;) {
      if (scheduler.queued >= batchSize || (all && scheduler.queued > 0)) {
        const batch = scheduler.takeBatch(batchSize);
        await inflight; // one batch in flight: bounded memory, decode overlaps inference
        inflight = runBatch(batch);
        continue;
      }
      if (!all) return;
      await inflight; // its results may queue refinements
      if (scheduler.queued === 0) return;
    }
  };

  const stream = await openPatchStream(source, {
    ffmpegPath: options.ffmpegPath,
    signal: options.signal,
    sliceSamples: SLICE_S * YAMNET_SAMPLE_RATE,
    withSamples: clips !== undefined,
    worker: analysis.frontEndWorker,
  });
  const iterator = stream.chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      for (const slice of next.value.slices) {
        samplesDone += slice.length;
        if (clips) await emitClips(clips.pushAudio(slice.samples as Float32Array));
        for (const patch of slice.patches) scheduler.addPatch(patch);
        await flushBatches(false);
      }
      options.onProgress?.(samplesDone / YAMNET_SAMPLE_RATE);
    }
    for (const patch of await stream.end()) scheduler.addPatch(patch);
    scheduler.end();
    await flushBatches(true);
    if (!scheduler.drained) throw new Error('analysis ended with patches neither inferred nor filled (a scheduler bug)');
  } catch (error) {
    await inflight.catch(() => undefined); // the first error is the one to report
    await stream.close();
    throw error;
  }
  // Measured where the front end ran; in a worker these overlap inference.
  const frontEnd = stream.timings();
  clock.add('decode', frontEnd.decodeMs);
  clock.add('features', frontEnd.featuresMs);
  const last = detector.finish();
  events.push(...last);
  if (clips) {
    for (const event of last) await emitClips(clips.addEvent(event));
    await emitClips(clips.finish()); // windows clamped to the real end of the recording
  }
  return {
    info: stream.info,
    durationS: samplesDone / YAMNET_SAMPLE_RATE,
    events,
    patches: scheduler.stats.patches,
    inferredPatches: scheduler.stats.inferred,
    modelVersion: model.version,
    timings: clock.totals(),
  };
}
