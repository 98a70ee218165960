import type { ArchivedWindowsReply, JobProgress, SegmentReady, UserKeyReply, WindowOutcome, WindowRecord } from '@giggles/contracts';
import type { TimeWindow } from '../domain/window-planner';

/**
 * What the services need from the outside world. Adapters implement these over HTTP and NATS;
 * unit tests implement them in memory.
 */

/** One HTTP response from Limitless, body not yet read. */
export interface LimitlessResponse {
  /** Epoch ms when the request left (after the rate-limit wait). */
  sentAt: number;
  status: number;
  contentType: string | null;
  retryAfterHeader: string | null;
  /** The body, chunk by chunk; read once. A stall longer than the idle timeout or a reset throws `LimitlessTransportError`. */
  body: AsyncIterable<Uint8Array>;
  /** The whole body as text, at most `maxBytes` (for error bodies). */
  text(maxBytes?: number): Promise<string>;
  /** Body bytes received so far. */
  bytesReceived(): number;
  /** Stops reading and releases the connection. */
  discard(): Promise<void>;
}

export interface LimitlessApi {
  /**
   * `GET /v1/download-audio?startMs&endMs&audioSource=pendant`, after waiting for the key's rate
   * limit. Throws `LimitlessTransportError` when no response arrives (timeout, reset, refused).
   */
  downloadAudio(apiKey: string, window: TimeWindow, signals?: RequestSignals): Promise<LimitlessResponse>;
  /**
   * `GET /v1/lifelogs` with the given query (e.g. `direction=asc&limit=1`), under the same rate
   * limit. Throws `LimitlessTransportError` when no response arrives.
   */
  lifelogs(apiKey: string, query: Record<string, string>, signals?: RequestSignals): Promise<LimitlessResponse>;
  /** The server answered 429: no request with this key before `untilMs`. */
  pauseKey(apiKey: string, untilMs: number): void;
}

export interface StoredAudio {
  size: number;
  /** A SegmentReady for it was published (set by `markPublished`). */
  published: boolean;
}

export interface AudioStore {
  /** Streams `source` into the audio bucket; resolves with the stored size once complete. */
  put(name: string, source: AsyncIterable<Uint8Array>, metadata: Record<string, string>): Promise<{ size: number }>;
  /** The complete object, or undefined when there is none. */
  find(name: string): Promise<StoredAudio | undefined>;
  markPublished(name: string): Promise<void>;
}

/** The plan a job made on its first delivery, kept so every redelivery reports the same counts. */
export interface StoredPlan {
  planned: number;
  skipped: number;
  windows: TimeWindow[];
}

export interface JobPlanStore {
  get(jobId: string): Promise<StoredPlan | undefined>;
  put(jobId: string, plan: StoredPlan): Promise<void>;
}

export interface PipelinePublisher {
  segmentReady(payload: SegmentReady): Promise<void>;
  windowOutcome(payload: WindowOutcome): Promise<void>;
  jobProgress(payload: JobProgress): Promise<void>;
}

export interface PersistenceQueries {
  windowsDone(userId: string, startMs: number, endMs: number): Promise<WindowRecord[]>;
  /** Undefined when the user has no key. */
  userKey(userId: string): Promise<UserKeyReply | undefined>;
  markKeyInvalid(userId: string, reason: string): Promise<boolean>;
  /**
   * The user's archived windows of a local day (the audio archive; empty when none or it is off):
   * `windows` with their audio, `emptyWindows` remembered as 404s (no audio recorded).
   */
  archivedWindows(userId: string, localDate: string): Promise<ArchivedWindowsReply>;
  /**
   * Has persistence stream an archived window into the audio bucket as `audioObject`; its size,
   * or undefined when the window is not (or no longer) archived.
   */
  restoreArchivedWindow(userId: string, windowStartMs: number, audioObject: string): Promise<number | undefined>;
}

export interface RequestSignals {
  /** Aborts the rate-limit wait (shutdown began: do not start new requests). */
  wait?: AbortSignal;
  /** Aborts the request and its body (shutdown grace is over). */
  io?: AbortSignal;
}

/** No response at all from Limitless: timeout, reset, refused, dropped mid-body. */
export class LimitlessTransportError extends Error {
  override readonly name = 'LimitlessTransportError';
  constructor(
    message: string,
    /** Epoch ms when the failed request left. */
    readonly sentAt: number,
  ) {
    super(message);
  }
}
