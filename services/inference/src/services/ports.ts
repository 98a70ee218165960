import type { AnalysisResult, CutClip } from '@giggles/analysis';
import type { SegmentReady, SegmentResult } from '@giggles/contracts';

/**
 * What the inference logic needs from the outside world. Adapters (src/adapters) implement these
 * over NATS, the object store and the model; tests replace them.
 */

/** Reads audio objects (BUCKETS.audio) as a byte stream, chunk by chunk. */
export interface AudioObjectSource {
  /**
   * The object's bytes. Nothing is read until iteration starts; a missing (expired, deleted)
   * object surfaces as `AudioObjectMissingError` from the first `next()`.
   */
  open(name: string): AsyncIterable<Uint8Array>;
}

/** The audio object of a segment no longer exists (expired by TTL, or deleted). */
export class AudioObjectMissingError extends Error {
  override readonly name = 'AudioObjectMissingError';
  constructor(readonly object: string, options?: { cause?: unknown }) {
    super(`audio object ${object} does not exist (expired or deleted)`, options);
  }
}

/** Stores clip WAVs (BUCKETS.clips). Putting the same name twice replaces the object. */
export interface ClipStore {
  put(name: string, wav: Uint8Array, metadata: Record<string, string>): Promise<void>;
  /** Best effort; false when there was nothing to delete. */
  remove(name: string): Promise<boolean>;
}

export interface PublishOutcome {
  /** The stream already held a result with this message id (a redelivered segment). */
  duplicate: boolean;
  seq: number;
}

/** Publishes results durably: resolves only once JetStream has stored the message. */
export interface ResultPublisher {
  publish(result: SegmentResult, msgId: string): Promise<PublishOutcome>;
}

export interface AnalyzeHooks {
  onClip(clip: CutClip): Promise<void>;
  /** Audio seconds decoded so far. */
  onProgress(audioS: number): void;
  signal: AbortSignal;
}

/** Recording stream → laughter events (relative to the start of the decoded audio) and clips. */
export interface LaughterAnalyzer {
  readonly modelVersion: string;
  analyze(audio: AsyncIterable<Uint8Array>, hooks: AnalyzeHooks): Promise<AnalysisResult>;
}

/** What a handler gets with each segment: heartbeats for JetStream and the shutdown signal. */
export interface SegmentRun {
  deliveryCount: number;
  /** Tells JetStream the segment is still being worked on (resets its ack timer). */
  heartbeat(): void;
  /** Aborted when the process must stop before the analysis ends. */
  signal: AbortSignal;
}

/** Delivers segment events one at a time; a handler that resolves acks, one that throws naks. */
export interface SegmentSource {
  start(handler: (segment: SegmentReady, run: Omit<SegmentRun, 'signal'>) => Promise<void>, onGiveUp: (segment: SegmentReady, reason: string) => Promise<void>): Promise<void>;
  /** Stops pulling and resolves once in-flight handlers have finished (acked or naked). */
  stop(): Promise<void>;
}

/** Counters and timings for /metrics. */
export interface SegmentMetrics {
  segmentDone(result: SegmentResult, duplicate: boolean): void;
}

export type { SegmentReady, SegmentResult };
