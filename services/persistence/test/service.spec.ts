/**
 * The running service end to end: real NATS (a private nats-server), real Postgres and real
 * PostgREST behind the harness router, the app built by createPersistenceApp exactly as main.ts
 * builds it (migrations at boot from DATABASE_URL, topology, consumer, query server, health).
 * Messages go in over JetStream, answers come back over NATS request/reply.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUCKETS,
  CONSUMERS,
  messageIds,
  parseDeadLetter,
  QUERIES,
  QUERY_ERROR_CODES,
  STREAMS,
  SUBJECTS,
  type DeadLetter,
  type JobProgress,
  type SegmentResult,
  type WindowOutcome,
} from '@giggles/contracts';
import { KeyCipher } from '@giggles/crypto';
import {
  openObjectBucket,
  publishDurable,
  putObjectStream,
  QueryError,
  request,
  TransientError,
  type ObjectBucket,
} from '@giggles/messaging';
import { freePort, startHarness, waitFor, type Harness } from '@giggles/testing';
import { createPersistenceApp } from '../src/bootstrap';
import { toBuffer } from '../src/clips/clip-store';
import { FsClipStore } from '../src/clips/fs-clip-store';
import { loadPersistenceConfig } from '../src/config/persistence-config';
import { loadMigrations } from '../src/database/migration-runner';
import { createPersistenceLogger } from '../src/logging/logger';
import { KeysRepository } from '../src/repositories/keys.repository';
import { UsersRepository } from '../src/repositories/users.repository';
import { type TransientObjects } from '../src/results/transient-objects';
import { DetectionsService } from '../src/services/detections.service';
import { ADMIN_URL } from './support/database';
import { BERLIN_DAY_START, event, HOUR, jid, jobProgress, segmentResult, userId, windowOutcome } from './support/fixtures';
import { TEST_ENCRYPTION_KEY } from './support/stack';

const encoder = new TextEncoder();

describe('persistence service', () => {
  let h: Harness;
  let app: INestApplication;
  let pg: Client;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let clipsBucket: ObjectBucket;
  let audioBucket: ObjectBucket;
  let clipDir: string;
  let clipStore: FsClipStore;
  let healthUrl: string;
  const logLines: string[] = [];
  /** Audio objects whose next n deleteAudio calls fail (a crash after the DB write and the clips). */
  const failDeleteAudio = new Map<string, number>();
  const deleteAudioCalls = new Map<string, number>();

  beforeAll(async () => {
    h = await startHarness({ nats: { mode: 'private' }, postgres: { url: ADMIN_URL, databasePrefix: 'giggles' } });
    pg = new Client({ connectionString: h.databaseUrl });
    pg.on('error', () => undefined); // the harness drops the database WITH (FORCE) on stop
    await pg.connect();
    clipDir = await mkdtemp(join(tmpdir(), 'giggles-service-clips-'));
    const port = await freePort();
    healthUrl = `http://127.0.0.1:${port}`;
    const config = loadPersistenceConfig({
      NATS_URL: h.natsUrl,
      SUPABASE_URL: h.supabaseUrl,
      SUPABASE_SERVICE_ROLE_KEY: h.serviceRoleKey,
      GIGGLES_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      DATABASE_URL: h.databaseUrl,
      CLIP_STORAGE_DIR: clipDir,
      HEALTH_PORT: String(port),
      MEMORY_LIMIT_MB: '8192',
      PERSISTENCE_MAX_DELIVER: '3',
      PERSISTENCE_REDELIVERY_DELAY: '100ms',
      PERSISTENCE_REDELIVERY_MAX_DELAY: '200ms',
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    app = await createPersistenceApp(config, createPersistenceLogger('info', sink), {
      host: '127.0.0.1',
      decorateTransientObjects: (objects): TransientObjects => ({
        readClip: (name) => objects.readClip(name),
        deleteClip: (name) => objects.deleteClip(name),
        async deleteAudio(name) {
          deleteAudioCalls.set(name, (deleteAudioCalls.get(name) ?? 0) + 1);
          const failures = failDeleteAudio.get(name) ?? 0;
          if (failures > 0) {
            failDeleteAudio.set(name, failures - 1);
            throw new TransientError('injected: process died before deleting the audio');
          }
          return objects.deleteAudio(name);
        },
      }),
    });
    // The boot migrations told PostgREST to reload; wait until it serves the new schema.
    await h.reloadSchema('laughter_detections');
    clipStore = await FsClipStore.open(clipDir);
    nc = await connect({ servers: h.natsUrl });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    clipsBucket = await openObjectBucket(js, BUCKETS.clips);
    audioBucket = await openObjectBucket(js, BUCKETS.audio);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await pg?.end();
    await h?.stop();
    if (clipDir) await rm(clipDir, { recursive: true, force: true });
  });

  async function sql<T extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> {
    return (await pg.query<T>(text, params)).rows;
  }

  async function newUser(timezone = 'Europe/Berlin'): Promise<string> {
    const user = userId();
    await app.get(UsersRepository).upsertUser({ id: user, email: `${user}@example.test`, timezone });
    return user;
  }

  /** Puts the result's audio and clip objects where ingestion and inference would. */
  async function stageObjects(result: SegmentResult): Promise<Map<string, Buffer>> {
    const clips = new Map<string, Buffer>();
    await putObjectStream(audioBucket, result.audioObject, oneChunk(Buffer.from(`OggS-${result.audioObject}`)));
    for (const e of result.events) {
      if (!e.clipObject) continue;
      const bytes = Buffer.from(`RIFF-${e.clipObject}-${'x'.repeat(300)}`);
      clips.set(e.clipObject, bytes);
      await putObjectStream(clipsBucket, e.clipObject, oneChunk(bytes), { chunkSize: 128 });
    }
    return clips;
  }

  async function objectExists(bucket: ObjectBucket, name: string): Promise<boolean> {
    const info = await bucket.store.info(name);
    return !!info && !info.deleted;
  }

  /** Waits until every message published so far has been acked or terminated. */
  async function settled(): Promise<void> {
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(STREAMS.results.name, CONSUMERS.persistenceResults);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { what: 'the results consumer to finish', timeoutMs: 20_000, details: () => logLines.slice(-5).join('') },
    );
  }

  function publishSegment(result: SegmentResult, msgId = messageIds.segmentResult(result.userId, result.windowStartMs, result.windowEndMs, result.jobId)) {
    return publishDurable(js, SUBJECTS.segmentResult, result, msgId);
  }

  function publishWindow(outcome: WindowOutcome) {
    return publishDurable(js, SUBJECTS.windowOutcome, outcome, messageIds.windowOutcome(outcome.userId, outcome.windowStartMs, outcome.windowEndMs, outcome.jobId));
  }

  function publishJob(progress: JobProgress) {
    return publishDurable(js, SUBJECTS.jobProgress, progress, messageIds.jobProgress(progress.jobId, progress.status));
  }

  async function deadLetters(): Promise<DeadLetter[]> {
    const info = await jsm.streams.info(STREAMS.deadLetters.name);
    const letters: DeadLetter[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const msg = await jsm.streams.getMessage(STREAMS.deadLetters.name, { seq });
      if (msg) letters.push(parseDeadLetter(msg.json()));
    }
    return letters;
  }

  async function dayLog(user: string) {
    const rows = await sql<{
      status: string;
      laughter_events_found: number;
      audio_files_downloaded: number;
      windows_empty: number;
      windows_gap: number;
      windows_failed: number;
      errors: Array<{ code?: string; message?: string; outcome?: string }>;
    }>('SELECT * FROM processing_logs WHERE user_id = $1', [user]);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it('applied the migrations at boot from DATABASE_URL', async () => {
    const applied = await sql<{ name: string }>('SELECT name FROM giggles_migrations ORDER BY name');
    expect(applied.map((row) => row.name)).toEqual((await loadMigrations()).map((m) => m.name));
    expect(logLines.join('')).toContain('applied migration 0001_');
  });

  it('stores a segment result (rows, clips, objects deleted); a redelivery changes nothing', async () => {
    const user = await newUser();
    const result = segmentResult(user, { audioObject: `audio-${user}-1`, events: [event(BERLIN_DAY_START + 60_000, { clipObject: `clip-${user}-a` }), event(BERLIN_DAY_START + 120_000, { clipObject: `clip-${user}-b` })] });
    const clips = await stageObjects(result);
    await publishSegment(result);
    await settled();

    const detections = await sql<{ clip_path: string }>('SELECT clip_path FROM laughter_detections WHERE user_id = $1 ORDER BY "timestamp"', [user]);
    expect(detections).toHaveLength(2);
    expect(await sql('SELECT status FROM audio_segments WHERE user_id = $1', [user])).toEqual([{ status: 'processed' }]);
    expect(await dayLog(user)).toMatchObject({ laughter_events_found: 2, audio_files_downloaded: 1 });
    const stored = await clipStore.list(user);
    expect(stored).toEqual(detections.map((d) => d.clip_path));
    expect((await toBuffer(await clipStore.get(stored[0]))).equals(clips.get(`clip-${user}-a`)!)).toBe(true);
    expect(await readFile(join(clipDir, stored[1]))).toEqual(clips.get(`clip-${user}-b`));
    for (const name of clips.keys()) expect(await objectExists(clipsBucket, name)).toBe(false);
    expect(await objectExists(audioBucket, result.audioObject)).toBe(false);

    // The same message again (a redelivery after a lost ack): no new rows, counters unchanged.
    await publishSegment(result, 'redelivered-1');
    await settled();
    expect(await sql('SELECT id FROM laughter_detections WHERE user_id = $1', [user])).toHaveLength(2);
    expect(await dayLog(user)).toMatchObject({ laughter_events_found: 2, audio_files_downloaded: 1 });
    expect(await clipStore.list(user)).toEqual(stored);
  });

  it('records empty and gap windows and job progress; the job completes', async () => {
    const user = await newUser();
    const jobId = jid(user, 'job-done');
    await publishJob(jobProgress(user, { jobId, windowsPlanned: 3 }));
    const processed = segmentResult(user, { jobId, events: [], audioObject: `audio-${user}-p` });
    await stageObjects(processed);
    await publishSegment(processed);
    await publishWindow(windowOutcome(user, { jobId, windowStartMs: BERLIN_DAY_START + 2 * HOUR, status: 'empty' }));
    await publishWindow(
      windowOutcome(user, {
        jobId,
        windowStartMs: BERLIN_DAY_START + 4 * HOUR,
        status: 'gap',
        limitlessCalls: [{ status: 503, durationMs: 90, bytes: 0, at: '2024-03-02T03:00:02.000Z' }],
        error: { code: 'limitless_unavailable', message: 'HTTP 503 after 6 attempts' },
      }),
    );
    await settled();

    const windows = await sql<{ status: string }>('SELECT status FROM audio_segments WHERE user_id = $1 ORDER BY start_time', [user]);
    expect(windows.map((w) => w.status)).toEqual(['processed', 'empty', 'gap']);
    const log = await dayLog(user);
    expect(log).toMatchObject({ status: 'completed', audio_files_downloaded: 1, windows_empty: 1, windows_gap: 1 });
    expect(log.errors).toEqual([expect.objectContaining({ code: 'limitless_unavailable', outcome: 'gap' })]);
    const status = await request(nc, QUERIES.jobStatus, { jobId });
    expect(status).toMatchObject({ jobId, userId: user, status: 'done', windowsPlanned: 3, windowsProcessed: 1, windowsEmpty: 1, windowsGap: 1 });
  });

  it('dead-letters invalid payloads and permanent rejections, tells the user, and keeps consuming', async () => {
    const user = await newUser();
    const before = (await deadLetters()).length;
    const valid = segmentResult(user, { audioObject: `audio-${user}-bad` });
    // Breaks the contract in one event; the window it belongs to is still identifiable.
    const broken = { ...valid, events: [{ ...valid.events[0], probability: 7 }] };
    await js.publish(SUBJECTS.segmentResult, encoder.encode(JSON.stringify(broken)));
    await js.publish(SUBJECTS.windowOutcome, encoder.encode('not json at all'));
    // Valid, but the database refuses it every time: the user does not exist (foreign key).
    const stranger = windowOutcome(userId(), { windowStartMs: BERLIN_DAY_START + 6 * HOUR });
    await publishWindow(stranger);
    // And the consumer carries on with the next good message.
    const after = windowOutcome(user, { windowStartMs: BERLIN_DAY_START + 8 * HOUR });
    await publishWindow(after);
    await settled();

    // Two workers take messages at once: the dead letters may land in either order.
    const letters = (await deadLetters()).slice(before);
    expect(letters).toHaveLength(3);
    const letter = (pattern: RegExp) => letters.find((l) => pattern.test(l.reason));
    expect(letter(/^invalid payload: .*events\.0\.probability/)).toMatchObject({ subject: SUBJECTS.segmentResult, deliveries: 1, payload: JSON.stringify(broken) });
    expect(letter(/^invalid payload: .*not JSON/)).toMatchObject({ subject: SUBJECTS.windowOutcome, deliveries: 1 });
    expect(letter(/^permanent failure: record window outcome failed/)).toMatchObject({ subject: SUBJECTS.windowOutcome, deliveries: 1 });

    // The broken window is failed in the user's log with the reason; the good message was stored.
    const windows = await sql<{ start_time: Date; status: string }>('SELECT start_time, status FROM audio_segments WHERE user_id = $1 ORDER BY start_time', [user]);
    expect(windows.map((w) => [w.start_time.getTime(), w.status])).toEqual([
      [valid.windowStartMs, 'failed'],
      [after.windowStartMs, 'empty'],
    ]);
    const log = await dayLog(user);
    expect(log.windows_failed).toBe(1);
    expect(log.errors).toEqual([expect.objectContaining({ code: 'dead_letter', outcome: 'failed', message: expect.stringContaining('probability') })]);
    // Nothing was written for the user that does not exist, and the rejection was logged.
    expect(await sql('SELECT id FROM audio_segments WHERE user_id = $1', [stranger.userId])).toEqual([]);
    expect(logLines.join('')).toContain('dead letter could not be recorded in the processing log');
  });

  it('retries a result whose handler died mid-way and stores it exactly once', async () => {
    const user = await newUser();
    const result = segmentResult(user, { audioObject: `audio-${user}-flaky`, events: [event(BERLIN_DAY_START + 30_000, { clipObject: `clip-${user}-flaky` })] });
    await stageObjects(result);
    failDeleteAudio.set(result.audioObject, 1);
    await publishSegment(result);
    await settled();

    expect(deleteAudioCalls.get(result.audioObject)).toBe(2); // failed once (nak), then the redelivery
    expect(await sql('SELECT id FROM laughter_detections WHERE user_id = $1', [user])).toHaveLength(1);
    expect(await dayLog(user)).toMatchObject({ laughter_events_found: 1, audio_files_downloaded: 1, windows_failed: 0 });
    expect(await clipStore.list(user)).toHaveLength(1);
    expect(await objectExists(audioBucket, result.audioObject)).toBe(false);
    expect(await objectExists(clipsBucket, `clip-${user}-flaky`)).toBe(false);
  });

  it('dead-letters a result that fails after its write on every delivery, listing the error without undoing the window', async () => {
    const user = await newUser();
    const result = segmentResult(user, { audioObject: `audio-${user}-stuck` });
    await stageObjects(result);
    failDeleteAudio.set(result.audioObject, 3); // PERSISTENCE_MAX_DELIVER
    const before = (await deadLetters()).length;
    await publishSegment(result);
    await settled();

    const letters = (await deadLetters()).slice(before);
    expect(letters).toEqual([expect.objectContaining({ subject: SUBJECTS.segmentResult, deliveries: 3, reason: expect.stringMatching(/^failed 3 of 3 deliveries; last error: injected/) })]);
    // The detections and the processed window stay; the log lists what went wrong, once.
    expect(await sql('SELECT status FROM audio_segments WHERE user_id = $1', [user])).toEqual([{ status: 'processed' }]);
    expect(await sql('SELECT id FROM laughter_detections WHERE user_id = $1', [user])).toHaveLength(2);
    const log = await dayLog(user);
    expect(log).toMatchObject({ audio_files_downloaded: 1, windows_failed: 0, laughter_events_found: 2 });
    expect(log.errors).toEqual([expect.objectContaining({ code: 'dead_letter', outcome: 'processed', windowStartMs: result.windowStartMs })]);
    // The audio object is left to expire by its TTL (and for a replay of the dead letter).
    expect(await objectExists(audioBucket, result.audioObject)).toBe(true);
  });

  it('answers every query over NATS with replies that pass their contracts', async () => {
    const user = await newUser('America/New_York');
    const keyless = await newUser();
    const cipher = KeyCipher.fromHex(TEST_ENCRYPTION_KEY);
    await app.get(KeysRepository).setKey(user, 'limitless-secret-key');
    const result = segmentResult(user, { audioObject: `audio-${user}-q` });
    await stageObjects(result);
    await publishSegment(result);
    await settled();

    const active = await request(nc, QUERIES.usersWithActiveKeys, {});
    expect(active.users).toContainEqual({ userId: user, email: `${user}@example.test`, timezone: 'America/New_York' });
    expect(active.users.map((u) => u.userId)).not.toContain(keyless);
    // Paged in id order: a page of 1 points at the next; following the pointers lists everyone once.
    const paged: string[] = [];
    for (let after: string | undefined, pages = 0; pages === 0 || after !== undefined; pages++) {
      const page = await request(nc, QUERIES.usersWithActiveKeys, after ? { afterUserId: after, limit: 1 } : { limit: 1 });
      expect(page.users.length).toBeLessThanOrEqual(1);
      paged.push(...page.users.map((u) => u.userId));
      after = page.nextAfterUserId;
    }
    expect(paged).toEqual(active.users.map((u) => u.userId).sort());
    expect((await request(nc, QUERIES.usersWithActiveKeys, { userId: user })).users).toEqual([{ userId: user, email: `${user}@example.test`, timezone: 'America/New_York' }]);
    expect(await request(nc, QUERIES.usersWithActiveKeys, { userId: keyless })).toEqual({ users: [] });

    const key = await request(nc, QUERIES.userKey, { userId: user });
    expect(key.status).toBe('active');
    expect(cipher.decrypt(key.encryptedKey, user)).toBe('limitless-secret-key');
    await expect(request(nc, QUERIES.userKey, { userId: keyless })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.notFound });

    const windows = await request(nc, QUERIES.windowsDone, { userId: user, startMs: BERLIN_DAY_START, endMs: BERLIN_DAY_START + 24 * HOUR });
    expect(windows.windows).toEqual([
      { startMs: result.windowStartMs, endMs: result.windowEndMs, status: 'processed', trigger: 'nightly', recordedAtMs: expect.any(Number) },
    ]);

    const days = await request(nc, QUERIES.userDays, { userId: user });
    expect(days.days).toEqual([{ localDate: '2024-03-01', laughCount: 2, windowsProcessed: 1, windowsEmpty: 0, windowsGap: 0, windowsFailed: 0 }]);

    const due = await request(nc, QUERIES.dueDays, { userId: user, from: '2024-03-01', to: '2024-03-02' });
    expect(due.days.map((d) => d.localDate)).not.toContain('2024-03-01');

    const detections = await request(nc, QUERIES.dayDetections, { userId: user, localDate: '2024-03-01' });
    expect(detections.localDate).toBe('2024-03-01');
    expect(detections.detections.map((d) => [d.startMs, d.className, d.clipPath?.startsWith(`${user}/2024-03-01/`)])).toEqual(
      result.events.map((e) => [e.startMs, 'Laughter', true]),
    );

    const job = await request(nc, QUERIES.jobStatus, { jobId: result.jobId });
    expect(job).toMatchObject({ jobId: result.jobId, userId: user, localDate: '2024-03-01', windowsProcessed: 1 });
    await expect(request(nc, QUERIES.jobStatus, { jobId: 'day:nobody' })).rejects.toBeInstanceOf(QueryError);

    expect(await request(nc, QUERIES.markKeyInvalid, { userId: user, reason: 'HTTP 401 from Limitless' })).toEqual({ updated: true });
    expect(await request(nc, QUERIES.markKeyInvalid, { userId: user, reason: 'HTTP 401 from Limitless' })).toEqual({ updated: false });
    expect((await request(nc, QUERIES.userKey, { userId: user })).status).toBe('invalid');
    expect((await request(nc, QUERIES.usersWithActiveKeys, {})).users.map((u) => u.userId)).not.toContain(user);

    // The server validates requests itself (request() would refuse to send this one).
    const raw = await nc.request(QUERIES.userKey, JSON.stringify({ userId: 'bob' }), { timeout: 5_000 });
    expect(raw.json()).toMatchObject({ ok: false, error: { code: QUERY_ERROR_CODES.invalidRequest } });
    // Keys never reach the logs.
    expect(logLines.join('')).not.toContain('limitless-secret-key');
    expect(logLines.join('')).not.toContain(key.encryptedKey);
  });

  it('deletes a detection (tombstone) and then its clip', async () => {
    const user = await newUser();
    const result = segmentResult(user, { audioObject: `audio-${user}-del` });
    await stageObjects(result);
    await publishSegment(result);
    await settled();
    const [first, second] = (await request(nc, QUERIES.dayDetections, { userId: user, localDate: '2024-03-01' })).detections;
    const service = app.get(DetectionsService);

    expect(await service.deleteDetection(userId(), first.id)).toEqual({ deleted: false, clipDeleted: false }); // not the owner
    expect(await service.deleteDetection(user, first.id)).toEqual({ deleted: true, clipDeleted: true });
    expect(await clipStore.exists(first.clipPath!)).toBe(false);
    expect(await clipStore.exists(second.clipPath!)).toBe(true);
    expect(await service.deleteDetection(user, first.id)).toEqual({ deleted: false, clipDeleted: false });
    const left = await request(nc, QUERIES.dayDetections, { userId: user, localDate: '2024-03-01' });
    expect(left.detections.map((d) => d.id)).toEqual([second.id]);

    // A redelivered result does not bring the deleted laugh (or its clip) back.
    await stageObjects(result);
    await publishSegment(result, 'redelivered-after-delete');
    await settled();
    expect((await request(nc, QUERIES.dayDetections, { userId: user, localDate: '2024-03-01' })).detections).toHaveLength(1);
    expect(await clipStore.exists(first.clipPath!)).toBe(false);
  });

  it('serves liveness, readiness (NATS, consumer, pipeline, database, memory) and metrics', async () => {
    const live = await fetch(`${healthUrl}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${healthUrl}/health/ready`);
    const body = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
    expect(ready.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual(['consumer', 'database', 'memory', 'nats', 'pipeline']);
    for (const check of Object.values(body.info)) expect(check.status).toBe('up');

    const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
    expect(metrics).toMatch(/giggles_persistence_results_total\{kind="segment",outcome="applied",service="persistence"\} [1-9]/);
    expect(metrics).toMatch(/giggles_persistence_results_total\{kind="segment",outcome="duplicate",service="persistence"\} [1-9]/);
    expect(metrics).toMatch(/giggles_persistence_queries_total\{query="giggles.query.users.key",outcome="not_found",service="persistence"\} 1/);
    expect(metrics).toContain('giggles_persistence_dead_letter_records_total');
    expect(logLines.join('')).not.toContain(h.serviceRoleKey);
    expect(logLines.join('')).not.toContain(TEST_ENCRYPTION_KEY);
  });
});

async function* oneChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
