import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { BUCKETS, CONSUMERS, messageIds, QUERIES, STREAMS, SUBJECTS, type DayJob, type DeadLetter, type JobProgress, type SegmentReady, type WindowOutcome, type WindowRecord } from '@giggles/contracts';
import { KeyCipher } from '@giggles/crypto';
import { getObjectStream, openObjectBucket, publishDurable, putObjectStream, QueryError, serveQueries, type QueryServer } from '@giggles/messaging';
import { decodeOggOpus, freePort, sharedDir, startLimitlessSimulator, startNats, type LimitlessSimulator, type NatsHandle } from '@giggles/testing';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestionApp } from '../src/bootstrap';
import { loadIngestionConfig, type IngestionConfig } from '../src/config/ingestion-config';
import { capturedLogger, ENCRYPTION_KEY_HEX } from './fakes';

/**
 * The service end to end on a private nats-server, with the Limitless simulator serving the shared
 * eval recordings and a small responder standing in for persistence's queries.
 */

const M = 60_000;
const T0 = Date.UTC(2025, 0, 15, 8, 0, 0);
const RECORDINGS = [join(sharedDir(), 'eval', 'long_d1.ogg'), join(sharedDir(), 'eval', 'long_d2.ogg')];
const cipher = KeyCipher.fromHex(ENCRYPTION_KEY_HEX);

let nats: NatsHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let sim: LimitlessSimulator;
let queries: QueryServer;
let app: INestApplication;
let config: IngestionConfig;
let healthUrl: string;
const logs = capturedLogger('debug');

/** What the fake persistence knows. */
const encryptedKeys = new Map<string, string>();
const doneWindows = new Map<string, WindowRecord[]>();
const invalidated: { userId: string; reason: string }[] = [];
/** The audio archive as persistence would answer for it: window start → the kept Ogg bytes. */
const archives = new Map<string, Map<number, Buffer>>();
const plaintextKeys: string[] = [];

interface User {
  userId: string;
  apiKey: string;
}

function newUser(options: { recordedMinutes?: number; knownToLimitless?: boolean } = {}): User {
  const user = { userId: randomUUID(), apiKey: `lmtls_${randomUUID().replace(/-/g, '')}` };
  plaintextKeys.push(user.apiKey);
  encryptedKeys.set(user.userId, cipher.encrypt(user.apiKey, user.userId));
  if (options.knownToLimitless !== false) {
    if (options.recordedMinutes) sim.placeRecordings(user.apiKey, RECORDINGS, T0, options.recordedMinutes / 60);
    else sim.addKey(user.apiKey);
  }
  return user;
}

function dayJob(user: User, minutes: number, trigger: DayJob['trigger'] = 'nightly'): DayJob {
  const startMs = T0;
  const endMs = T0 + minutes * M;
  return {
    jobId: messageIds.dayJob(user.userId, '2025-01-15', trigger, startMs, endMs),
    userId: user.userId,
    localDate: '2025-01-15',
    timezone: 'Europe/Berlin',
    startMs,
    endMs,
    trigger,
    requestedAt: new Date().toISOString(),
  };
}

async function submit(job: DayJob, msgId = job.jobId): Promise<void> {
  await publishDurable(js, SUBJECTS.dayJob, job, msgId);
}

interface Stored<T> {
  subject: string;
  msgId: string | undefined;
  payload: T;
}

/** Every message currently in a stream (nobody consumes results or segments in these tests). */
async function readStream<T>(stream: string): Promise<Stored<T>[]> {
  const info = await jsm.streams.info(stream);
  const out: Stored<T>[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!msg) continue;
    out.push({ subject: msg.subject, msgId: msg.header?.get('Nats-Msg-Id') || undefined, payload: msg.json<T>() });
  }
  return out;
}

async function segmentsOf(jobId: string): Promise<Stored<SegmentReady>[]> {
  return (await readStream<SegmentReady>(STREAMS.segments.name)).filter((m) => m.payload.jobId === jobId);
}

async function resultsOf(jobId: string): Promise<{ outcomes: WindowOutcome[]; progress: JobProgress[] }> {
  const all = (await readStream<WindowOutcome | JobProgress>(STREAMS.results.name)).filter((m) => m.payload.jobId === jobId);
  return {
    outcomes: all.filter((m) => m.subject === SUBJECTS.windowOutcome).map((m) => m.payload as WindowOutcome),
    progress: all.filter((m) => m.subject === SUBJECTS.jobProgress).map((m) => m.payload as JobProgress),
  };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the job's windows all have a message, then until the day-job consumer holds nothing. */
async function finished(job: DayJob, windows: number): Promise<{ segments: Stored<SegmentReady>[]; outcomes: WindowOutcome[]; progress: JobProgress[] }> {
  await eventually(`${windows} window messages for ${job.jobId}`, async () => {
    const [segments, results] = await Promise.all([segmentsOf(job.jobId), resultsOf(job.jobId)]);
    return segments.length + results.outcomes.length >= windows;
  });
  await consumerIdle();
  const [segments, results] = await Promise.all([segmentsOf(job.jobId), resultsOf(job.jobId)]);
  return { segments, ...results };
}

async function consumerIdle(): Promise<void> {
  await eventually('the day-job consumer to have acked everything', async () => {
    const info = await jsm.consumers.info(STREAMS.dayJobs.name, CONSUMERS.ingestionDayJobs);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

async function startApp(): Promise<INestApplication> {
  return createIngestionApp(config, logs.logger, { host: '127.0.0.1' });
}

beforeAll(async () => {
  nats = await startNats({ mode: 'private' });
  nc = await connect({ servers: nats.url, name: 'ingestion-tests' });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
  sim = await startLimitlessSimulator({ seed: 3 });
  const healthPort = await freePort();
  healthUrl = `http://127.0.0.1:${healthPort}`;
  config = loadIngestionConfig({
    NATS_URL: nats.url,
    LIMITLESS_API_URL: sim.url,
    GIGGLES_ENCRYPTION_KEY: ENCRYPTION_KEY_HEX,
    HEALTH_PORT: String(healthPort),
    LOG_LEVEL: 'debug',
    INGESTION_WINDOW_MINUTES: '1',
    LIMITLESS_RATE_LIMIT_BURST: '60',
    LIMITLESS_RETRY_BASE: '10ms',
    LIMITLESS_RETRY_CAP: '40ms',
    LIMITLESS_MAX_ATTEMPTS: '5',
    LIMITLESS_REQUEST_TIMEOUT: '3s',
    LIMITLESS_BODY_IDLE_TIMEOUT: '3s',
    INGESTION_REDELIVERY_DELAY: '200ms',
    INGESTION_ACK_WAIT: '10s',
    INGESTION_MAX_DELIVER: '3',
    INGESTION_SHUTDOWN_GRACE: '5s',
    INGESTION_QUERY_TIMEOUT: '2s',
  });
  app = await startApp();
  queries = serveQueries(nc, {
    [QUERIES.windowsDone]: async ({ userId }) => ({ windows: doneWindows.get(userId) ?? [] }),
    [QUERIES.userKey]: async ({ userId }) => {
      const encryptedKey = encryptedKeys.get(userId);
      if (!encryptedKey) throw QueryError.notFound('no key for this user');
      return { encryptedKey, status: 'active' };
    },
    [QUERIES.markKeyInvalid]: async (request) => {
      invalidated.push(request);
      return { updated: true };
    },
    [QUERIES.archivedWindows]: async ({ userId }) => ({
      windows: [...(archives.get(userId) ?? new Map<number, Buffer>())].map(([startMs, bytes]) => ({
        windowStartMs: startMs,
        windowEndMs: startMs + M,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      })),
    }),
    // Like persistence: the kept file streamed into the audio bucket under ingestion's name.
    [QUERIES.restoreArchivedWindow]: async ({ userId, windowStartMs, audioObject }) => {
      const bytes = archives.get(userId)?.get(windowStartMs);
      if (!bytes) throw QueryError.notFound('no such archived window');
      await putObjectStream(await openObjectBucket(js, BUCKETS.audio), audioObject, (async function* () { yield bytes; })());
      return { windowStartMs, windowEndMs: windowStartMs + M, bytes: bytes.length };
    },
  });
});

afterAll(async () => {
  await app?.close();
  await queries?.stop();
  await nc?.close();
  await sim?.stop();
  await nats?.stop();
});

describe('ingestion service', () => {
  it('a day job: skips done windows, downloads the rest into the object store, publishes SegmentReady / empty outcomes', async () => {
    const user = newUser({ recordedMinutes: 10 }); // one 600 s recording from T0
    doneWindows.set(user.userId, [{ startMs: T0, endMs: T0 + M, status: 'processed' }]);
    const job = dayJob(user, 12);
    await submit(job);
    const { segments, outcomes, progress } = await finished(job, 11);

    expect(progress).toMatchObject([{ status: 'planned', windowsPlanned: 12, windowsSkipped: 1 }]);
    expect(segments.map((s) => s.payload.windowStartMs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => T0 + i * M));
    expect(outcomes.map((o) => [o.windowStartMs, o.status])).toEqual([
      [T0 + 10 * M, 'empty'],
      [T0 + 11 * M, 'empty'],
    ]);
    for (const s of segments) {
      expect(s.msgId).toBe(messageIds.segmentReady(user.userId, s.payload.windowStartMs, s.payload.windowEndMs, job.jobId));
      expect(s.payload.limitlessCalls).toMatchObject([{ status: 200, bytes: s.payload.audioBytes }]);
    }
    const bucket = await openObjectBucket(js, BUCKETS.audio);
    const readObject = async (name: string) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of getObjectStream(bucket, name)) chunks.push(chunk);
      return Buffer.concat(chunks);
    };
    for (const s of segments) {
      const bytes = await readObject(s.payload.audioObject);
      expect(bytes.length).toBe(s.payload.audioBytes);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
      expect(bytes.length).toBeGreaterThan(50_000); // a minute of Opus speech
    }
    const first = await readObject(segments[0].payload.audioObject);
    const decoded = await decodeOggOpus(first, 16_000);
    expect(decoded.samples.length).toBe(60 * 16_000);
    // windows are never longer than asked and respect the 2 h API limit
    const requests = sim.requests().filter((r) => r.path.includes('download-audio'));
    expect(requests.every((r) => r.status === 200 || r.status === 404)).toBe(true);
  });

  it('a reprocess takes archived windows from the archive: only never-archived windows reach Limitless', async () => {
    const user = newUser({ recordedMinutes: 6 });
    const kept = new Map<number, Buffer>();
    for (const i of [0, 1, 2, 3]) {
      const bytes = Buffer.alloc(4_000 + i, i);
      bytes.write('OggS', 0, 'latin1');
      kept.set(T0 + i * M, bytes);
    }
    archives.set(user.userId, kept);
    const job = dayJob(user, 6, 'reprocess');
    const before = sim.requests().filter((r) => r.path.includes('download-audio')).length;
    await submit(job);
    const { segments } = await finished(job, 6);

    expect(segments.map((s) => s.payload.windowStartMs)).toEqual([0, 1, 2, 3, 4, 5].map((i) => T0 + i * M));
    const downloads = sim.requests().filter((r) => r.path.includes('download-audio')).slice(before);
    expect(downloads).toHaveLength(2);
    expect(downloads.every((r) => r.path.includes(`startMs=${T0 + 4 * M}&`) || r.path.includes(`startMs=${T0 + 5 * M}&`))).toBe(true);
    const bucket = await openObjectBucket(js, BUCKETS.audio);
    for (const s of segments.slice(0, 4)) {
      expect(s.payload.limitlessCalls).toEqual([]);
      const chunks: Uint8Array[] = [];
      for await (const chunk of getObjectStream(bucket, s.payload.audioObject)) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(kept.get(s.payload.windowStartMs)!)).toBe(true);
    }
    expect(segments[4].payload.limitlessCalls).toMatchObject([{ status: 200 }]);
  });

  it('30% 5xx from Limitless: every window still arrives (retries), with the failed calls recorded', async () => {
    const user = newUser({ recordedMinutes: 8 });
    sim.setFaultRates({ serverErrorRate: 0.3 }, user.apiKey);
    const job = dayJob(user, 8);
    await submit(job);
    const { segments, outcomes } = await finished(job, 8);
    expect(outcomes).toEqual([]);
    expect(segments).toHaveLength(8);
    const statuses = segments.flatMap((s) => s.payload.limitlessCalls.map((c) => c.status));
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
  });

  it('persistent 5xx: each window becomes a gap after the bounded attempts', async () => {
    const user = newUser({ recordedMinutes: 2 });
    sim.setFaultRates({ serverErrorRate: 1 }, user.apiKey);
    const job = dayJob(user, 2);
    await submit(job);
    const { segments, outcomes } = await finished(job, 2);
    expect(segments).toEqual([]);
    expect(outcomes.map((o) => [o.status, o.error?.code, o.limitlessCalls.length])).toEqual([
      ['gap', 'limitless_unavailable', 5],
      ['gap', 'limitless_unavailable', 5],
    ]);
  });

  it('401: the key is marked invalid, the job reports key_invalid, stops, and is acked', async () => {
    const user = newUser({ knownToLimitless: false });
    const job = dayJob(user, 5);
    await submit(job);
    const progress = await eventually('key_invalid progress', async () => {
      const { progress } = await resultsOf(job.jobId);
      return progress.find((p) => p.status === 'key_invalid');
    });
    expect(progress.error?.code).toBe('key_invalid');
    await consumerIdle();
    expect(invalidated.filter((i) => i.userId === user.userId)).toHaveLength(1);
    expect(invalidated[0].reason).toMatch(/Invalid API key/);
    expect(sim.requests().filter((r) => r.status === 401)).toHaveLength(1);
    expect(await segmentsOf(job.jobId)).toEqual([]);
  });

  it('429 with retryAfter: waits as told, then succeeds', async () => {
    const user = newUser({ recordedMinutes: 2 });
    sim.queueFaults([{ kind: 'rate-limit', retryAfterSeconds: 1, header: false }], user.apiKey);
    sim.clearRequests();
    const job = dayJob(user, 2);
    await submit(job);
    const { segments } = await finished(job, 2);
    expect(segments[0].payload.limitlessCalls.map((c) => c.status)).toEqual([429, 200]);
    const requests = sim.requests();
    expect(requests[0].status).toBe(429);
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(1_000);
  });

  it('a non-Ogg 200: that window fails with a clear error and is not retried; the others go on', async () => {
    const user = newUser({ recordedMinutes: 3 });
    sim.queueFaults([{ kind: 'corrupt' }], user.apiKey);
    sim.clearRequests();
    const job = dayJob(user, 3);
    await submit(job);
    const { segments, outcomes } = await finished(job, 3);
    expect(segments).toHaveLength(2);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ windowStartMs: T0, status: 'failed', error: { code: 'not_ogg' } });
    expect(outcomes[0].error?.message).toMatch(/^response is not Ogg audio \(got content-type audio\/ogg, first bytes 4e 6f 74 4f 67 67 .*\("NotOgg/);
    expect(sim.requests().filter((r) => r.path.includes(`startMs=${T0}&`))).toHaveLength(1);
  });

  it('a connection dropped mid-download is retried and the window still arrives whole', async () => {
    const user = newUser({ recordedMinutes: 1 });
    sim.queueFaults([{ kind: 'drop-mid-body' }, { kind: 'drop-before-headers' }], user.apiKey);
    const job = dayJob(user, 1);
    await submit(job);
    const { segments } = await finished(job, 1);
    expect(segments[0].payload.limitlessCalls.map((c) => c.status)).toEqual([200, 0, 200]);
    expect(segments[0].payload.limitlessCalls[0].error).toBeTruthy();
  });

  it('a job submitted again is no duplicate: no segment message is published twice', async () => {
    const user = newUser({ recordedMinutes: 3 });
    const job = dayJob(user, 3);
    await submit(job);
    await finished(job, 3);
    const requestsBefore = sim.requests().length;
    await submit(job, `${job.jobId}:again`); // a different message id: the stream takes it, the service sees the same job
    await consumerIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const segments = await segmentsOf(job.jobId);
    expect(segments).toHaveLength(3);
    expect(sim.requests().length).toBe(requestsBefore);
  });

  it('SIGTERM mid-job: the current window finishes, the job is handed back, and the next instance completes it without duplicates', async () => {
    const user = newUser({ recordedMinutes: 8 });
    sim.setFaultRates({ delayMs: 250 }, user.apiKey);
    const job = dayJob(user, 8);
    await submit(job);
    await eventually('two windows downloaded', async () => (await segmentsOf(job.jobId)).length >= 2);
    await app.close(); // what enableShutdownHooks does on SIGTERM
    const afterStop = (await segmentsOf(job.jobId)).length;
    expect(afterStop).toBeLessThan(8);
    const info = await jsm.consumers.info(STREAMS.dayJobs.name, CONSUMERS.ingestionDayJobs);
    expect(info.num_pending + info.num_ack_pending).toBe(1); // naked, waiting for redelivery
    app = await startApp();
    const { segments } = await finished(job, 8);
    expect(segments).toHaveLength(8);
    expect(new Set(segments.map((s) => s.payload.windowStartMs)).size).toBe(8);
    sim.clearFaults(user.apiKey);
  });

  it('a malformed day job is dead-lettered and the consumer keeps going; a job for a user without a key fails visibly', async () => {
    await js.publish(SUBJECTS.dayJob, JSON.stringify({ jobId: 'broken', userId: 'not-a-uuid' }), { msgID: 'broken-job' });
    const noKey: User = { userId: randomUUID(), apiKey: 'unused' };
    const noKeyJob = dayJob(noKey, 2);
    await submit(noKeyJob);
    const user = newUser({ recordedMinutes: 1 });
    const job = dayJob(user, 1);
    await submit(job);
    await finished(job, 1);

    const dead = await eventually('two dead letters', async () => {
      const letters = await readStream<DeadLetter>(STREAMS.deadLetters.name);
      return letters.length >= 2 ? letters : undefined;
    });
    expect(dead[0]).toMatchObject({ subject: `${SUBJECTS.deadLetterPrefix}${SUBJECTS.dayJob}`, payload: { stream: STREAMS.dayJobs.name } });
    expect(dead[0].payload.reason).toMatch(/invalid payload/);
    expect(dead[1].payload.reason).toMatch(/no Limitless API key/);
    const { progress } = await resultsOf(noKeyJob.jobId);
    expect(progress.find((p) => p.status === 'failed')?.error?.message).toMatch(/no Limitless API key/);
  });

  it('health: ready reports NATS, the consumer, the pipeline and memory; live and metrics answer', async () => {
    const ready = await fetch(`${healthUrl}/health/ready`);
    const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
    expect(ready.status).toBe(200);
    expect(Object.keys(body.info).sort()).toEqual(['consumer', 'memory', 'nats', 'pipeline']);
    expect((await fetch(`${healthUrl}/health/live`)).status).toBe(200);
    const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
    expect(metrics).toMatch(/giggles_limitless_requests_total\{status="200",service="ingestion"\} \d+/);
    expect(metrics).toMatch(/giggles_ingestion_windows_total\{outcome="segment",service="ingestion"\} \d+/);
  });

  it('no API key, plaintext or encrypted, ever reached the logs', () => {
    const text = logs.text();
    expect(logs.lines.length).toBeGreaterThan(20);
    for (const key of plaintextKeys) expect(text).not.toContain(key);
    for (const encrypted of encryptedKeys.values()) expect(text).not.toContain(encrypted);
    expect(text).not.toContain(ENCRYPTION_KEY_HEX);
  });
});
