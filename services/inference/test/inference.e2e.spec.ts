import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { analyzeRecording } from '@giggles/analysis';
import { CONSUMERS, messageIds, STREAMS, SUBJECTS, type SegmentReady } from '@giggles/contracts';
import { getObjectStream } from '@giggles/messaging';
import { makeTempDir, type TempDir } from '@giggles/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JetStreamResultPublisher } from '../src/adapters/result-publisher.adapter';
import type { YamnetModelAdapter } from '../src/adapters/yamnet-model.adapter';
import { createInferenceApp } from '../src/bootstrap';
import { loadInferenceConfig, type InferenceConfig } from '../src/config/inference-config';
import { createLogger } from '../src/logging/logger';
import { YamnetLaughterAnalyzer } from '../src/services/yamnet-laughter-analyzer';
import { YAMNET } from '../src/tokens';
import {
  deadLetters,
  EVAL_RECORDING,
  ffmpegCopy,
  MODEL_PATH,
  parseWav,
  publishSegment,
  putAudioBytes,
  putAudioFile,
  resultsFor,
  segmentEvent,
  startTestNats,
  waitUntil,
  type TestNats,
} from './support/fixtures';

/**
 * The service in this process against a private nats-server and the real model: one app for the
 * whole file (one model load), segments one after another through the real consumer.
 */
describe('inference service (real NATS, real model)', () => {
  let nats: TestNats;
  let dir: TempDir;
  let app: INestApplication | undefined;
  let config: InferenceConfig;
  const logs: Array<Record<string, unknown>> = [];
  let window90: string; // 90 s of long_d1 from 75 s: four labelled laughs
  let window20: string;

  const logsFor = (segment: SegmentReady, msg: string) => logs.filter((l) => l.msg === msg && l.jobId === segment.jobId && l.windowStartMs === segment.windowStartMs);
  const oneResult = async (segment: SegmentReady, timeoutMs = 60_000) =>
    waitUntil(`the result of ${segment.audioObject}`, async () => (await resultsFor(nats.jsm, segment))[0], timeoutMs);

  beforeAll(async () => {
    dir = makeTempDir('inference-e2e');
    window90 = ffmpegCopy(EVAL_RECORDING, join(dir.path, 'w90.ogg'), { startS: 75, durationS: 90 });
    window20 = ffmpegCopy(EVAL_RECORDING, join(dir.path, 'w20.ogg'), { startS: 0, durationS: 20 });
    nats = await startTestNats();
    config = loadInferenceConfig({
      NATS_URL: nats.server.url,
      GIGGLES_MODEL: MODEL_PATH,
      INFERENCE_ACK_WAIT: '4s', // heartbeats (every 1.3 s) must keep long analyses from being redelivered
      INFERENCE_MAX_DELIVER: '3',
      INFERENCE_SHUTDOWN_GRACE: '0', // the last test interrupts an analysis
    });
    const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    app = await createInferenceApp(config, logger);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await app?.close();
    await nats?.close();
    dir?.remove();
  });

  it('turns a real Ogg window into events at absolute times with WAV clips, and acks it', async () => {
    await putAudioFile(nats.audio, 'seg/w90.ogg', window90);
    const segment = segmentEvent('seg/w90.ogg', { audioBytes: readFileSync(window90).length });
    await publishSegment(nats.js, segment);
    const message = await oneResult(segment);
    const result = message.data;

    // The same recording through analyzeRecording directly, with the service's model and settings.
    const model = app!.get<YamnetModelAdapter>(YAMNET).model;
    const reference = await analyzeRecording(window90, { model, detection: config.detection, analysis: config.analysis });
    expect(reference.events.length).toBeGreaterThanOrEqual(2);

    expect(message.headers?.get('Nats-Msg-Id')).toBe(messageIds.segmentResult(segment.userId, segment.windowStartMs, segment.windowEndMs, segment.jobId));
    expect(result).toMatchObject({
      status: 'processed',
      jobId: segment.jobId,
      windowStartMs: segment.windowStartMs,
      audioObject: 'seg/w90.ogg',
      limitlessCalls: segment.limitlessCalls,
      modelVersion: model.version,
    });
    expect(result.error).toBeUndefined();
    expect(Math.abs(result.decodedSeconds - reference.durationS)).toBeLessThanOrEqual(0.001);
    expect(result.decodedSeconds).toBeGreaterThan(89);
    expect(result.processingMs).toBeGreaterThan(0);
    const w = segment.windowStartMs;
    expect(result.events.map((e) => [e.startMs, e.endMs, e.peakMs, e.classId])).toEqual(
      reference.events.map((e) => [w + Math.round(e.startS * 1000), w + Math.round(e.endS * 1000), w + Math.round(e.peakS * 1000), e.classId]),
    );
    result.events.forEach((event, i) => expect(event.probability).toBeCloseTo(reference.events[i].probability, 6));

    for (const event of result.events) {
      expect(event.clipObject).toBe(`${segment.userId}/${segment.localDate}/${w}-${event.startMs}-${event.classId}.wav`);
      expect(event.clipStartMs!).toBeLessThanOrEqual(event.startMs);
      expect(event.clipEndMs!).toBeGreaterThanOrEqual(event.endMs);
      const chunks: Uint8Array[] = [];
      for await (const chunk of getObjectStream(nats.clips, event.clipObject!)) chunks.push(chunk);
      const wav = parseWav(Buffer.concat(chunks));
      expect(wav).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
      expect(Math.abs(wav.samples - (event.clipEndMs! - event.clipStartMs!) * 16)).toBeLessThanOrEqual(16);
    }

    // Acked (the work-queue stream is empty), heartbeats kept it from being redelivered, audio left for persistence.
    await waitUntil('the segment to be acked', async () => (await nats.jsm.streams.info(STREAMS.segments.name)).state.messages === 0, 10_000);
    expect(logsFor(segment, 'segment started')).toHaveLength(1);
    expect(await nats.audio.store.info('seg/w90.ogg')).toMatchObject({ name: 'seg/w90.ogg' });
  });

  it('reports corrupt, truncated and non-audio objects as failed results and carries on with the next segment', async () => {
    const good = readFileSync(window90);
    const corrupt = Buffer.from(good);
    randomBytes(4096).copy(corrupt, Math.floor(corrupt.length * 0.6)); // a damaged stretch ~54 s in, after two laughs
    const truncated = good.subarray(0, Math.floor(good.length / 2) + 17); // ends mid-page
    await putAudioBytes(nats.audio, 'seg/corrupt.ogg', corrupt);
    await putAudioBytes(nats.audio, 'seg/truncated.ogg', truncated);
    await putAudioBytes(nats.audio, 'seg/text.ogg', new TextEncoder().encode('<html>rate limited</html>\n'));
    await putAudioFile(nats.audio, 'seg/w20.ogg', window20);

    const segments = ['seg/corrupt.ogg', 'seg/truncated.ogg', 'seg/text.ogg', 'seg/w20.ogg'].map((name) => segmentEvent(name));
    for (const segment of segments) await publishSegment(nats.js, segment);
    const [corruptResult, truncatedResult, textResult, next] = await Promise.all(segments.map((s) => oneResult(s)));

    expect(corruptResult.data).toMatchObject({ status: 'failed', events: [], error: { code: 'AUDIO_CORRUPT' } });
    expect(corruptResult.data.decodedSeconds).toBeGreaterThan(30);
    expect(corruptResult.data.decodedSeconds).toBeLessThan(89);
    expect(truncatedResult.data).toMatchObject({ status: 'failed', events: [], error: { code: 'AUDIO_TRUNCATED' } });
    expect(textResult.data).toMatchObject({ status: 'failed', events: [], decodedSeconds: 0, error: { code: 'AUDIO_NOT_AUDIO' } });
    for (const r of [corruptResult, truncatedResult, textResult]) expect(r.data.error!.message.length).toBeGreaterThan(10);
    expect(next.data.status).toBe('processed');
    expect(next.data.error).toBeUndefined();
    expect(next.data.decodedSeconds).toBeGreaterThan(19);

    // Clips cut before the damage belong to no stored event: none are left behind.
    const leftovers = (await nats.clips.store.list()).filter((o) => o.name.includes(`/${segments[0].windowStartMs}-`) || o.name.includes(`/${segments[1].windowStartMs}-`));
    expect(leftovers).toEqual([]);
    expect(await deadLetters(nats.jsm)).toEqual([]);
  });

  it('reports a missing (expired) audio object as failed with AUDIO_OBJECT_MISSING', async () => {
    const segment = segmentEvent('seg/expired-long-ago.ogg');
    await publishSegment(nats.js, segment);
    const { data } = await oneResult(segment);
    expect(data).toMatchObject({ status: 'failed', events: [], decodedSeconds: 0, error: { code: 'AUDIO_OBJECT_MISSING' } });
  });

  it('dead-letters a malformed segment event without retrying it, and keeps consuming', async () => {
    const malformed = { ...segmentEvent('seg/w20.ogg'), userId: 'not-a-uuid', windowEndMs: 5 };
    await nats.js.publish(SUBJECTS.segmentReady, JSON.stringify(malformed), { msgID: 'malformed-1' });
    await nats.js.publish(SUBJECTS.segmentReady, 'this is not json', { msgID: 'malformed-2' });
    const letters = await waitUntil('two dead letters', async () => {
      const all = await deadLetters(nats.jsm);
      return all.length >= 2 ? all : undefined;
    });
    expect(letters.map((l) => l.subject)).toEqual([`giggles.dead.${SUBJECTS.segmentReady}`, `giggles.dead.${SUBJECTS.segmentReady}`]);
    expect(letters[0].data).toMatchObject({ stream: STREAMS.segments.name, deliveries: 1, payload: JSON.stringify(malformed) });
    expect(letters[0].data.reason).toMatch(/invalid payload: .*userId/);
    expect(letters[1].data.reason).toMatch(/invalid payload: .*not JSON/);

    const after = segmentEvent('seg/w20.ogg');
    await publishSegment(nats.js, after);
    expect((await oneResult(after)).data.status).toBe('processed');
  });

  it('publishes a redelivered segment under the same message id: one result in the stream', async () => {
    // First attempt: the result is stored, then the process "loses" the ack (it throws after publishing).
    const publish = JetStreamResultPublisher.prototype.publish;
    const spy = vi.spyOn(JetStreamResultPublisher.prototype, 'publish').mockImplementationOnce(async function (this: JetStreamResultPublisher, ...args) {
      await publish.apply(this, args);
      throw new Error('connection lost before the ack');
    });
    const segment = segmentEvent('seg/w20.ogg');
    await publishSegment(nats.js, segment);
    await waitUntil('the redelivered attempt to publish', () => spy.mock.calls.length >= 2 && spy.mock.results[1].type === 'return', 30_000);
    const second = await (spy.mock.results[1].value as ReturnType<typeof publish>);
    const msgIds = spy.mock.calls.map((c) => c[1]);
    spy.mockRestore();

    const msgId = messageIds.segmentResult(segment.userId, segment.windowStartMs, segment.windowEndMs, segment.jobId);
    expect(msgIds).toEqual([msgId, msgId]);
    expect(second.duplicate).toBe(true);
    expect(logsFor(segment, 'segment started').map((l) => l.delivery)).toEqual([1, 2]);
    const results = await resultsFor(nats.jsm, segment);
    expect(results).toHaveLength(1);
    expect(results[0].headers?.get('Nats-Msg-Id')).toBe(msgId);
    await waitUntil('the segment to be acked', async () => (await nats.jsm.streams.info(STREAMS.segments.name)).state.messages === 0, 10_000);
  });

  it('retries a transient failure with backoff, then dead-letters it and reports the window as failed', async () => {
    const spy = vi.spyOn(YamnetLaughterAnalyzer.prototype, 'analyze').mockRejectedValue(new Error('onnxruntime: out of threads'));
    try {
      const segment = segmentEvent('seg/w20.ogg');
      await publishSegment(nats.js, segment);
      const { data } = await oneResult(segment, 30_000); // maxDeliver 3: backoff 1 s, 5 s, then the dead letter
      expect(data).toMatchObject({ status: 'failed', events: [], error: { code: 'INFERENCE_GAVE_UP' } });
      expect(data.error!.message).toMatch(/failed 3 of 3 deliveries; last error: onnxruntime: out of threads/);
      expect(logsFor(segment, 'segment started').map((l) => l.delivery)).toEqual([1, 2, 3]);
      const letters = (await deadLetters(nats.jsm)).filter((l) => l.data.payload.includes(segment.jobId));
      expect(letters).toHaveLength(1);
      expect(letters[0].data).toMatchObject({ deliveries: 3, stream: STREAMS.segments.name });
    } finally {
      spy.mockRestore();
    }
  });

  it('serves /health/live, /health/ready (NATS, consumer, pipeline, memory) and /metrics', async () => {
    await app!.listen(0, '127.0.0.1');
    const base = await app!.getUrl();
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
    expect(ready.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual(['consumer', 'memory', 'nats', 'pipeline']);
    for (const indicator of Object.values(body.info)) expect(indicator.status).toBe('up');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/giggles_inference_segments_total\{[^}]*status="processed"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/giggles_inference_segments_total\{[^}]*status="failed"[^}]*code="AUDIO_OBJECT_MISSING"[^}]*\} 1/);
  });

  it('on shutdown interrupts the segment in flight after the grace period and naks it for redelivery', async () => {
    await putAudioFile(nats.audio, 'seg/long.ogg', EVAL_RECORDING);
    const segment = segmentEvent('seg/long.ogg');
    await publishSegment(nats.js, segment);
    await waitUntil('the analysis to start', () => logsFor(segment, 'segment started').length === 1, 30_000, 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = Date.now();
    await app!.close();
    app = undefined;
    expect(Date.now() - closing).toBeLessThan(10_000);
    expect(logs.some((l) => l.msg === 'grace period over: interrupting the segment in flight (it will be redelivered)')).toBe(true);
    expect(logs.some((l) => l.msg === 'handler failed; will retry')).toBe(true);
    expect(await resultsFor(nats.jsm, segment)).toEqual([]);
    // Still in the work queue, waiting for the next process.
    expect((await nats.jsm.streams.info(STREAMS.segments.name)).state.messages).toBe(1);
    const consumer = await nats.jsm.consumers.info(STREAMS.segments.name, CONSUMERS.inferenceSegments);
    expect(consumer.num_ack_pending + consumer.num_pending).toBe(1);
  });
});
