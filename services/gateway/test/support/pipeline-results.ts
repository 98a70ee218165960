/**
 * Seeds laughs the way the pipeline does: clip WAVs into the `giggles-clips` object bucket (as
 * inference leaves them) and segment results, window outcomes and job progress on the results
 * stream (as inference and ingestion publish them). Persistence consumes them for real.
 */
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  BUCKETS,
  CONSUMERS,
  messageIds,
  STREAMS,
  SUBJECTS,
  type DetectedEvent,
  type JobProgress,
  type SegmentResult,
  type WindowOutcome,
} from '@giggles/contracts';
import { openObjectBucket, publishDurable, putObjectStream, type ObjectBucket } from '@giggles/messaging';
import { waitFor } from '@giggles/testing';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A playable 16 kHz mono 16-bit PCM WAV of `seconds` (a quiet tone, so bytes differ along the file). */
export function wavClip(seconds: number, frequency = 440): Buffer {
  const rate = 16_000;
  const samples = Math.round(seconds * rate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * frequency * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export interface LaughSpec {
  startMs: number;
  probability?: number;
  /** Clip bytes (default a 2 s WAV); null for a laugh without a clip. */
  clip?: Buffer | null;
}

export interface WindowSpec {
  userId: string;
  localDate: string;
  windowStartMs: number;
  windowEndMs: number;
  laughs: LaughSpec[];
  jobId?: string;
  trigger?: SegmentResult['trigger'];
  decodedSeconds?: number;
  /** The window's audio object bytes (default a 4-byte stand-in). */
  audio?: Buffer;
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export class PipelineResults {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly clips: ObjectBucket,
    private readonly audio: ObjectBucket,
  ) {}

  static async open(natsUrl: string): Promise<PipelineResults> {
    const nc = await connect({ servers: natsUrl });
    const js = jetstream(nc);
    return new PipelineResults(nc, js, await jetstreamManager(nc), await openObjectBucket(js, BUCKETS.clips), await openObjectBucket(js, BUCKETS.audio));
  }

  /** One processed window with its laughs (clips staged first), as inference reports it; waits until persistence stored it. */
  async processedWindow(spec: WindowSpec): Promise<SegmentResult> {
    const audioObject = `audio-${randomUUID()}`;
    await putObjectStream(this.audio, audioObject, oneChunk(spec.audio ?? Buffer.from('OggS')));
    const events: DetectedEvent[] = [];
    for (const laugh of spec.laughs) {
      const clipObject = laugh.clip === null ? undefined : `clip-${randomUUID()}`;
      if (clipObject) await putObjectStream(this.clips, clipObject, oneChunk(laugh.clip ?? wavClip(2)));
      events.push({
        startMs: laugh.startMs,
        endMs: laugh.startMs + 1_500,
        peakMs: laugh.startMs + 700,
        probability: laugh.probability ?? 0.9,
        meanProbability: 0.7,
        classId: 13,
        className: 'Laughter',
        ...(clipObject ? { clipObject, clipStartMs: laugh.startMs - 1_000, clipEndMs: laugh.startMs + 2_500 } : {}),
      });
    }
    const result: SegmentResult = {
      jobId: spec.jobId ?? `job-${randomUUID()}`,
      userId: spec.userId,
      localDate: spec.localDate,
      trigger: spec.trigger ?? 'nightly',
      windowStartMs: spec.windowStartMs,
      windowEndMs: spec.windowEndMs,
      status: 'processed',
      decodedSeconds: spec.decodedSeconds ?? (spec.windowEndMs - spec.windowStartMs) / 1000,
      modelVersion: 'yamnet-test',
      events,
      audioObject,
      limitlessCalls: [{ status: 200, durationMs: 100, bytes: 1000, at: new Date().toISOString() }],
      processingMs: 100,
    };
    await publishDurable(this.js, SUBJECTS.segmentResult, result, messageIds.segmentResult(result.userId, result.windowStartMs, result.windowEndMs, result.jobId));
    await this.settled();
    return result;
  }

  async windowOutcome(outcome: WindowOutcome): Promise<void> {
    await publishDurable(this.js, SUBJECTS.windowOutcome, outcome, messageIds.windowOutcome(outcome.userId, outcome.windowStartMs, outcome.windowEndMs, outcome.jobId));
    await this.settled();
  }

  async jobProgress(progress: JobProgress): Promise<void> {
    await publishDurable(this.js, SUBJECTS.jobProgress, progress, messageIds.jobProgress(progress.jobId, progress.status));
    await this.settled();
  }

  /** Until persistence has acked everything published so far. */
  async settled(): Promise<void> {
    await waitFor(
      async () => {
        const info = await this.jsm.consumers.info(STREAMS.results.name, CONSUMERS.persistenceResults);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { what: 'persistence to store the results', timeoutMs: 20_000, intervalMs: 50 },
    );
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}
