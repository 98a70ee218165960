/**
 * Resumable uploads and the imports list against the real system (gateway-stack: NATS, Postgres +
 * PostgREST, persistence in-process). Ingestion is played by a responder on
 * giggles.ingestion.import that reads the uploaded object back from the audio bucket (so the bytes
 * that arrived are checked end to end) and records the import through the real persistence query;
 * the real ingestion behind this subject is covered by libs/e2e/test/imports.spec.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKETS, INGESTION_REQUESTS, QUERIES, type ImportRecordingRequest } from '@giggles/contracts';
import { getObjectStream, openObjectBucket, request as ask, serveQueries, type QueryServer } from '@giggles/messaging';
import { startGatewayStack, type GatewayStack, type TestUser } from './support/gateway-stack';

const CHUNK = 64 * 1024;
const MAX = 1024 * 1024;

describe('gateway uploads: resumable, size-limited, per user; the imports list', () => {
  let stack: GatewayStack;
  let nc: NatsConnection;
  let ingestion: QueryServer;
  let ada: TestUser;
  let bob: TestUser;
  const uploadDir = mkdtempSync(join(tmpdir(), 'giggles-upload-test-'));
  const seen: { request: ImportRecordingRequest; sha256: string; bytes: number }[] = [];

  beforeAll(async () => {
    stack = await startGatewayStack({ env: { UPLOAD_DIR: uploadDir, UPLOAD_MAX_BYTES: String(MAX), UPLOAD_CHUNK_MAX_BYTES: String(CHUNK) } });
    nc = await connect({ servers: stack.harness.natsUrl! });
    const bucket = await openObjectBucket(jetstream(nc), BUCKETS.audio);
    ingestion = serveQueries(nc, {
      [INGESTION_REQUESTS.importRecording]: async (body) => {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of getObjectStream(bucket, body.audioObject)) {
          hash.update(chunk);
          bytes += chunk.length;
        }
        const sha256 = hash.digest('hex');
        seen.push({ request: body, sha256, bytes });
        const startMs = Date.parse('2026-12-01T13:15:00Z');
        return ask(nc, QUERIES.importBegin, {
          userId: body.userId, fileName: body.fileName, sha256, bytes, source: body.source,
          placedBy: body.start ? 'start' : 'name', startMs, endMs: startMs + 60_000, timezone: 'Europe/Berlin', days: ['2026-12-01'],
        });
      },
    });
    [ada, bob] = await Promise.all([stack.register(), stack.register()]);
  }, 120_000);

  afterAll(async () => {
    await ingestion?.stop();
    await nc?.close();
    await stack?.stop();
    rmSync(uploadDir, { recursive: true, force: true });
  });

  const put = (user: TestUser, id: string, offset: number | string, bytes: Buffer) =>
    user.agent.put(`/api/uploads/${id}?offset=${offset}`).set('Content-Type', 'application/octet-stream').send(bytes);

  it('answers 401 without a session on every upload route', async () => {
    for (const [method, path] of [
      ['post', '/api/uploads'],
      ['get', '/api/uploads/00000000-0000-4000-8000-000000000000'],
      ['put', '/api/uploads/00000000-0000-4000-8000-000000000000?offset=0'],
      ['post', '/api/uploads/00000000-0000-4000-8000-000000000000/import'],
      ['delete', '/api/uploads/00000000-0000-4000-8000-000000000000'],
      ['get', '/api/imports'],
    ] as const) {
      expect((await request(stack.baseUrl)[method](path)).status, `${method} ${path}`).toBe(401);
    }
  });

  it('uploads in chunks, survives a "reload" midway (asks the offset, goes on), and imports for a user without a key', async () => {
    const file = randomBytes(3 * CHUNK + 1000);
    const created = await ada.agent.post('/api/uploads').send({ fileName: '20261201_141500.m4a', size: file.length }).expect(201);
    expect(created.body).toMatchObject({ fileName: '20261201_141500.m4a', size: file.length, offset: 0, maxChunkBytes: CHUNK });
    const id = created.body.uploadId as string;

    await put(ada, id, 0, file.subarray(0, CHUNK)).expect(200);
    await put(ada, id, CHUNK, file.subarray(CHUNK, 2 * CHUNK)).expect(200);
    // The page reloads: it has forgotten everything but the upload id; the server knows the offset.
    const resumed = await ada.agent.get(`/api/uploads/${id}`).expect(200);
    expect(resumed.body.offset).toBe(2 * CHUNK);
    // A stale retry of an old chunk is refused with where to go on.
    const stale = await put(ada, id, CHUNK, file.subarray(CHUNK, 2 * CHUNK));
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/continues at byte 131072/);
    // Not finished yet: importing is refused.
    const early = await ada.agent.post(`/api/uploads/${id}/import`).send({});
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/only 131072 of 197608 bytes received/);
    await put(ada, id, 2 * CHUNK, file.subarray(2 * CHUNK, 3 * CHUNK)).expect(200);
    const last = await put(ada, id, 3 * CHUNK, file.subarray(3 * CHUNK)).expect(200);
    expect(last.body.offset).toBe(file.length);

    const finished = await ada.agent.post(`/api/uploads/${id}/import`).send({ start: '2026-12-01T14:15:00' }).expect(200);
    expect(finished.body).toMatchObject({ duplicate: false, import: { fileName: '20261201_141500.m4a', state: 'processing', placedBy: 'start', days: [{ localDate: '2026-12-01' }] } });
    const arrived = seen.at(-1)!;
    expect(arrived.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(arrived.request).toMatchObject({ userId: ada.userId, source: 'upload', start: '2026-12-01T14:15:00', fileName: '20261201_141500.m4a' });
    // The local copy is gone once imported.
    expect(readdirSync(join(uploadDir, ada.userId))).toEqual([]);
    await ada.agent.get(`/api/uploads/${id}`).expect(404);

    const listed = await ada.agent.get('/api/imports').expect(200);
    expect(listed.body.imports.map((i: { importId: string }) => i.importId)).toEqual([finished.body.import.importId]);
    await ada.agent.get(`/api/imports/${finished.body.import.importId}`).expect(200);

    // The same bytes again: a duplicate, nothing processed twice.
    const again = (await ada.agent.post('/api/uploads').send({ fileName: 'copy.m4a', size: file.length }).expect(201)).body.uploadId as string;
    for (let o = 0; o < file.length; o += CHUNK) await put(ada, again, o, file.subarray(o, o + CHUNK)).expect(200);
    const duplicate = await ada.agent.post(`/api/uploads/${again}/import`).send({}).expect(200);
    expect(duplicate.body).toMatchObject({ duplicate: true, import: { importId: finished.body.import.importId } });
  });

  it('refuses too large files and chunks, bad offsets and bodies, with clear messages', async () => {
    const tooLarge = await ada.agent.post('/api/uploads').send({ fileName: 'huge.wav', size: MAX + 1 });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toMatch(/at most 1048576 bytes \(1 MiB\)/);
    for (const body of [{ fileName: '', size: 10 }, { fileName: 'x.wav', size: 0 }, { fileName: 'x.wav', size: '10' }, { fileName: 'x.wav', size: 10, path: '/etc/passwd' }]) {
      expect((await ada.agent.post('/api/uploads').send(body)).status, JSON.stringify(body)).toBe(400);
    }
    const id = (await ada.agent.post('/api/uploads').send({ fileName: 'small.wav', size: 100 }).expect(201)).body.uploadId as string;
    expect((await put(ada, id, 0, randomBytes(101))).status).toBe(413); // past the declared size
    expect((await put(ada, id, '-1', randomBytes(10))).status).toBe(400);
    expect((await put(ada, id, 'abc', randomBytes(10))).status).toBe(400);
    const big = (await ada.agent.post('/api/uploads').send({ fileName: 'big.wav', size: 4 * CHUNK }).expect(201)).body.uploadId as string;
    expect((await put(ada, big, 0, randomBytes(CHUNK + 1))).status).toBe(413); // over the chunk limit
    await ada.agent.delete(`/api/uploads/${big}`).expect(204);
    await ada.agent.get(`/api/uploads/${big}`).expect(404);
  });

  it("never shows or touches another user's upload or import (404), and ids never become paths", async () => {
    const id = (await ada.agent.post('/api/uploads').send({ fileName: 'mine.wav', size: 10 }).expect(201)).body.uploadId as string;
    await bob.agent.get(`/api/uploads/${id}`).expect(404);
    expect((await put(bob, id, 0, randomBytes(10))).status).toBe(404);
    await bob.agent.post(`/api/uploads/${id}/import`).send({}).expect(404);
    await bob.agent.delete(`/api/uploads/${id}`).expect(404);
    const adaImport = (await ada.agent.get('/api/imports').expect(200)).body.imports[0].importId as string;
    await bob.agent.get(`/api/imports/${adaImport}`).expect(404);
    expect((await bob.agent.get('/api/imports').expect(200)).body.imports).toEqual([]);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'not-a-uuid', '00000000-0000-4000-8000-00000000000g']) {
      expect((await ada.agent.get(`/api/uploads/${bad}`)).status, bad).toBe(400);
    }
  });
});
