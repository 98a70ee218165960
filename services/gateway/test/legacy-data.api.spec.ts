/**
 * The original (Python) app's data routes at their original paths and field names, against the
 * real system — and the original's bugs staying gone: single delete always failing, delete-all
 * wiping other users' files, server paths in responses, days grouped in UTC.
 */
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack, type TestUser } from './support/gateway-stack';
import { HOUR, PipelineResults } from './support/pipeline-results';

const LA = 'America/Los_Angeles';
const DAY = '2026-03-07';
/** 2026-03-08T07:30Z is 23:30 on 7 March in Los Angeles: the original put it on 8 March (UTC). */
const LATE_EVENING = Date.UTC(2026, 2, 8, 6);

const DETECTION_FIELDS = ['audio_segment_id', 'class_id', 'class_name', 'clip_path', 'created_at', 'id', 'notes', 'probability', 'timestamp', 'updated_at'];

interface LegacyDetection {
  id: string;
  timestamp: string;
  clip_path: string | null;
  notes: string | null;
}

describe('original app data routes', () => {
  let stack: GatewayStack;
  let pipeline: PipelineResults;
  let ada: TestUser;
  let bob: TestUser;
  let detections: LegacyDetection[];
  let bobDetection: LegacyDetection;

  beforeAll(async () => {
    stack = await startGatewayStack({ limitlessKeys: ['ada-key'] });
    pipeline = await PipelineResults.open(stack.harness.natsUrl!);
    ada = await stack.register(undefined, undefined, LA);
    bob = await stack.register();
    await pipeline.processedWindow({
      userId: ada.userId,
      localDate: DAY,
      windowStartMs: LATE_EVENING,
      windowEndMs: LATE_EVENING + 2 * HOUR,
      laughs: [
        { startMs: LATE_EVENING + 60 * 60_000, probability: 0.8 },
        { startMs: LATE_EVENING + 90 * 60_000, probability: 0.9 },
        { startMs: LATE_EVENING + 100 * 60_000, probability: 0.6 },
      ],
    });
    const bobStart = Date.UTC(2026, 2, 7, 10);
    await pipeline.processedWindow({
      userId: bob.userId,
      localDate: DAY,
      windowStartMs: bobStart,
      windowEndMs: bobStart + 2 * HOUR,
      laughs: [{ startMs: bobStart + HOUR, probability: 0.7 }],
    });
    detections = (await ada.agent.get(`/api/laughter-detections/${DAY}`).expect(200)).body;
    bobDetection = (await bob.agent.get(`/api/laughter-detections/${DAY}`).expect(200)).body[0];
  });

  afterAll(async () => {
    await pipeline?.close();
    await stack?.stop();
  });

  it.each([
    ['post', '/api/trigger-nightly-processing'],
    ['get', '/api/daily-summary'],
    ['get', `/api/laughter-detections/${DAY}`],
    ['put', `/api/laughter-detections/${randomUUID()}`],
    ['delete', `/api/laughter-detections/${randomUUID()}`],
    ['get', `/api/audio-clips/${randomUUID()}`],
    ['delete', '/api/user-data'],
    ['post', '/api/reprocess-date-range'],
  ])('%s %s without a session → 401', async (method, path) => {
    const res = await (request(stack.baseUrl) as unknown as Record<string, (p: string) => request.Test>)[method](path).send({});
    expect(res.status).toBe(401);
    expect(res.body.detail).toEqual(expect.any(String));
  });

  it('GET /daily-summary has the original fields and groups by the local day, not UTC', async () => {
    const res = await request(stack.baseUrl).get('/api/daily-summary').set('Authorization', `Bearer ${ada.accessToken}`).expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toEqual({ date: DAY, total_laughter_events: 3, average_probability: expect.closeTo(0.7667, 3), audio_segments_processed: 1 });
  });

  it('GET /laughter-detections/{date} lists the local day with the original fields and clip URLs, never paths', async () => {
    expect(detections).toHaveLength(3);
    for (const d of detections) expect(Object.keys(d).sort()).toEqual(DETECTION_FIELDS);
    expect(detections[1].timestamp).toBe('2026-03-08T07:30:00.000Z');
    for (const d of detections) expect(d.clip_path).toBe(`/api/laughs/${d.id}/clip`);
    const body = JSON.stringify(detections);
    expect(body).not.toContain(stack.clipDir);
    expect(body).not.toMatch(/\/tmp\/|\.wav/);
    const utcNextDay = await ada.agent.get('/api/laughter-detections/2026-03-08').expect(200);
    expect(utcNextDay.body).toEqual([]);
  });

  it('answers a bad date with the original 400 message (and detail), another user’s day with nothing of theirs', async () => {
    const res = await ada.agent.get('/api/laughter-detections/07-03-2026').expect(400);
    expect(res.body).toMatchObject({ message: 'Invalid date format. Use YYYY-MM-DD', detail: 'Invalid date format. Use YYYY-MM-DD' });
    const theirs = await bob.agent.get(`/api/laughter-detections/${DAY}`).expect(200);
    expect(theirs.body.map((d: LegacyDetection) => d.id)).toEqual([bobDetection.id]);
  });

  it('PUT /laughter-detections/{id} updates the notes', async () => {
    const res = await ada.agent.put(`/api/laughter-detections/${detections[0].id}`).send({ notes: 'at the pub' }).expect(200);
    expect(res.body).toEqual({ message: 'Detection updated successfully' });
    const after = await ada.agent.get(`/api/laughter-detections/${DAY}`).expect(200);
    expect(after.body[0].notes).toBe('at the pub');
  });

  it('PUT refuses bad ids, bad bodies and another user’s detection', async () => {
    const badId = await ada.agent.put('/api/laughter-detections/123').send({ notes: 'x' }).expect(400);
    expect(badId.body.detail).toBe('Invalid detection ID format');
    const tooLong = await ada.agent.put(`/api/laughter-detections/${detections[0].id}`).send({ notes: 'x'.repeat(2001) }).expect(400);
    expect(tooLong.body.message).toMatch(/notes/);
    await ada.agent.put(`/api/laughter-detections/${detections[0].id}`).send({ notes: ['a'] }).expect(400);
    await ada.agent.put(`/api/laughter-detections/${detections[0].id}`).send({ notes: 'nul\u0000' }).expect(400);
    const theirs = await bob.agent.put(`/api/laughter-detections/${detections[0].id}`).send({ notes: 'mine' }).expect(404);
    expect(theirs.body.detail).toBe('Detection not found');
  });

  it('leaves a laugh marked "not a laugh" out of the original list and counts until the mark is undone', async () => {
    await ada.agent.patch(`/api/laughs/${detections[1].id}`).send({ notLaugh: true }).expect(200);
    const listed = await ada.agent.get(`/api/laughter-detections/${DAY}`).expect(200);
    expect(listed.body.map((d: LegacyDetection) => d.id)).not.toContain(detections[1].id);
    expect((await ada.agent.get('/api/daily-summary').expect(200)).body[0].total_laughter_events).toBe(2);
    await ada.agent.patch(`/api/laughs/${detections[1].id}`).send({ notLaugh: false }).expect(200);
    expect((await ada.agent.get(`/api/laughter-detections/${DAY}`).expect(200)).body).toHaveLength(3);
    expect((await ada.agent.get('/api/daily-summary').expect(200)).body[0].total_laughter_events).toBe(3);
  });

  it('GET /audio-clips/{id} serves the clip (with Range), 400 for a bad id, 404 for another user’s', async () => {
    const clip = await ada.agent.get(`/api/audio-clips/${detections[1].id}`).expect(200);
    expect(clip.headers['content-type']).toBe('audio/wav');
    const part = await ada.agent.get(`/api/audio-clips/${detections[1].id}`).set('Range', 'bytes=0-3').expect(206);
    expect(part.headers['content-range']).toMatch(/^bytes 0-3\/\d+$/);
    expect((await ada.agent.get('/api/audio-clips/nope').expect(400)).body.detail).toBe('Invalid clip ID format');
    expect((await bob.agent.get(`/api/audio-clips/${detections[1].id}`).expect(404)).body.detail).toBe('Audio clip not found');
  });

  it('DELETE /laughter-detections/{id} works (the original always failed) and takes the clip along', async () => {
    await bob.agent.delete(`/api/laughter-detections/${detections[2].id}`).expect(404);
    const res = await ada.agent.delete(`/api/laughter-detections/${detections[2].id}`).expect(200);
    expect(res.body).toEqual({ message: 'Detection deleted successfully' });
    await ada.agent.get(`/api/audio-clips/${detections[2].id}`).expect(404);
    await ada.agent.delete(`/api/laughter-detections/${detections[2].id}`).expect(404);
    const after = await ada.agent.get(`/api/laughter-detections/${DAY}`).expect(200);
    expect(after.body.map((d: LegacyDetection) => d.id)).toEqual([detections[0].id, detections[1].id]);
    const summary = await ada.agent.get('/api/daily-summary').expect(200);
    expect(summary.body[0].total_laughter_events).toBe(2);
  });

  it('POST /trigger-nightly-processing starts today so far for the caller', async () => {
    const noKey = await bob.agent.post('/api/trigger-nightly-processing').expect(409);
    expect(noKey.body.detail).toMatch(/Limitless key/);
    await ada.agent.put('/api/limitless-key').send({ apiKey: 'ada-key' }).expect(200);
    const res = await ada.agent.post('/api/trigger-nightly-processing').expect(200);
    expect(res.body).toMatchObject({ message: 'Nightly processing triggered successfully', status: 'queued', user_id: ada.userId });
    expect(res.body.job_id).toEqual(expect.any(String));
  });

  it('POST /reprocess-date-range takes start_date/end_date and refuses bad ones', async () => {
    const res = await ada.agent.post('/api/reprocess-date-range').send({ start_date: '2026-01-01', end_date: '2026-01-02' }).expect(200);
    expect(res.body).toMatchObject({ start_date: '2026-01-01', end_date: '2026-01-02', status: 'queued' });
    expect(res.body.jobs).toHaveLength(2);
    expect(res.body.jobs[0]).toEqual({ job_id: expect.any(String), date: '2026-01-01', state: 'queued' });
    for (const body of [{ start_date: '2026-1-1', end_date: '2026-01-02' }, { start_date: '2026-01-03' }, { start_date: '2026-01-03', end_date: '2026-01-01' }]) {
      const bad = await ada.agent.post('/api/reprocess-date-range').send(body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.detail).toEqual(expect.any(String));
    }
  });

  it("DELETE /user-data removes only the caller's rows and clip files (the original wiped everyone's)", async () => {
    const clipFiles = async (userId: string) =>
      (await stack.sql<{ clip_path: string }>('SELECT clip_path FROM laughter_detections WHERE user_id = $1 AND clip_path IS NOT NULL', [userId])).map((r) =>
        isAbsolute(r.clip_path) ? r.clip_path : join(stack.clipDir, r.clip_path),
      );
    const bobFiles = await clipFiles(bob.userId);
    expect(bobFiles).toHaveLength(1);
    await access(bobFiles[0]);
    const adaFiles = await clipFiles(ada.userId);
    expect(adaFiles).toHaveLength(2);

    const res = await ada.agent.delete('/api/user-data').expect(200);
    expect(res.body).toEqual({ message: 'User data deleted successfully' });
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith('giggles_at=;'))).toBe(true);
    expect(await stack.sql('SELECT 1 FROM laughter_detections WHERE user_id = $1', [ada.userId])).toHaveLength(0);
    for (const file of adaFiles) await expect(access(file)).rejects.toThrow();

    await access(bobFiles[0]);
    const bobs = await bob.agent.get(`/api/laughter-detections/${DAY}`).expect(200);
    expect(bobs.body).toHaveLength(1);
    await bob.agent.get(`/api/audio-clips/${bobDetection.id}`).expect(200);
  });
});
