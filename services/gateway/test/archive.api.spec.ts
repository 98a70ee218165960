/**
 * "Keep the audio" through the HTTP API against the real system (persistence with
 * AUDIO_ARCHIVE=filesystem, NATS, Postgres, PostgREST): the switch (off by default), the size,
 * a day's kept audio as a zip of its windows named by local time, another user's day as 404,
 * and deleting the day deleting its audio.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBuffer, type Entry } from 'yauzl';
import { startGatewayStack, type GatewayStack, type TestUser } from './support/gateway-stack';
import { HOUR, PipelineResults } from './support/pipeline-results';

const LA = 'America/Los_Angeles';
const DAY = '2026-03-07';
const MORNING = Date.UTC(2026, 2, 7, 16); // 08:00 local
const EVENING = Date.UTC(2026, 2, 8, 4); // 20:00 local

function ogg(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed) & 0xff;
  bytes.write('OggS', 0, 'latin1');
  return bytes;
}

/** The zip's entries, name → bytes (yauzl reads it the way an unzip tool would). */
function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('entry', (entry: Entry) => {
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.on('end', () => resolve(entries));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('archive API', () => {
  let archiveDir: string;
  let stack: GatewayStack;
  let pipeline: PipelineResults;
  let ada: TestUser;
  let bob: TestUser;
  const morning = ogg(700_000, 1);
  const evening = ogg(1_234, 2);

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'giggles-gw-archive-'));
    stack = await startGatewayStack({ persistenceEnv: { AUDIO_ARCHIVE: 'filesystem', AUDIO_ARCHIVE_DIR: archiveDir, AUDIO_ARCHIVE_RETENTION_DAYS: '365' } });
    await stack.harness.reloadSchema('audio_archive');
    pipeline = await PipelineResults.open(stack.harness.natsUrl!);
    ada = await stack.register(undefined, undefined, LA);
    bob = await stack.register();
  });
  afterAll(async () => {
    await pipeline?.close();
    await stack?.stop();
    if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
  });

  it('is off by default; nothing of a day processed then is kept', async () => {
    expect((await ada.agent.get('/api/archive').expect(200)).body).toEqual({ mode: 'filesystem', enabled: false, retentionDays: 365, windows: 0, emptyWindows: 0, bytes: 0, days: 0 });
    await pipeline.processedWindow({ userId: ada.userId, localDate: '2026-03-01', windowStartMs: Date.UTC(2026, 2, 1, 16), windowEndMs: Date.UTC(2026, 2, 1, 18), laughs: [], audio: ogg(100, 3) });
    expect((await ada.agent.get('/api/archive').expect(200)).body.windows).toBe(0);
    await ada.agent.get('/api/days/2026-03-01/audio').expect(404);
  });

  it('refuses a switch that is not a boolean, and turns it on', async () => {
    for (const body of [{ enabled: 'yes' }, {}, { enabled: true, extra: 1 }]) await ada.agent.put('/api/archive').send(body).expect(400);
    expect((await ada.agent.put('/api/archive').send({ enabled: true }).expect(200)).body).toMatchObject({ enabled: true, mode: 'filesystem' });
    expect((await bob.agent.get('/api/archive').expect(200)).body.enabled).toBe(false);
  });

  it("keeps the day's windows and serves them as a zip named by local time; other users get 404", async () => {
    await pipeline.processedWindow({ userId: ada.userId, localDate: DAY, windowStartMs: MORNING, windowEndMs: MORNING + 2 * HOUR, laughs: [], audio: morning });
    await pipeline.processedWindow({ userId: ada.userId, localDate: DAY, windowStartMs: EVENING, windowEndMs: EVENING + 2 * HOUR, laughs: [], audio: evening });
    expect((await ada.agent.get('/api/archive').expect(200)).body).toMatchObject({ windows: 2, bytes: morning.length + evening.length, days: 1, oldestDate: DAY, newestDate: DAY });

    expect((await ada.agent.get(`/api/archive/days/${DAY}`).expect(200)).body).toEqual({ localDate: DAY, windows: 2, bytes: morning.length + evening.length });
    expect((await bob.agent.get(`/api/archive/days/${DAY}`).expect(200)).body).toEqual({ localDate: DAY, windows: 0, bytes: 0 });
    const res = await ada.agent.get(`/api/days/${DAY}/audio`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="giggles-audio-${DAY}.zip"`);
    const entries = await unzip(res.body as Buffer);
    expect([...entries.keys()]).toEqual([`${DAY} 08-00 to 10-00.ogg`, `${DAY} 20-00 to 22-00.ogg`]);
    expect(entries.get(`${DAY} 08-00 to 10-00.ogg`)!.equals(morning)).toBe(true);
    expect(entries.get(`${DAY} 20-00 to 22-00.ogg`)!.equals(evening)).toBe(true);

    await bob.agent.get(`/api/days/${DAY}/audio`).expect(404);
    await request(stack.baseUrl).get(`/api/days/${DAY}/audio`).expect(401);
    await ada.agent.get('/api/days/2026-02-30/audio').expect(400);
    await ada.agent.get('/api/days/..%2F..%2Fetc/audio').expect((r) => expect([400, 404]).toContain(r.status));
  });

  it("deleting the day deletes its kept audio", async () => {
    await ada.agent.delete(`/api/days/${DAY}`).expect(204);
    await ada.agent.get(`/api/days/${DAY}/audio`).expect(404);
    expect((await ada.agent.get('/api/archive').expect(200)).body).toMatchObject({ windows: 0, bytes: 0 });
  });
});
