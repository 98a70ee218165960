import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { BUCKETS, messageIds, SUBJECTS, type SegmentReady, type SegmentResult, type DeadLetter, STREAMS } from '@giggles/contracts';
import { ensureTopology, openObjectBucket, publishDurable, putObjectStream, type ObjectBucket } from '@giggles/messaging';
import { sharedDir, startNats, type NatsHandle } from '@giggles/testing';
import { jetstream, type JetStreamClient, type JetStreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { connect, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';

export const EVAL_RECORDING = join(sharedDir(), 'eval', 'long_d1.ogg');
export const MODEL_PATH = process.env.GIGGLES_MODEL ?? join(sharedDir(), 'models', 'yamnet.tflite');

/** A private nats-server (never the shared one: the production stream names are used here). */
export interface TestNats {
  server: NatsHandle;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  audio: ObjectBucket;
  clips: ObjectBucket;
  close(): Promise<void>;
}

export async function startTestNats(): Promise<TestNats> {
  const server = await startNats({ mode: 'private' });
  const nc = await connect({ servers: server.url, name: 'inference-tests' });
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  await ensureTopology(jsm);
  const [audio, clips] = await Promise.all([openObjectBucket(js, BUCKETS.audio), openObjectBucket(js, BUCKETS.clips)]);
  return {
    server,
    nc,
    js,
    jsm,
    audio,
    clips,
    async close() {
      await nc.close();
      await server.stop();
    },
  };
}

/** `ffmpeg -c copy`: a stretch of an Ogg Opus file without re-encoding (or the whole file looped). */
export function ffmpegCopy(input: string, output: string, options: { startS?: number; durationS?: number; loops?: number } = {}): string {
  const args = ['-hide_banner', '-loglevel', 'error', '-y'];
  if (options.loops) args.push('-stream_loop', String(options.loops));
  if (options.startS !== undefined) args.push('-ss', String(options.startS));
  args.push('-i', input);
  if (options.durationS !== undefined) args.push('-t', String(options.durationS));
  args.push('-c', 'copy', output);
  execFileSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return output;
}

export async function putAudioFile(bucket: ObjectBucket, name: string, path: string): Promise<void> {
  await putObjectStream(bucket, name, createReadStream(path, { highWaterMark: 64 * 1024 }));
}

export async function putAudioBytes(bucket: ObjectBucket, name: string, bytes: Uint8Array): Promise<void> {
  await putObjectStream(bucket, name, (async function* () {
    yield bytes;
  })());
}

let counter = 0;

/** A valid segment event for `audioObject`; each call gets its own window (and so its own result id). */
export function segmentEvent(audioObject: string, overrides: Partial<SegmentReady> = {}): SegmentReady {
  counter++;
  const windowStartMs = Date.UTC(2026, 0, 15, 8, 0, 0) + counter * 7_200_000;
  return {
    jobId: `day:test-${counter}`,
    userId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    localDate: '2026-01-15',
    timezone: 'Europe/Berlin',
    trigger: 'nightly',
    windowStartMs,
    windowEndMs: windowStartMs + 7_200_000,
    audioObject,
    audioBytes: 1,
    limitlessCalls: [{ status: 200, durationMs: 812, bytes: 123_456, at: '2026-01-16T02:00:01.000Z' }],
    ...overrides,
  };
}

export async function publishSegment(js: JetStreamClient, segment: SegmentReady, msgId?: string): Promise<void> {
  await publishDurable(js, SUBJECTS.segmentReady, segment, msgId ?? messageIds.segmentReady(segment.userId, segment.windowStartMs, segment.windowEndMs, segment.jobId));
}

export interface StoredMessage<T> {
  seq: number;
  subject: string;
  headers: MsgHdrs | undefined;
  data: T;
}

/** Every message in a stream, read without consuming (the work-queue streams keep them until acked). */
export async function readStream<T>(jsm: JetStreamManager, stream: string): Promise<StoredMessage<T>[]> {
  const info = await jsm.streams.info(stream);
  const out: StoredMessage<T>[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    try {
      const msg = await jsm.streams.getMessage(stream, { seq });
      if (!msg) continue;
      out.push({ seq, subject: msg.subject, headers: msg.header, data: msg.json<T>() });
    } catch (error) {
      if (!(error instanceof JetStreamApiError)) throw error;
    }
  }
  return out;
}

export async function resultsFor(jsm: JetStreamManager, segment: SegmentReady): Promise<StoredMessage<SegmentResult>[]> {
  const all = await readStream<SegmentResult>(jsm, STREAMS.results.name);
  return all.filter((m) => m.subject === SUBJECTS.segmentResult && m.data.jobId === segment.jobId && m.data.windowStartMs === segment.windowStartMs);
}

export async function deadLetters(jsm: JetStreamManager): Promise<StoredMessage<DeadLetter>[]> {
  return readStream<DeadLetter>(jsm, STREAMS.deadLetters.name);
}

/** Polls until `check` returns a value (not undefined/false). */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Reads a 16-bit PCM WAV header: [sampleRate, channels, bits, samples], or throws if it is not one. */
export function parseWav(bytes: Uint8Array): { sampleRate: number; channels: number; bitsPerSample: number; samples: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  if (buf.readUInt32LE(4) !== buf.length - 8) throw new Error(`RIFF size ${buf.readUInt32LE(4)} != ${buf.length - 8}`);
  if (buf.toString('ascii', 12, 16) !== 'fmt ' || buf.toString('ascii', 36, 40) !== 'data') throw new Error('unexpected chunk layout');
  const dataBytes = buf.readUInt32LE(40);
  if (dataBytes !== buf.length - 44) throw new Error(`data size ${dataBytes} != ${buf.length - 44}`);
  return { sampleRate: buf.readUInt32LE(24), channels: buf.readUInt16LE(22), bitsPerSample: buf.readUInt16LE(34), samples: dataBytes / 2 };
}
