/**
 * The laughter routes against the real system (test/support/gateway-stack.ts: real NATS, Postgres,
 * PostgREST, persistence and the scheduler in-process, the gateway on a free port). Laughs are
 * seeded the way the pipeline stores them: clip objects in the clips bucket and segment results on
 * the results stream, consumed by persistence.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaySummary } from '@giggles/contracts';
import { startGatewayStack, type GatewayStack, type TestUser } from './support/gateway-stack';
import { HOUR, PipelineResults, wavClip } from './support/pipeline-results';
import { openEventStream } from './support/sse-client';

const LA = 'America/Los_Angeles';
/** 2026-03-07 in Los Angeles (PST, UTC−8) runs 2026-03-07T08:00Z → 2026-03-08T08:00Z. */
const DAY = '2026-03-07';
const MORNING = Date.UTC(2026, 2, 7, 16); // 08:00 local
const LATE_EVENING = Date.UTC(2026, 2, 8, 6); // 22:00 local (already 8 March in UTC)
const OTHER_DAY = '2026-03-05';
const BIG_CLIP = wavClip(10); // 320 044 bytes: more than one readClip chunk (262 144)

interface LaughRow {
  id: string;
  localTime: string;
  probability: number;
  notes?: string;
  notLaugh: boolean;
  clipUrl: string | null;
  review?: string;
}

describe('laughter API', () => {
  let stack: GatewayStack;
  let pipeline: PipelineResults;
  let ada: TestUser;
  let bob: TestUser;
  let adaLaughs: LaughRow[];
  let bigClipLaugh: LaughRow;
  let bobLaughId: string;

  beforeAll(async () => {
    stack = await startGatewayStack({ limitlessKeys: ['ada-key'] });
    pipeline = await PipelineResults.open(stack.harness.natsUrl!);
    ada = await stack.register(undefined, undefined, LA);
    bob = await stack.register();
    await pipeline.processedWindow({
      userId: ada.userId,
      localDate: DAY,
      windowStartMs: MORNING,
      windowEndMs: MORNING + 2 * HOUR,
      laughs: [
        { startMs: MORNING + 30 * 60_000, probability: 0.9, clip: BIG_CLIP },
        { startMs: MORNING + HOUR, probability: 0.55 },
      ],
    });
    await pipeline.processedWindow({
      userId: ada.userId,
      localDate: DAY,
      windowStartMs: LATE_EVENING,
      windowEndMs: LATE_EVENING + 2 * HOUR,
      decodedSeconds: 3_600,
      laughs: [
        { startMs: LATE_EVENING + 90 * 60_000, probability: 0.95 }, // 23:30 local
        { startMs: LATE_EVENING + 105 * 60_000, probability: 0.7, clip: null },
      ],
    });
    const otherDayStart = Date.UTC(2026, 2, 5, 18);
    await pipeline.processedWindow({
      userId: ada.userId,
      localDate: OTHER_DAY,
      windowStartMs: otherDayStart,
      windowEndMs: otherDayStart + 2 * HOUR,
      laughs: [{ startMs: otherDayStart + HOUR, probability: 0.8 }],
    });
    const bobStart = Date.UTC(2026, 2, 6, 9);
    await pipeline.processedWindow({
      userId: bob.userId,
      localDate: '2026-03-06',
      windowStartMs: bobStart,
      windowEndMs: bobStart + 2 * HOUR,
      laughs: [{ startMs: bobStart + HOUR, probability: 0.85 }],
    });
    const res = await ada.agent.get(`/api/days/${DAY}/laughs`).expect(200);
    adaLaughs = res.body.laughs;
    bigClipLaugh = adaLaughs[0];
    bobLaughId = (await bob.agent.get('/api/days/2026-03-06/laughs').expect(200)).body.laughs[0].id;
  });

  afterAll(async () => {
    await pipeline?.close();
    await stack?.stop();
  });

  async function adaDay(date = DAY): Promise<DaySummary> {
    const days = (await ada.agent.get('/api/days').expect(200)).body.days as DaySummary[];
    const day = days.find((d) => d.localDate === date);
    if (!day) throw new Error(`no ${date} in ${JSON.stringify(days.map((d) => d.localDate))}`);
    return day;
  }

  async function adaTrendOf(date: string): Promise<number> {
    const trends = (await ada.agent.get('/api/trends?days=365').expect(200)).body as { days: Array<{ localDate: string; laughs: number }> };
    return trends.days.find((d) => d.localDate === date)?.laughs ?? -1;
  }

  describe('without a session', () => {
    const id = randomUUID();
    const routes: Array<[string, string]> = [
      ['get', '/api/days'],
      ['get', `/api/days/${DAY}`],
      ['get', `/api/days/${DAY}/laughs`],
      ['delete', `/api/days/${DAY}`],
      ['patch', `/api/laughs/${id}`],
      ['delete', `/api/laughs/${id}`],
      ['get', `/api/laughs/${id}/clip`],
      ['get', '/api/trends?days=30'],
      ['post', '/api/jobs/today'],
      ['post', '/api/jobs/reprocess'],
      ['get', '/api/jobs/some-job/events'],
      ['get', '/api/export?format=json'],
      ['delete', '/api/me'],
    ];
    it.each(routes)('%s %s → 401', async (method, path) => {
      const res = await (request(stack.baseUrl) as unknown as Record<string, (p: string) => request.Test>)[method](path).send({});
      expect(res.status).toBe(401);
      expect(res.body.message).toEqual(expect.any(String));
    });
  });

  it('documents every laughter route in the OpenAPI document', async () => {
    const doc = (await request(stack.baseUrl).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const expected: Array<[string, string]> = [
      ['/api/days', 'get'],
      ['/api/days/{date}', 'get'],
      ['/api/days/{date}', 'delete'],
      ['/api/days/{date}/laughs', 'get'],
      ['/api/laughs/{id}', 'patch'],
      ['/api/laughs/{id}', 'delete'],
      ['/api/laughs/{id}/clip', 'get'],
      ['/api/trends', 'get'],
      ['/api/jobs/today', 'post'],
      ['/api/jobs/reprocess', 'post'],
      ['/api/jobs/{jobId}/events', 'get'],
      ['/api/export', 'get'],
      ['/api/me', 'delete'],
      ['/api/trigger-nightly-processing', 'post'],
      ['/api/daily-summary', 'get'],
      ['/api/laughter-detections/{date}', 'get'],
      ['/api/laughter-detections/{id}', 'put'],
      ['/api/laughter-detections/{id}', 'delete'],
      ['/api/audio-clips/{id}', 'get'],
      ['/api/user-data', 'delete'],
      ['/api/reprocess-date-range', 'post'],
    ];
    for (const [path, method] of expected) expect(doc.paths[path]?.[method], `${method} ${path}`).toMatchObject({ summary: expect.any(String) });
  });

  describe('days', () => {
    it('lists the processed day with its counts, audio and state, grouped in the user zone', async () => {
      const res = await ada.agent.get('/api/days').expect(200);
      expect(res.body.timezone).toBe(LA);
      expect(res.body.days.map((d: DaySummary) => d.localDate)).toEqual([DAY, OTHER_DAY]);
      const day = res.body.days[0] as DaySummary;
      expect(day).toMatchObject({ laughCount: 4, rejectedCount: 0, windowsProcessed: 2 });
      expect(day.audioSeconds).toBeCloseTo(7_200 + 3_600, 0);
      expect(day.meanProbability).toBeCloseTo((0.9 + 0.55 + 0.95 + 0.7) / 4, 3);
      expect(typeof day.stateMessage).toBe('string');
    });

    it('pages newest first', async () => {
      const first = await ada.agent.get('/api/days?limit=1').expect(200);
      expect(first.body.days.map((d: DaySummary) => d.localDate)).toEqual([DAY]);
      expect(first.body.nextBefore).toBe(DAY);
      const second = await ada.agent.get(`/api/days?limit=1&before=${first.body.nextBefore}`).expect(200);
      expect(second.body.days.map((d: DaySummary) => d.localDate)).toEqual([OTHER_DAY]);
    });

    it('shows one day with its windows and the local hours that had audio', async () => {
      const res = await ada.agent.get(`/api/days/${DAY}`).expect(200);
      expect(res.body.summary.localDate).toBe(DAY);
      expect(res.body.windows).toHaveLength(2);
      expect(res.body.hours).toHaveLength(24);
      const withAudio = res.body.hours.filter((h: { audioSeconds: number }) => h.audioSeconds > 0).map((h: { hour: number }) => h.hour);
      expect(withAudio).toEqual([8, 9, 22, 23]);
    });

    it('lists the laughs in time order with local times and clip URLs (23:30 in LA stays on its local day)', async () => {
      expect(adaLaughs.map((l) => l.localTime)).toEqual(['08:30:00', '09:00:00', '23:30:00', '23:45:00']);
      expect(adaLaughs[0].clipUrl).toBe(`/api/laughs/${adaLaughs[0].id}/clip`);
      expect(adaLaughs[3].clipUrl).toBeNull();
      const next = await ada.agent.get('/api/days/2026-03-08/laughs');
      expect(next.status === 404 || next.body.total === 0).toBe(true);
    });

    it('filters by minimum probability and pages', async () => {
      const strong = await ada.agent.get(`/api/days/${DAY}/laughs?minProbability=0.8`).expect(200);
      expect(strong.body.total).toBe(2);
      expect(strong.body.laughs.map((l: LaughRow) => l.probability)).toEqual([0.9, 0.95]);
      const page = await ada.agent.get(`/api/days/${DAY}/laughs?offset=1&limit=2`).expect(200);
      expect(page.body.total).toBe(4);
      expect(page.body.laughs.map((l: LaughRow) => l.id)).toEqual([adaLaughs[1].id, adaLaughs[2].id]);
    });

    it.each([
      ['/api/days/2026-02-30', /date/],
      ['/api/days/yesterday/laughs', /date/],
      ['/api/days?limit=0', /limit/],
      ['/api/days?limit=abc', /limit/],
      ['/api/days?before=2026-13-01', /before/],
      [`/api/days/${DAY}/laughs?minProbability=1.5`, /minProbability/],
      [`/api/days/${DAY}/laughs?limit=201`, /limit/],
      [`/api/days/${DAY}/laughs?offset=-1`, /offset/],
      [`/api/days/${DAY}/laughs?colour=red`, /colour/],
      ['/api/trends?days=7', /days/],
      ['/api/trends', /days/],
      ['/api/export?format=xml', /format/],
      ['/api/laughs/not-a-uuid/clip', /id/],
      ['/api/jobs/bad%20job/events', /jobId/],
    ])('GET %s → 400 with a message', async (path, message) => {
      const res = await ada.agent.get(path);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });

    it("never shows another user's day or laughs", async () => {
      await bob.agent.get(`/api/days/${DAY}`).expect(404);
      const laughs = await bob.agent.get(`/api/days/${DAY}/laughs`);
      expect(laughs.status === 404 || laughs.body.total === 0).toBe(true);
      const days = await bob.agent.get('/api/days').expect(200);
      expect(days.body.days.map((d: DaySummary) => d.localDate)).toEqual(['2026-03-06']);
    });
  });

  describe('notes and review', () => {
    it('stores notes as plain text and returns them as given', async () => {
      const notes = '<script>alert(1)</script> & "so" funny\nsecond line';
      const res = await ada.agent.patch(`/api/laughs/${adaLaughs[1].id}`).send({ notes }).expect(200);
      expect(res.body.notes).toBe(notes);
      expect(res.body.localTime).toBe('09:00:00');
      const list = await ada.agent.get(`/api/days/${DAY}/laughs`).expect(200);
      expect(list.body.laughs[1].notes).toBe(notes);
    });

    it('clears notes with null', async () => {
      await ada.agent.patch(`/api/laughs/${adaLaughs[2].id}`).send({ notes: 'temp' }).expect(200);
      const cleared = await ada.agent.patch(`/api/laughs/${adaLaughs[2].id}`).send({ notes: null }).expect(200);
      expect(cleared.body.notes).toBeUndefined();
    });

    it.each([
      [{ notes: 'x'.repeat(2001) }, /2000/],
      [{ notes: 42 }, /notes/],
      [{ notLaugh: 'yes' }, /notLaugh/],
      [{}, /notes or notLaugh/],
      [{ notes: 'ok', admin: true }, /admin/],
      [{ notes: 'bell\u0007' }, /control characters/],
    ])('PATCH %j → 400', async (body, message) => {
      const res = await ada.agent.patch(`/api/laughs/${adaLaughs[1].id}`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });

    it('"not a laugh" leaves the counts and the trends; undo brings it back', async () => {
      expect(await adaTrendOf(DAY)).toBe(4);
      const marked = await ada.agent.patch(`/api/laughs/${adaLaughs[0].id}`).send({ notLaugh: true }).expect(200);
      expect(marked.body).toMatchObject({ notLaugh: true, review: 'not_laugh' });
      expect(await adaDay()).toMatchObject({ laughCount: 3, rejectedCount: 1 });
      expect(await adaTrendOf(DAY)).toBe(3);
      const list = await ada.agent.get(`/api/days/${DAY}/laughs`).expect(200);
      expect(list.body.laughs[0].notLaugh).toBe(true);

      const undone = await ada.agent.patch(`/api/laughs/${adaLaughs[0].id}`).send({ notLaugh: false }).expect(200);
      expect(undone.body.notLaugh).toBe(false);
      expect(await adaDay()).toMatchObject({ laughCount: 4, rejectedCount: 0 });
      expect(await adaTrendOf(DAY)).toBe(4);
    });

    it("refuses another user's laugh with 404 and changes nothing", async () => {
      await bob.agent.patch(`/api/laughs/${adaLaughs[1].id}`).send({ notes: 'mine now' }).expect(404);
      await bob.agent.patch(`/api/laughs/${adaLaughs[1].id}`).send({ notLaugh: true }).expect(404);
      await bob.agent.delete(`/api/laughs/${adaLaughs[1].id}`).expect(404);
      const list = await ada.agent.get(`/api/days/${DAY}/laughs`).expect(200);
      expect(list.body.laughs[1].notes).not.toBe('mine now');
      expect(list.body.laughs[1].notLaugh).toBe(false);
      await ada.agent.patch(`/api/laughs/${randomUUID()}`).send({ notes: 'x' }).expect(404);
    });
  });

  describe('clips', () => {
    it('serves the whole clip as audio/wav with ETag and private caching', async () => {
      const res = await ada.agent.get(bigClipLaugh.clipUrl!).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('audio/wav');
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(res.headers['cache-control']).toMatch(/private/);
      expect(res.headers.etag).toMatch(/^"/);
      expect(Number(res.headers['content-length'])).toBe(BIG_CLIP.length);
      expect((res.body as Buffer).equals(BIG_CLIP)).toBe(true);
    });

    it('answers a byte range with 206 and Content-Range, across chunk boundaries', async () => {
      const from = 262_000;
      const to = 263_000;
      const res = await ada.agent.get(bigClipLaugh.clipUrl!).set('Range', `bytes=${from}-${to}`).buffer(true).parse(binary).expect(206);
      expect(res.headers['content-range']).toBe(`bytes ${from}-${to}/${BIG_CLIP.length}`);
      expect((res.body as Buffer).equals(BIG_CLIP.subarray(from, to + 1))).toBe(true);
      const tail = await ada.agent.get(bigClipLaugh.clipUrl!).set('Range', 'bytes=-44').buffer(true).parse(binary).expect(206);
      expect((tail.body as Buffer).equals(BIG_CLIP.subarray(BIG_CLIP.length - 44))).toBe(true);
    });

    it('answers 416 with the size for a range past the end, 200 for several ranges', async () => {
      const res = await ada.agent.get(bigClipLaugh.clipUrl!).set('Range', `bytes=${BIG_CLIP.length}-`);
      expect(res.status).toBe(416);
      expect(res.headers['content-range']).toBe(`bytes */${BIG_CLIP.length}`);
      const multi = await ada.agent.get(bigClipLaugh.clipUrl!).set('Range', 'bytes=0-1,5-9').buffer(true).parse(binary).expect(200);
      expect((multi.body as Buffer).length).toBe(BIG_CLIP.length);
    });

    it('answers 304 when the ETag still matches', async () => {
      const first = await ada.agent.get(bigClipLaugh.clipUrl!).buffer(true).parse(binary).expect(200);
      const again = await ada.agent.get(bigClipLaugh.clipUrl!).set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(first.headers.etag);
    });

    it("is 404 for another user's clip, a laugh without a clip and an unknown id", async () => {
      await bob.agent.get(bigClipLaugh.clipUrl!).expect(404);
      await request(stack.baseUrl).get(bigClipLaugh.clipUrl!).set('Authorization', `Bearer ${bob.accessToken}`).expect(404);
      await ada.agent.get(`/api/laughs/${adaLaughs[3].id}/clip`).expect(404);
      await ada.agent.get(`/api/laughs/${randomUUID()}/clip`).expect(404);
    });
  });

  describe('deleting', () => {
    it('deletes one laugh and its clip', async () => {
      const victim = adaLaughs[1];
      await ada.agent.get(victim.clipUrl!).expect(200);
      await ada.agent.delete(`/api/laughs/${victim.id}`).expect(204);
      await ada.agent.get(victim.clipUrl!).expect(404);
      await ada.agent.delete(`/api/laughs/${victim.id}`).expect(404);
      const list = await ada.agent.get(`/api/days/${DAY}/laughs`).expect(200);
      expect(list.body.laughs.map((l: LaughRow) => l.id)).not.toContain(victim.id);
      expect((await adaDay()).laughCount).toBe(3);
    });

    it("deletes a whole day's laughs and clips, not another user's", async () => {
      const before = await ada.agent.get(`/api/days/${OTHER_DAY}/laughs`).expect(200);
      const clipUrl = before.body.laughs[0].clipUrl as string;
      await bob.agent.delete(`/api/days/${OTHER_DAY}`).expect((res) => expect([204, 404]).toContain(res.status));
      await ada.agent.get(clipUrl).expect(200);
      await ada.agent.delete(`/api/days/${OTHER_DAY}`).expect(204);
      await ada.agent.get(clipUrl).expect(404);
      const after = await ada.agent.get(`/api/days/${OTHER_DAY}/laughs`);
      expect(after.status === 404 || after.body.total === 0).toBe(true);
      await ada.agent.delete('/api/days/2026-02-31').expect(400);
    });
  });

  describe('trends', () => {
    it('covers 30, 90 and 365 days ending today with hour-of-day counts, computed for the caller only', async () => {
      for (const days of [30, 90, 365]) {
        const res = await ada.agent.get(`/api/trends?days=${days}`).expect(200);
        expect(res.body.days).toHaveLength(days);
        expect(res.body.byHour).toHaveLength(24);
        expect(res.body.to).toBe(res.body.days[days - 1].localDate);
      }
      const year = (await ada.agent.get('/api/trends?days=365').expect(200)).body;
      expect(year.byHour[23]).toBeGreaterThanOrEqual(1);
      expect(year.bestDays[0]).toMatchObject({ localDate: DAY });
      const bobs = (await bob.agent.get('/api/trends?days=365').expect(200)).body;
      expect(bobs.days.find((d: { localDate: string }) => d.localDate === DAY)?.laughs ?? 0).toBe(0);
    });
  });

  describe('export', () => {
    it('exports JSON with notes and review marks, only the caller’s laughs', async () => {
      await ada.agent.patch(`/api/laughs/${adaLaughs[2].id}`).send({ notes: '=1+1 "quoted", comma', notLaugh: true }).expect(200);
      const res = await ada.agent.get('/api/export?format=json').buffer(true).parse(text).expect(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="giggles-export.json"');
      const doc = JSON.parse(res.body as string) as { timezone: string; laughs: LaughRow[] };
      expect(doc.timezone).toBe(LA);
      const ids = doc.laughs.map((l) => l.id);
      expect(ids).toContain(adaLaughs[2].id);
      expect(ids).not.toContain(bobLaughId);
      const marked = doc.laughs.find((l) => l.id === adaLaughs[2].id)!;
      expect(marked).toMatchObject({ notes: '=1+1 "quoted", comma', review: 'not_laugh', notLaugh: true });
    });

    it('exports CSV with a header, quoted and defused notes, only the caller’s laughs', async () => {
      const res = await ada.agent.get('/api/export?format=csv').buffer(true).parse(text).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="giggles-export.csv"');
      const body = res.body as string;
      const lines = body.trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^id,local_date,local_time,/);
      const row = lines.find((l) => l.startsWith(adaLaughs[2].id))!;
      expect(row).toContain(`"'=1+1 ""quoted"", comma"`);
      expect(row).toContain('not_laugh');
      expect(body).not.toContain(bobLaughId);
      const bobs = await bob.agent.get('/api/export?format=csv').buffer(true).parse(text).expect(200);
      expect(bobs.body as string).toContain(bobLaughId);
      expect(bobs.body as string).not.toContain(adaLaughs[0].id);
    });
  });

  describe('jobs and their progress', () => {
    it('refuses to start a job without a Limitless key, with a message', async () => {
      const res = await bob.agent.post('/api/jobs/today');
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/Limitless key/);
      const range = await bob.agent.post('/api/jobs/reprocess').send({ from: '2026-01-01', to: '2026-01-01' });
      expect(range.status).toBe(409);
    });

    it('starts "today so far" and streams its progress until done', async () => {
      await ada.agent.put('/api/limitless-key').send({ apiKey: 'ada-key' }).expect(200);
      const started = await ada.agent.post('/api/jobs/today').expect(202);
      const job = started.body.job as { jobId: string; localDate: string; state: string };
      expect(job.state).toBe('queued');
      const [row] = await stack.sql<{ start_ms: string; end_ms: string; timezone: string }>(
        'SELECT (extract(epoch FROM range_start) * 1000)::bigint AS start_ms, (extract(epoch FROM range_end) * 1000)::bigint AS end_ms, timezone FROM jobs WHERE job_id = $1',
        [job.jobId],
      );
      const events = await openEventStream(`${stack.baseUrl}/api/jobs/${encodeURIComponent(job.jobId)}/events`, ada.accessToken);
      expect(events.status).toBe(200);
      expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
      await events.until('progress');
      expect(events.events[0].data).toMatchObject({ jobId: job.jobId, status: 'planned' });

      // What ingestion reports: the plan (two windows), then each window's outcome.
      const startMs = Number(row.start_ms);
      const base = { jobId: job.jobId, userId: ada.userId, localDate: job.localDate, trigger: 'today' as const };
      await pipeline.jobProgress({ ...base, timezone: row.timezone ?? LA, status: 'planned', windowsPlanned: 2, windowsSkipped: 0, at: new Date().toISOString() });
      await pipeline.windowOutcome({ ...base, windowStartMs: startMs, windowEndMs: startMs + HOUR, status: 'empty', limitlessCalls: [] });
      await pipeline.windowOutcome({ ...base, windowStartMs: startMs + HOUR, windowEndMs: startMs + 2 * HOUR, status: 'empty', limitlessCalls: [] });
      const done = await events.until('done', 20_000);
      await events.ended;
      expect(done.data).toMatchObject({ jobId: job.jobId, status: 'done', windowsPlanned: 2, windowsDone: 2 });
      const statuses = events.events.map((e) => `${e.event}:${(e.data as { status: string }).status}`);
      expect(statuses[0]).toBe('progress:planned');
      expect(statuses).toContain('progress:done');
      expect(statuses.at(-1)).toBe('done:done');
    });

    it("is 404 for another user's job and 404 before any stream starts", async () => {
      const started = await ada.agent.post('/api/jobs/reprocess').send({ from: '2026-01-01', to: '2026-01-02' }).expect(202);
      const jobId = started.body.jobs[0].jobId as string;
      const theirs = await openEventStream(`${stack.baseUrl}/api/jobs/${encodeURIComponent(jobId)}/events`, bob.accessToken);
      expect(theirs.status).toBe(404);
      const unknown = await openEventStream(`${stack.baseUrl}/api/jobs/no-such-job/events`, ada.accessToken);
      expect(unknown.status).toBe(404);
    });

    it('refuses a reprocess while those days run (409), bad ranges (400)', async () => {
      const again = await ada.agent.post('/api/jobs/reprocess').send({ from: '2026-01-01', to: '2026-01-02' });
      expect(again.status).toBe(409);
      expect(again.body.message).toEqual(expect.any(String));
      for (const body of [{ from: '2026-01-05', to: '2026-01-01' }, { from: '2026-01-01' }, { from: 'x', to: '2026-01-01' }, { from: '2025-01-01', to: '2026-01-01' }]) {
        const res = await ada.agent.post('/api/jobs/reprocess').send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.message).toEqual(expect.any(String));
      }
    });

    it('refuses a reprocess (409, in words) while Limitless is unreachable and the day holds results the archive does not keep', async () => {
      // A processed window with no audio_archive row, and downloads paused for an outage.
      await stack.sql(
        `INSERT INTO audio_segments (user_id, date, start_time, end_time, status, processed)
         VALUES ($1, '2026-01-05', '2026-01-05T10:00:00Z', '2026-01-05T12:00:00Z', 'processed', true)`,
        [ada.userId],
      );
      await stack.sql(`INSERT INTO limitless_outages (user_id, paused_at, pause_reason) VALUES ($1, now(), 'test') ON CONFLICT (user_id) DO UPDATE SET paused_at = now()`, [ada.userId]);
      try {
        const refused = await ada.agent.post('/api/jobs/reprocess').send({ from: '2026-01-05', to: '2026-01-05' });
        expect(refused.status).toBe(409);
        expect(refused.body.message).toBe(
          "Limitless can't be reached right now, and 1 of these days holds results whose audio isn't kept in your archive — reprocessing now would lose them. Try again when Limitless answers.",
        );
        expect(await stack.sql("SELECT 1 FROM audio_segments WHERE user_id = $1 AND date = '2026-01-05'", [ada.userId])).toHaveLength(1);
      } finally {
        await stack.sql('UPDATE limitless_outages SET paused_at = NULL, resumed_at = now() WHERE user_id = $1', [ada.userId]);
      }
    });

    it('bounds the open streams per user and frees a slot when the client goes', async () => {
      const started = await ada.agent.post('/api/jobs/reprocess').send({ from: '2026-01-10', to: '2026-01-10' }).expect(202);
      const url = `${stack.baseUrl}/api/jobs/${encodeURIComponent(started.body.jobs[0].jobId as string)}/events`;
      const open = [];
      for (let i = 0; i < 4; i++) open.push(await openEventStream(url, ada.accessToken));
      expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
      const fifth = await openEventStream(url, ada.accessToken);
      expect(fifth.status).toBe(429);
      expect(await openEventStream(url, bob.accessToken).then((s) => s.status)).toBe(404);
      open[0].close();
      // The server notices the closed connection and gives the slot back (allow for a busy machine).
      let again = await openEventStream(url, ada.accessToken);
      for (const deadline = Date.now() + 5_000; again.status === 429 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        again = await openEventStream(url, ada.accessToken);
      }
      expect(again.status).toBe(200);
      for (const s of [...open, again]) s.close();
    });

    it('ends open progress streams when the gateway shuts down (close is not held up)', async () => {
      const started = await ada.agent.post('/api/jobs/reprocess').send({ from: '2026-01-20', to: '2026-01-20' }).expect(202);
      const other = await stack.startGateway();
      const stream = await openEventStream(`${other.url}/api/jobs/${encodeURIComponent(started.body.jobs[0].jobId as string)}/events`, ada.accessToken);
      expect(stream.status).toBe(200);
      await stream.until('progress');
      const closing = Date.now();
      await other.close();
      await stream.ended;
      expect(Date.now() - closing).toBeLessThan(5_000);
    });
  });

  describe('deleting everything', () => {
    it("deletes the caller's rows, clip files and account, signs out, and leaves the other user's alone", async () => {
      const carol = await stack.register();
      const dave = await stack.register();
      const start = Date.UTC(2026, 2, 9, 9);
      for (const user of [carol, dave]) {
        await pipeline.processedWindow({
          userId: user.userId,
          localDate: '2026-03-09',
          windowStartMs: start,
          windowEndMs: start + 2 * HOUR,
          laughs: [{ startMs: start + HOUR }, { startMs: start + HOUR + 60_000 }],
        });
      }
      const clipPaths = async (userId: string) =>
        (await stack.sql<{ clip_path: string }>('SELECT clip_path FROM laughter_detections WHERE user_id = $1 AND clip_path IS NOT NULL', [userId])).map((r) => r.clip_path);
      const daveClips = await clipPaths(dave.userId);
      expect(daveClips).toHaveLength(2);
      const carolClip = (await carol.agent.get('/api/days/2026-03-09/laughs').expect(200)).body.laughs[0].clipUrl as string;

      const res = await carol.agent.delete('/api/me').expect(204);
      const cleared = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      expect(cleared.some((c) => c.startsWith('giggles_at=;'))).toBe(true);
      expect(cleared.some((c) => c.startsWith('giggles_rt=;'))).toBe(true);

      await carol.agent.get('/api/days').expect(401);
      const rows = await stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM laughter_detections WHERE user_id = $1', [carol.userId]);
      expect(rows[0].n).toBe(0);
      expect(await stack.sql('SELECT 1 FROM users WHERE id = $1', [carol.userId])).toHaveLength(0);
      await request(stack.baseUrl).post('/api/session').send({ email: carol.email, password: carol.password }).expect(401);
      await request(stack.baseUrl).get(carolClip).set('Authorization', `Bearer ${carol.accessToken}`).expect((r) => expect([401, 404]).toContain(r.status));

      expect(await clipPaths(dave.userId)).toEqual(daveClips);
      const daveDay = await dave.agent.get('/api/days/2026-03-09/laughs').expect(200);
      expect(daveDay.body.total).toBe(2);
      await dave.agent.get(daveDay.body.laughs[0].clipUrl).expect(200);
    });
  });
});

/** supertest body parsers: the raw bytes, or the text, of a streamed reply (superagent hands the Node response). */
function collect(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const parts: Buffer[] = [];
  stream.on('data', (chunk: Buffer | string) => parts.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(parts)));
}

function binary(res: request.Response, done: (error: Error | null, body: unknown) => void): void {
  collect(res, done);
}

function text(res: request.Response, done: (error: Error | null, body: unknown) => void): void {
  collect(res, (error, body) => done(error, body.toString('utf8')));
}
