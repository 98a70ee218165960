import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { CutClip } from '@giggles/analysis';
import { encodeWav16 } from '@giggles/audio';
import { messageIds, type SegmentReady, type SegmentResult } from '@giggles/contracts';
import type { InferenceLogger } from '../logging/logger';
import { AUDIO_SOURCE, CLIP_STORE, LAUGHTER_ANALYZER, LOGGER, RESULT_PUBLISHER, SEGMENT_METRICS } from '../tokens';
import type { AudioObjectSource, ClipStore, LaughterAnalyzer, ResultPublisher, SegmentMetrics, SegmentRun } from './ports';
import { segmentFailure } from './segment-failure';
import { absoluteMs, audioStartOf, buildSegmentResult, clipObjectName, inWindow, isPlayable, secondsInWindow, toDetectedEvent, type StoredClip } from './segment-result';

export interface ProcessOutcome {
  result: SegmentResult;
  msgId: string;
  /** JetStream already had this result (the segment was redelivered after its result was stored). */
  duplicate: boolean;
}

/** Code of the 'failed' result published when a segment is dead-lettered (retries exhausted). */
export const INFERENCE_GAVE_UP = 'INFERENCE_GAVE_UP';

/** Progress heartbeats are sent at most this often (the consumer runner also sends them on a timer). */
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * One segment event → one SegmentResult: streams the audio object through the analyzer, stores a
 * WAV clip per laugh, converts events to absolute time, and publishes the result durably. Problems
 * with the audio itself (undecodable, object gone) become a 'failed' result; anything else
 * propagates so the segment is retried. The audio object is left alone: persistence deletes it
 * once the result is in the database.
 */
@Injectable()
export class SegmentProcessor {
  constructor(
    @Inject(AUDIO_SOURCE) private readonly audio: AudioObjectSource,
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
    @Inject(RESULT_PUBLISHER) private readonly results: ResultPublisher,
    @Inject(LAUGHTER_ANALYZER) private readonly analyzer: LaughterAnalyzer,
    @Inject(LOGGER) private readonly logger: InferenceLogger,
    @Inject(SEGMENT_METRICS) private readonly metrics: SegmentMetrics = { segmentDone: () => undefined },
  ) {}

  async process(segment: SegmentReady, run: SegmentRun): Promise<ProcessOutcome> {
    const log = this.logger.child({
      jobId: segment.jobId,
      userId: segment.userId,
      windowStartMs: segment.windowStartMs,
      windowEndMs: segment.windowEndMs,
      audioObject: segment.audioObject,
      delivery: run.deliveryCount,
    });
    log.info({ audioBytes: segment.audioBytes }, 'segment started');
    const result = await this.analyze(segment, run, log);
    return this.publish(result, log);
  }

  /** After the last delivery failed: a 'failed' result, so the user's day shows the window and moves on. */
  async giveUp(segment: SegmentReady, reason: string): Promise<ProcessOutcome> {
    const log = this.logger.child({ jobId: segment.jobId, userId: segment.userId, windowStartMs: segment.windowStartMs });
    const result = buildSegmentResult(segment, {
      status: 'failed',
      decodedSeconds: 0,
      modelVersion: this.analyzer.modelVersion,
      events: [],
      processingMs: 0,
      error: { code: INFERENCE_GAVE_UP, message: reason.slice(0, 2_000) },
    });
    return this.publish(result, log);
  }

  private async publish(result: SegmentResult, log: InferenceLogger): Promise<ProcessOutcome> {
    const msgId = messageIds.segmentResult(result.userId, result.windowStartMs, result.windowEndMs, result.jobId);
    const { duplicate } = await this.results.publish(result, msgId);
    this.metrics.segmentDone(result, duplicate);
    const realtime = result.processingMs > 0 ? Math.round((result.decodedSeconds / (result.processingMs / 1000)) * 10) / 10 : undefined;
    log.info(
      {
        status: result.status,
        events: result.events.length,
        clips: result.events.filter((e) => e.clipObject).length,
        decodedSeconds: result.decodedSeconds,
        processingMs: result.processingMs,
        realtime,
        error: result.error,
        msgId,
        duplicate,
      },
      'segment result published',
    );
    return { result, msgId, duplicate };
  }

  private async analyze(segment: SegmentReady, run: SegmentRun, log: InferenceLogger): Promise<SegmentResult> {
    const started = performance.now();
    const stored = new Map<number, StoredClip>(); // by the event's first frame
    let lastBeat = started;
    const heartbeat = () => {
      const now = performance.now();
      if (now - lastBeat < HEARTBEAT_EVERY_MS) return;
      lastBeat = now;
      run.heartbeat();
    };
    const audioStartMs = audioStartOf(segment);
    const onClip = async (clip: CutClip) => {
      if (!isPlayable(audioStartMs, clip.window)) return;
      if (!inWindow(segment, absoluteMs(audioStartMs, clip.event.startS))) return; // another day's part keeps it
      const name = clipObjectName(segment, clip.event);
      await this.clips.put(name, encodeWav16(clip.samples, clip.sampleRate), {
        userId: segment.userId,
        localDate: segment.localDate,
        windowStartMs: String(segment.windowStartMs),
        jobId: segment.jobId,
      });
      stored.set(clip.event.firstFrame, { object: name, window: clip.window });
      heartbeat();
    };

    try {
      const analysis = await this.analyzer.analyze(this.audio.open(segment.audioObject), { onClip, onProgress: heartbeat, signal: run.signal });
      return buildSegmentResult(segment, {
        status: 'processed',
        decodedSeconds: secondsInWindow(segment, analysis.durationS),
        modelVersion: analysis.modelVersion,
        events: analysis.events
          .map((event) => toDetectedEvent(audioStartMs, event, stored.get(event.firstFrame)))
          .filter((event) => inWindow(segment, event.startMs)),
        processingMs: performance.now() - started,
      });
    } catch (error) {
      const failure = run.signal.aborted ? undefined : segmentFailure(error);
      if (!failure) throw error;
      log.warn({ code: failure.code, reason: failure.message, decodedSeconds: failure.decodedSeconds }, 'segment audio unusable; reporting it as failed');
      await this.removeClips(stored, log);
      return buildSegmentResult(segment, {
        status: 'failed',
        decodedSeconds: secondsInWindow(segment, failure.decodedSeconds),
        modelVersion: this.analyzer.modelVersion,
        events: [],
        processingMs: performance.now() - started,
        error: { code: failure.code, message: failure.message },
      });
    }
  }

  /** Clips cut before the audio turned out to be unusable belong to no event: drop them (best effort; they also expire). */
  private async removeClips(stored: Map<number, StoredClip>, log: InferenceLogger): Promise<void> {
    for (const { object } of stored.values()) {
      await this.clips.remove(object).catch((error: unknown) => log.warn({ clipObject: object, err: String(error) }, 'orphan clip not removed'));
    }
  }
}
