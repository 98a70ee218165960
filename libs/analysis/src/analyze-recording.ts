import { LogMelPatcher, openAudio, YAMNET_SAMPLE_RATE, type AudioSourceInfo } from '@giggles/audio';
import {
  FRAME_HOP_S,
  LaughterEventDetector,
  type DetectionFrame,
  type DetectionSettings,
  type FrameScorePoint,
  type FrameScorer,
  type LaughterEvent,
} from '@giggles/detection';
import { EMBEDDING_SIZE, NUM_CLASSES, PATCH_SIZE, type YamnetModel } from '@giggles/yamnet';
import { ClipCutter, type CutClip } from './clip-cutter';
import { StageClock, type StageTimings } from './stage-clock';

export interface AnalyzeOptions {
  model: YamnetModel;
  detection: DetectionSettings;
  /** Replaces the built-in laughter-family score (e.g. a learned head over embeddings). */
  frameScorer?: FrameScorer;
  /** Called with each clip (event ± padding, 16 kHz mono) as soon as its audio has streamed past. */
  onClip?: (clip: CutClip) => Promise<void> | void;
  /** Called after every decoded chunk with the audio seconds done so far. */
  onProgress?: (audioS: number) => void;
  /** Called once per frame with its laughter score: the timeline series. */
  onFrameScore?: (point: FrameScorePoint) => void;
  ffmpegPath?: string;
  signal?: AbortSignal;
}

export interface AnalysisResult {
  info: AudioSourceInfo;
  /** Seconds of audio actually decoded. */
  durationS: number;
  events: LaughterEvent[];
  patches: number;
  modelVersion: string;
  timings: StageTimings;
}

/**
 * One recording → laughter events (and clips), streaming: decode → log-mel patches → YAMNet in
 * batches → event state machine → clips. Memory is bounded by the batch size and the clip ring,
 * never by recording length. One batch of inference runs while the next is being decoded, so the
 * decoder (JavaScript/WASM on the main thread) and onnxruntime (its own threads) overlap.
 */
export async function analyzeRecording(source: string | AsyncIterable<Uint8Array>, options: AnalyzeOptions): Promise<AnalysisResult> {
  const { model, detection } = options;
  const clock = new StageClock();
  const batchSize = model.settings.batchSize;
  const detector = new LaughterEventDetector(detection, model.classMap.names, {
    frameScorer: options.frameScorer,
    onFrameScore: options.onFrameScore,
  });
  // Decoding runs at most two batches ahead of a final event, which itself can be as long as
  // maxEventS and waits mergeGapS (+ smoothing) to be final: the ring keeps all of that.
  const retainS = (2 * batchSize + detection.smoothingFrames + 4) * FRAME_HOP_S + detection.maxEventS + detection.mergeGapS;
  const clips = options.onClip ? new ClipCutter({ paddingS: detection.clipPaddingS, maxClipS: detection.maxClipS }, YAMNET_SAMPLE_RATE, retainS) : undefined;
  const events: LaughterEvent[] = [];
  const patcher = new LogMelPatcher();
  let pending: Float32Array[] = [];
  let nextIndex = 0;
  let inflight: Promise<void> = Promise.resolve();
  let samplesDone = 0;

  const emitClips = async (cut: CutClip[]) => {
    for (const clip of cut) await options.onClip?.(clip);
  };

  const runBatch = async (batch: Float32Array[], firstIndex: number) => {
    const input = new Float32Array(batch.length * PATCH_SIZE);
    batch.forEach((patch, i) => input.set(patch, i * PATCH_SIZE));
    const output = await clock.timeAsync('inference', () => model.run(input, batch.length));
    const frames: DetectionFrame[] = batch.map((_, i) => ({
      index: firstIndex + i,
      scores: output.scores.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES),
      embedding: output.embeddings.subarray(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE),
    }));
    const done = clock.time('detection', () => detector.push(frames));
    events.push(...done);
    if (clips) for (const event of done) await emitClips(clips.addEvent(event));
  };

  const flushBatches = async (all: boolean) => {
    while (pending.length >= batchSize || (all && pending.length > 0)) {
      const batch = pending.slice(0, batchSize);
      pending = pending.slice(batch.length);
      const firstIndex = nextIndex;
      nextIndex += batch.length;
      await inflight; // one batch in flight: bounded memory, decode overlaps inference
      inflight = runBatch(batch, firstIndex);
    }
  };

  const opened = await openAudio(source, { ffmpegPath: options.ffmpegPath, signal: options.signal });
  const iterator = opened.samples[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await clock.timeAsync('decode', () => iterator.next());
      if (next.done) break;
      const chunk = next.value;
      samplesDone += chunk.length;
      if (clips) await emitClips(clips.pushAudio(chunk));
      pending.push(...clock.time('features', () => patcher.push(chunk)));
      await flushBatches(false);
      options.onProgress?.(samplesDone / YAMNET_SAMPLE_RATE);
    }
    pending.push(...clock.time('features', () => patcher.end()));
    await flushBatches(true);
    await inflight;
  } catch (error) {
    await inflight.catch(() => undefined); // the first error is the one to report
    throw error;
  }
  const last = detector.finish();
  events.push(...last);
  if (clips) {
    for (const event of last) await emitClips(clips.addEvent(event));
    await emitClips(clips.finish()); // windows clamped to the real end of the recording
  }
  return {
    info: opened.info,
    durationS: samplesDone / YAMNET_SAMPLE_RATE,
    events,
    patches: nextIndex,
    modelVersion: model.version,
    timings: clock.totals(),
  };
}
