/**
 * The gateway's queries (migrations/0010, user-queries.ts) over NATS request/reply against the
 * running app: accounts and keys, days by local date, a day's laughs with filters and paging,
 * review marks and their undo, deleting laughs, days and all of one user's data, clips by byte
 * range, trends, export and job progress — each with a second user who must see none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIP_CHUNK_MAX,
  NOTES_MAX_LENGTH,
  QUERIES,
  QUERY_ERROR_CODES,
  type DetectedEvent,
  type Laugh,
  type QueryRequestOf,
  type QuerySubject,
} from '@giggles/contracts';
import { request } from '@giggles/messaging';
import { startApp, type RunningApp } from './support/app';
import { BERLIN_DAY_START, event, HOUR, jid, jobProgress, segmentResult, userId, windowOutcome } from './support/fixtures';

const DAY = 24 * HOUR;
/** A clip's bytes: long enough to read in ranges, each byte telling its position. */
const CLIP = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
const ENCRYPTED_KEY = Buffer.from('nonce-123456ciphertext-and-tag!!').toString('base64');

describe('gateway queries', () => {
  let a: RunningApp;

  beforeAll(async () => {
    a = await startApp();
  });
  afterAll(() => a?.stop());

  const ask = <S extends QuerySubject>(subject: S, payload: QueryRequestOf<S>) => request(a.nc, subject, payload);

  /** Sends a payload as is (no client-side contract check) and returns the reply envelope. */
  async function raw(subject: string, payload: unknown): Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }> {
    const msg = await a.nc.request(subject, JSON.stringify(payload), { timeout: 5_000 });
    return JSON.parse(new TextDecoder().decode(msg.data));
  }

  async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
    await expect(promise).rejects.toMatchObject({ code });
  }

  /** One processed window of a local day with these events; their clips are stored with CLIP's bytes. */
  async function storeWindow(user: string, localDate: string, windowStartMs: number, events: DetectedEvent[], jobName = `job-${localDate}`) {
    const written = await a.results.recordSegmentResult(
      segmentResult(user, { jobId: jobName, localDate, windowStartMs, events, decodedSeconds: 7_000 }),
    );
    for (const stored of written.events) {
      if (stored.clipObject && stored.clipPath) await a.clipStore.put(stored.clipPath, CLIP);
    }
    return written;
  }

  async function dayLaughs(user: string, localDate: string, extra: Partial<QueryRequestOf<typeof QUERIES.dayLaughs>> = {}) {
    return ask(QUERIES.dayLaughs, { userId: user, localDate, ...extra });
  }

  async function summary(user: string, localDate: string) {
    return (await ask(QUERIES.day, { userId: user, localDate })).summary;
  }

  describe('accounts, settings and keys', () => {
    it('creates the users row once; a returning or original-app user is kept as is', async () => {
      const id = userId();
      const created = await ask(QUERIES.ensureUser, { userId: id, email: `${id}@example.test`, timezone: 'America/New_York' });
      expect(created).toMatchObject({ userId: id, email: `${id}@example.test`, timezone: 'America/New_York', created: true, key: { state: 'none' } });
      expect(Date.parse(created.createdAt)).toBeGreaterThan(Date.now() - 60_000);

      const again = await ask(QUERIES.ensureUser, { userId: id, email: `${id}@example.test`, timezone: 'Asia/Tokyo' });
      expect(again).toEqual({ ...created, created: false });

      // A user of the original app: users.id is the auth id, the row and its data predate Giggles.
      const legacy = userId();
      await a.sql("INSERT INTO users (id, email, timezone, created_at) VALUES ($1, $2, 'America/Los_Angeles', '2023-01-02T03:04:05Z')", [legacy, 'Legacy@Example.test']);
      expect(await ask(QUERIES.ensureUser, { userId: legacy, email: 'legacy@example.test' })).toEqual({
        userId: legacy,
        email: 'Legacy@Example.test',
        timezone: 'America/Los_Angeles',
        createdAt: '2023-01-02T03:04:05.000Z',
        key: { state: 'none' },
        created: false,
      });

      // Without a zone a new row starts in UTC.
      const plain = userId();
      expect(await ask(QUERIES.ensureUser, { userId: plain, email: `${plain}@example.test` })).toMatchObject({ timezone: 'UTC', created: true });
    });

    it('refuses an e-mail of another account (conflict) and bad input (invalid_request), creating nothing', async () => {
      const taken = await a.newUser({ email: 'taken@example.test' });
      const other = userId();
      await expectCode(ask(QUERIES.ensureUser, { userId: other, email: 'taken@example.test' }), QUERY_ERROR_CODES.conflict);
      for (const payload of [
        { userId: other, email: 'not an e-mail' },
        { userId: other, email: 'x@example.test', timezone: 'Mars/Base' },
        { userId: 'me', email: 'x@example.test' },
      ]) {
        const reply = await raw(QUERIES.ensureUser, payload);
        expect(reply).toMatchObject({ ok: false, error: { code: QUERY_ERROR_CODES.invalidRequest } });
      }
      expect(await a.sql('SELECT id FROM users WHERE id = $1', [other])).toEqual([]);
      expect((await ask(QUERIES.userProfile, { userId: taken })).email).toBe('taken@example.test');
    });

    it('profile and settings: not_found without a row; the zone is validated and stored', async () => {
      await expectCode(ask(QUERIES.userProfile, { userId: userId() }), QUERY_ERROR_CODES.notFound);
      await expectCode(ask(QUERIES.updateSettings, { userId: userId(), timezone: 'Europe/Paris' }), QUERY_ERROR_CODES.notFound);
      const user = await a.newUser();
      expect(await ask(QUERIES.updateSettings, { userId: user, timezone: 'Asia/Kolkata' })).toMatchObject({ userId: user, timezone: 'Asia/Kolkata' });
      expect((await ask(QUERIES.userProfile, { userId: user.toUpperCase() })).timezone).toBe('Asia/Kolkata');
      expect(await raw(QUERIES.updateSettings, { userId: user, timezone: 'UTC+2' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      expect((await ask(QUERIES.userProfile, { userId: user })).timezone).toBe('Asia/Kolkata');
    });

    it('saves a key (replacing the old one), reports its status without the ciphertext, deletes it', async () => {
      const user = await a.newUser();
      const first = await ask(QUERIES.saveKey, { userId: user, encryptedKey: ENCRYPTED_KEY });
      expect(first.replaced).toBe(false);
      expect(first.key).toEqual({ state: 'active', savedAt: expect.any(String) });
      const second = await ask(QUERIES.saveKey, { userId: user, encryptedKey: Buffer.from('another-ciphertext-of-a-new-key').toString('base64') });
      expect(second.replaced).toBe(true);
      expect(await a.sql('SELECT count(*)::int AS active FROM limitless_keys WHERE user_id = $1 AND is_active', [user])).toEqual([{ active: 1 }]);

      // Limitless rejects it: the status says since when and why.
      await ask(QUERIES.markKeyInvalid, { userId: user, reason: 'Limitless answered 401 Unauthorized' });
      const profile = await ask(QUERIES.userProfile, { userId: user });
      expect(profile.key).toMatchObject({ state: 'invalid', invalidSince: expect.any(String), invalidReason: 'Limitless answered 401 Unauthorized' });
      expect(JSON.stringify(profile)).not.toContain(ENCRYPTED_KEY);

      // A new key makes it active again; the newest window recorded since is its last use.
      await ask(QUERIES.saveKey, { userId: user, encryptedKey: ENCRYPTED_KEY });
      await storeWindow(user, '2024-03-01', BERLIN_DAY_START, []);
      const used = (await ask(QUERIES.userProfile, { userId: user })).key;
      expect(used.state).toBe('active');
      expect(Date.parse(used.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(used.savedAt!));

      expect(await ask(QUERIES.deleteKey, { userId: user })).toEqual({ deleted: true });
      expect(await ask(QUERIES.deleteKey, { userId: user })).toEqual({ deleted: false });
      expect((await ask(QUERIES.userProfile, { userId: user })).key).toEqual({ state: 'none' });
      expect(await a.sql('SELECT id FROM limitless_keys WHERE user_id = $1', [user])).toEqual([]);
    });

    it('refuses a key for a user without a row and a key that is not base64', async () => {
      await expectCode(ask(QUERIES.saveKey, { userId: userId(), encryptedKey: ENCRYPTED_KEY }), QUERY_ERROR_CODES.notFound);
      const user = await a.newUser();
      expect(await raw(QUERIES.saveKey, { userId: user, encryptedKey: 'lmtls plain key' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      expect(await a.sql('SELECT id FROM limitless_keys WHERE user_id = $1', [user])).toEqual([]);
    });
  });

  describe('days', () => {
    it('groups by the local day: a laugh at 23:30 in New York (already the next day in UTC) is on its local day', async () => {
      const user = await a.newUser({ timezone: 'America/New_York' });
      const windowStart = Date.UTC(2024, 2, 2, 4, 0); // 2024-03-01 23:00 in New York (UTC−5)
      const laughAt = Date.UTC(2024, 2, 2, 4, 30); // 23:30 local, 04:30 UTC on 03-02
      await storeWindow(user, '2024-03-01', windowStart, [event(laughAt, { clipObject: undefined })]);

      const page = await ask(QUERIES.daysPage, { userId: user });
      expect(page.timezone).toBe('America/New_York');
      expect(page.days.map((d) => [d.localDate, d.laughCount])).toEqual([['2024-03-01', 1]]);
      expect((await dayLaughs(user, '2024-03-01')).laughs.map((l) => [l.localDate, l.startMs])).toEqual([['2024-03-01', laughAt]]);
      expect((await dayLaughs(user, '2024-03-02')).total).toBe(0);
      const trends = await ask(QUERIES.trends, { userId: user, from: '2024-03-01', to: '2024-03-02' });
      expect(trends.days.map((d) => d.laughs)).toEqual([1, 0]);
      expect(trends.byHour[23]).toBe(1);
      expect(trends.byHour[4]).toBe(0);
    });

    it('pages newest first, counts audio, and says the state of each day in words', async () => {
      const user = await a.newUser();
      // 03-01: processed with 2 laughs + an empty window; 03-02: a gap beside a processed window;
      // 03-03: only empty windows; 03-04: a job still running. Each finished day's job planned its windows.
      for (const [localDate, windowsPlanned] of [['2024-03-01', 2], ['2024-03-02', 2], ['2024-03-03', 1]] as const) {
        await a.results.recordJobProgress(jobProgress(user, { jobId: `job-${localDate}`, localDate, windowsPlanned }));
      }
      await storeWindow(user, '2024-03-01', BERLIN_DAY_START, [event(BERLIN_DAY_START + 60_000), event(BERLIN_DAY_START + 600_000)]);
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'job-2024-03-01', windowStartMs: BERLIN_DAY_START + 2 * HOUR }));
      await storeWindow(user, '2024-03-02', BERLIN_DAY_START + DAY, []);
      await a.results.recordWindowOutcome(
        windowOutcome(user, { jobId: 'job-2024-03-02', localDate: '2024-03-02', windowStartMs: BERLIN_DAY_START + DAY + 2 * HOUR, status: 'gap', error: { code: 'http_503', message: 'Limitless 503' } }),
      );
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'job-2024-03-03', localDate: '2024-03-03', windowStartMs: BERLIN_DAY_START + 2 * DAY }));
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'job-2024-03-04', localDate: '2024-03-04', status: 'planned', windowsPlanned: 12 }));

      const first = await ask(QUERIES.daysPage, { userId: user, limit: 2 });
      expect(first.days.map((d) => d.localDate)).toEqual(['2024-03-04', '2024-03-03']);
      expect(first.nextBefore).toBe('2024-03-03');
      const second = await ask(QUERIES.daysPage, { userId: user, limit: 2, before: first.nextBefore });
      expect(second.days.map((d) => d.localDate)).toEqual(['2024-03-02', '2024-03-01']);
      // The last page: nothing older, so no nextBefore (one row more than the page is read to know).
      expect(second.nextBefore).toBeUndefined();
      expect(await ask(QUERIES.daysPage, { userId: user, before: '2024-03-01' })).toEqual({ timezone: 'Europe/Berlin', days: [] });

      const [running, empty] = first.days;
      const [partial, done] = second.days;
      expect(running).toMatchObject({ state: 'processing', jobsInFlight: 1, stateMessage: 'Processing: 0 of 12 windows done' });
      expect(empty).toMatchObject({ state: 'no_audio', audioSeconds: 0, windowsEmpty: 1, stateMessage: 'No audio was recorded this day.' });
      expect(partial).toMatchObject({ state: 'partial', windowsGap: 1, windowsProcessed: 1, stateMessage: '1 of 2 windows could not be downloaded; it will be retried.' });
      expect(done).toMatchObject({
        state: 'done',
        laughCount: 2,
        laughSeconds: 3,
        meanProbability: 0.91,
        audioSeconds: 7_000,
        windowsProcessed: 1,
        windowsEmpty: 1,
        rejectedCount: 0,
        jobsInFlight: 0,
        stateMessage: 'Done: 1 h 57 min of audio, 2 laughs.',
      });

      const day = await ask(QUERIES.day, { userId: user, localDate: '2024-03-01' });
      expect(day.summary).toEqual(done);
      expect(day.windows).toEqual([
        { startMs: BERLIN_DAY_START, endMs: BERLIN_DAY_START + 2 * HOUR, status: 'processed', audioSeconds: 7_000 },
        { startMs: BERLIN_DAY_START + 2 * HOUR, endMs: BERLIN_DAY_START + 4 * HOUR, status: 'empty', audioSeconds: 0 },
      ]);
      await expectCode(ask(QUERIES.day, { userId: user, localDate: '2024-02-28' }), QUERY_ERROR_CODES.notFound);
      expect(await raw(QUERIES.daysPage, { userId: user, limit: 101 })).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('limit must not be greater than 100') } });
      expect(await raw(QUERIES.day, { userId: user, localDate: '2024-02-30' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    });

    it('shows the original app\'s rows: no end, no class, a window with a date only', async () => {
      const user = await a.newUser({ timezone: 'America/Los_Angeles' });
      const [segment] = await a.sql<{ id: string }>(
        `INSERT INTO audio_segments (user_id, date, start_time, end_time, file_path, processed)
         VALUES ($1, '2025-11-03', '2025-11-03T08:00:00Z', '2025-11-03T10:00:00Z', 'enc:/audio/1.ogg', true) RETURNING id`,
        [user],
      );
      await a.sql(
        `INSERT INTO laughter_detections (user_id, audio_segment_id, "timestamp", probability, clip_path, notes)
         VALUES ($1, $2, '2025-11-03T08:15:00Z', 0.8123, NULL, 'first laugh'), ($1, $2, '2025-11-03T09:00:00Z', 0.65, NULL, NULL)`,
        [user, segment.id],
      );
      const [day] = (await ask(QUERIES.daysPage, { userId: user })).days;
      expect(day).toMatchObject({ localDate: '2025-11-03', laughCount: 2, laughSeconds: 0, audioSeconds: 7_200, windowsProcessed: 1, state: 'done' });
      const laughs = (await dayLaughs(user, '2025-11-03')).laughs;
      expect(laughs).toEqual([
        {
          id: expect.any(String),
          localDate: '2025-11-03',
          startMs: Date.parse('2025-11-03T08:15:00Z'),
          endMs: Date.parse('2025-11-03T08:15:00Z'),
          peakMs: Date.parse('2025-11-03T08:15:00Z'),
          durationS: 0,
          probability: 0.8123,
          className: 'Laughter',
          notes: 'first laugh',
          hasClip: false,
        },
        expect.objectContaining({ probability: 0.65, className: 'Laughter', hasClip: false }),
      ]);
      expect((await ask(QUERIES.exportLaughs, { userId: user })).laughs).toEqual(laughs);
    });
  });

  describe('laughs', () => {
    let owner: string;
    let stranger: string;
    let laughs: Laugh[];

    beforeAll(async () => {
      owner = await a.newUser();
      stranger = await a.newUser();
      const start = BERLIN_DAY_START + 8 * HOUR;
      await storeWindow(owner, '2024-03-01', start, [
        event(start + 60_000, { probability: 0.55 }),
        event(start + 120_000, { probability: 0.75 }),
        event(start + 180_000, { probability: 0.95 }),
        event(start + 240_000, { probability: 0.85 }),
      ]);
      laughs = (await dayLaughs(owner, '2024-03-01')).laughs;
    });

    it('a day\'s laughs in time order, filtered by probability and paged, with the filtered total', async () => {
      expect(laughs.map((l) => l.probability)).toEqual([0.55, 0.75, 0.95, 0.85]);
      expect(laughs[0]).toMatchObject({ localDate: '2024-03-01', durationS: 1.5, classId: 13, className: 'Laughter', meanProbability: 0.74, hasClip: true });
      const filtered = await dayLaughs(owner, '2024-03-01', { minProbability: 0.8 });
      expect(filtered.total).toBe(2);
      expect(filtered.laughs.map((l) => l.probability)).toEqual([0.95, 0.85]);
      const page = await dayLaughs(owner, '2024-03-01', { offset: 1, limit: 2 });
      expect(page).toMatchObject({ localDate: '2024-03-01', timezone: 'Europe/Berlin', total: 4 });
      expect(page.laughs.map((l) => l.id)).toEqual([laughs[1].id, laughs[2].id]);
      expect((await dayLaughs(owner, '2024-03-01', { offset: 10 })).laughs).toEqual([]);
      expect((await dayLaughs(stranger, '2024-03-01')).total).toBe(0);
      for (const bad of [{ limit: 0 }, { limit: 201 }, { offset: -1 }, { minProbability: 1.5 }]) {
        expect(await raw(QUERIES.dayLaughs, { userId: owner, localDate: '2024-03-01', ...bad })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      }
    });

    it('notes are stored as the plain text given, length-limited; another user gets not_found', async () => {
      const hostile = `<img src=x onerror="alert(1)"> '); DROP TABLE laughter_detections; -- ${'😂'.repeat(3)}`;
      const updated = await ask(QUERIES.updateLaugh, { userId: owner, laughId: laughs[0].id, notes: hostile });
      expect(updated.laugh).toEqual({ ...laughs[0], notes: hostile });
      expect((await dayLaughs(owner, '2024-03-01')).laughs[0].notes).toBe(hostile);

      const tooLong = await raw(QUERIES.updateLaugh, { userId: owner, laughId: laughs[0].id, notes: 'x'.repeat(NOTES_MAX_LENGTH + 1) });
      expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('notes must be shorter') } });
      await expectCode(ask(QUERIES.updateLaugh, { userId: stranger, laughId: laughs[0].id, notes: 'mine now' }), QUERY_ERROR_CODES.notFound);
      await expectCode(ask(QUERIES.updateLaugh, { userId: owner, laughId: userId(), notes: 'x' }), QUERY_ERROR_CODES.notFound);
      expect((await dayLaughs(owner, '2024-03-01')).laughs[0].notes).toBe(hostile);

      expect((await ask(QUERIES.updateLaugh, { userId: owner, laughId: laughs[0].id, notes: null })).laugh.notes).toBeUndefined();
    });

    it('"not a laugh" leaves every count and chart, is kept as a label with the scores, and can be undone', async () => {
      const target = laughs[3];
      const before = await summary(owner, '2024-03-01');
      const trendsBefore = await ask(QUERIES.trends, { userId: owner, from: '2024-03-01', to: '2024-03-01' });
      expect(before).toMatchObject({ laughCount: 4, rejectedCount: 0 });

      const marked = await ask(QUERIES.updateLaugh, { userId: owner, laughId: target.id, review: 'not_laugh' });
      expect(marked.laugh).toMatchObject({ id: target.id, review: 'not_laugh', reviewedAt: expect.any(String) });
      const after = await summary(owner, '2024-03-01');
      expect(after).toMatchObject({ laughCount: 3, rejectedCount: 1, laughSeconds: 4.5 });
      expect(after.meanProbability).toBeCloseTo((0.55 + 0.75 + 0.95) / 3, 6);
      const trendsAfter = await ask(QUERIES.trends, { userId: owner, from: '2024-03-01', to: '2024-03-01' });
      expect(trendsAfter.days[0].laughs).toBe(trendsBefore.days[0].laughs - 1);
      expect(trendsAfter.byHour.reduce((s, n) => s + n, 0)).toBe(3);
      // Still listed (marked), so it can be undone.
      expect((await dayLaughs(owner, '2024-03-01')).laughs[3].review).toBe('not_laugh');

      const [label] = await a.sql('SELECT label, probability::float8 AS probability, mean_probability::float8 AS mean, class_id, model_version, event_start FROM detection_reviews WHERE detection_id = $1', [target.id]);
      expect(label).toEqual({ label: 'not_laugh', probability: 0.85, mean: 0.74, class_id: 13, model_version: 'yamnet-int8-1', event_start: new Date(target.startMs) });

      await expectCode(ask(QUERIES.updateLaugh, { userId: stranger, laughId: target.id, review: null }), QUERY_ERROR_CODES.notFound);
      expect((await summary(owner, '2024-03-01')).rejectedCount).toBe(1);

      const undone = await ask(QUERIES.updateLaugh, { userId: owner, laughId: target.id, review: null });
      expect(undone.laugh.review).toBeUndefined();
      expect(await summary(owner, '2024-03-01')).toEqual(before);
      expect(await a.sql('SELECT id FROM detection_reviews WHERE detection_id = $1', [target.id])).toEqual([]);
      expect(await raw(QUERIES.updateLaugh, { userId: owner, laughId: target.id, review: 'funny' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      expect(await raw(QUERIES.updateLaugh, { userId: owner, laughId: target.id })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    });

    it('reads a clip by byte range with a strong ETag; never another user\'s', async () => {
      const id = laughs[1].id;
      const head = await ask(QUERIES.readClip, { userId: owner, laughId: id, length: 100 });
      expect(head).toMatchObject({ size: CLIP.length, offset: 0, contentType: 'audio/wav' });
      expect(head.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(Buffer.from(head.dataBase64, 'base64')).toEqual(CLIP.subarray(0, 100));

      const middle = await ask(QUERIES.readClip, { userId: owner, laughId: id, offset: 1000, length: 500 });
      expect(Buffer.from(middle.dataBase64, 'base64')).toEqual(CLIP.subarray(1000, 1500));
      expect(middle.etag).toBe(head.etag);
      const tail = await ask(QUERIES.readClip, { userId: owner, laughId: id, offset: 2900 });
      expect(Buffer.from(tail.dataBase64, 'base64')).toEqual(CLIP.subarray(2900));
      const whole = await ask(QUERIES.readClip, { userId: owner, laughId: id });
      expect(Buffer.from(whole.dataBase64, 'base64')).toEqual(CLIP);

      await expect(ask(QUERIES.readClip, { userId: owner, laughId: id, offset: CLIP.length })).rejects.toMatchObject({
        code: QUERY_ERROR_CODES.rangeNotSatisfiable,
        message: `offset ${CLIP.length} is past the end of the clip of ${CLIP.length} bytes`,
      });
      expect(await raw(QUERIES.readClip, { userId: owner, laughId: id, length: CLIP_CHUNK_MAX + 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      await expectCode(ask(QUERIES.readClip, { userId: stranger, laughId: id }), QUERY_ERROR_CODES.notFound);
      await expectCode(ask(QUERIES.readClip, { userId: owner, laughId: userId() }), QUERY_ERROR_CODES.notFound);

      // A clip file that went missing is not_found too, never an internal error.
      const [row] = await a.sql<{ clip_path: string }>('SELECT clip_path FROM laughter_detections WHERE id = $1', [laughs[2].id]);
      await a.clipStore.delete(row.clip_path);
      await expectCode(ask(QUERIES.readClip, { userId: owner, laughId: laughs[2].id }), QUERY_ERROR_CODES.notFound);
      await a.clipStore.put(row.clip_path, CLIP);
    });

    it('deleting a laugh tombstones it and removes its clip file; a reprocess cannot bring it back', async () => {
      const target = laughs[0];
      const [row] = await a.sql<{ clip_path: string }>('SELECT clip_path FROM laughter_detections WHERE id = $1', [target.id]);
      await expectCode(ask(QUERIES.deleteLaugh, { userId: stranger, laughId: target.id }), QUERY_ERROR_CODES.notFound);
      expect(await a.clipStore.exists(row.clip_path)).toBe(true);

      expect(await ask(QUERIES.deleteLaugh, { userId: owner, laughId: target.id })).toEqual({ deleted: true, clipRemoved: true });
      expect(await a.clipStore.exists(row.clip_path)).toBe(false);
      expect((await dayLaughs(owner, '2024-03-01')).laughs.map((l) => l.id)).not.toContain(target.id);
      await expectCode(ask(QUERIES.readClip, { userId: owner, laughId: target.id }), QUERY_ERROR_CODES.notFound);
      await expectCode(ask(QUERIES.deleteLaugh, { userId: owner, laughId: target.id }), QUERY_ERROR_CODES.notFound);

      // The same window arrives again (a reprocess): the deleted laugh stays deleted.
      await storeWindow(owner, '2024-03-01', BERLIN_DAY_START + 8 * HOUR, [event(target.startMs, { probability: 0.55 })], 'job-again');
      expect((await dayLaughs(owner, '2024-03-01')).total).toBe(3);
    });
  });

  describe('review labels', () => {
    it('outlive a reprocess: the re-detected laugh comes back still marked, and deleting it keeps the label', async () => {
      const user = await a.newUser();
      const start = BERLIN_DAY_START + 8 * HOUR;
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'job-2024-03-01', windowsPlanned: 1 }));
      await storeWindow(user, '2024-03-01', start, [event(start + 60_000, { clipObject: undefined }), event(start + 120_000, { clipObject: undefined })]);
      const [first] = (await dayLaughs(user, '2024-03-01')).laughs;
      await ask(QUERIES.updateLaugh, { userId: user, laughId: first.id, review: 'not_laugh' });

      // Reprocess: the day is cleared (the label is detached, not lost), then found again.
      await ask(QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-01' });
      expect(await a.sql('SELECT detection_id FROM detection_reviews WHERE user_id = $1', [user])).toEqual([{ detection_id: null }]);
      await storeWindow(user, '2024-03-01', start, [event(start + 60_000, { clipObject: undefined }), event(start + 120_000, { clipObject: undefined })], 'job-reprocess');
      const again = (await dayLaughs(user, '2024-03-01')).laughs;
      expect(again.map((l) => [l.startMs, l.review])).toEqual([[first.startMs, 'not_laugh'], [first.startMs + 60_000, undefined]]);
      expect(again[0].id).not.toBe(first.id);
      expect(await summary(user, '2024-03-01')).toMatchObject({ laughCount: 1, rejectedCount: 1 });

      await ask(QUERIES.deleteLaugh, { userId: user, laughId: again[0].id });
      expect(await a.sql('SELECT label, detection_id FROM detection_reviews WHERE user_id = $1', [user])).toEqual([{ label: 'not_laugh', detection_id: again[0].id }]);
    });
  });

  describe('deleting a day', () => {
    it('tombstones the day\'s laughs and removes their clips; windows stay, other days and users untouched', async () => {
      const user = await a.newUser();
      const other = await a.newUser();
      for (const u of [user, other]) {
        await storeWindow(u, '2024-03-01', BERLIN_DAY_START, [event(BERLIN_DAY_START + 60_000), event(BERLIN_DAY_START + 90_000)]);
        await storeWindow(u, '2024-03-02', BERLIN_DAY_START + DAY, [event(BERLIN_DAY_START + DAY + 60_000)]);
      }
      expect(await ask(QUERIES.deleteDay, { userId: user, localDate: '2024-03-01' })).toEqual({ laughsDeleted: 2, clipsRemoved: 2 });
      expect(await a.clipStore.list(`${user}/2024-03-01`)).toEqual([]);
      expect(await a.clipStore.list(`${user}/2024-03-02`)).toHaveLength(1);
      expect(await a.clipStore.list(`${other}/2024-03-01`)).toHaveLength(2);
      expect(await summary(user, '2024-03-01')).toMatchObject({ laughCount: 0, windowsProcessed: 1, audioSeconds: 7_000 });
      expect((await summary(user, '2024-03-02')).laughCount).toBe(1);
      expect((await summary(other, '2024-03-01')).laughCount).toBe(2);
      expect(await ask(QUERIES.deleteDay, { userId: user, localDate: '2024-03-01' })).toEqual({ laughsDeleted: 0, clipsRemoved: 0 });
      expect(await ask(QUERIES.deleteDay, { userId: other, localDate: '2024-02-01' })).toEqual({ laughsDeleted: 0, clipsRemoved: 0 });
    });
  });

  describe('trends', () => {
    it('daily counts with zeros and a 7-day moving average, hours, best days and streaks — without rejected laughs', async () => {
      const user = await a.newUser();
      const at = (day: number, minute: number) => BERLIN_DAY_START + day * DAY + 8 * HOUR + minute * 60_000;
      const perDay: Array<[string, number, number]> = [
        ['2024-02-29', -1, 7], // the day before the range still counts toward the average
        ['2024-03-01', 0, 2],
        ['2024-03-02', 1, 1],
        ['2024-03-04', 3, 3],
      ];
      for (const [date, day, count] of perDay) {
        const windowStart = BERLIN_DAY_START + day * DAY + 8 * HOUR;
        await storeWindow(user, date, windowStart, Array.from({ length: count }, (_, i) => event(at(day, i * 5 + 1), { clipObject: undefined })));
      }
      const trends = await ask(QUERIES.trends, { userId: user, from: '2024-03-01', to: '2024-03-05' });
      expect(trends.timezone).toBe('Europe/Berlin');
      expect(trends.days.map((d) => [d.localDate, d.laughs])).toEqual([
        ['2024-03-01', 2],
        ['2024-03-02', 1],
        ['2024-03-03', 0],
        ['2024-03-04', 3],
        ['2024-03-05', 0],
      ]);
      const expectedAverage = [9 / 7, 10 / 7, 10 / 7, 13 / 7, 13 / 7];
      trends.days.forEach((d, i) => expect(d.movingAverage7).toBeCloseTo(expectedAverage[i], 3));
      expect(trends.days[0]).toMatchObject({ laughSeconds: 3, audioSeconds: 7_000 });
      expect(trends.days[2]).toMatchObject({ laughSeconds: 0, audioSeconds: 0 });
      expect(trends.byHour).toHaveLength(24);
      expect(trends.byHour[8]).toBe(6);
      expect(trends.byHour.reduce((s, n) => s + n, 0)).toBe(6);
      expect(trends.bestDays).toEqual([
        { localDate: '2024-03-04', laughs: 3 },
        { localDate: '2024-03-01', laughs: 2 },
        { localDate: '2024-03-02', laughs: 1 },
      ]);
      expect(trends).toMatchObject({ currentStreak: 1, longestStreak: 2 });

      // A rejected laugh leaves the chart.
      const [firstOfFourth] = (await dayLaughs(user, '2024-03-04')).laughs;
      await ask(QUERIES.updateLaugh, { userId: user, laughId: firstOfFourth.id, review: 'not_laugh' });
      const after = await ask(QUERIES.trends, { userId: user, from: '2024-03-01', to: '2024-03-05' });
      expect(after.days[3].laughs).toBe(2);
      expect(after.bestDays[0]).toEqual({ localDate: '2024-03-04', laughs: 2 });

      // Another user's trends are all zeros; over-long ranges are refused.
      const stranger = await a.newUser();
      const empty = await ask(QUERIES.trends, { userId: stranger, from: '2024-03-01', to: '2024-03-05' });
      expect(empty.days.every((d) => d.laughs === 0 && d.movingAverage7 === 0)).toBe(true);
      expect(empty).toMatchObject({ bestDays: [], currentStreak: 0, longestStreak: 0 });
      expect(await raw(QUERIES.trends, { userId: user, from: '2024-01-01', to: '2025-12-31' })).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('at most 400 days') } });
      await expectCode(ask(QUERIES.trends, { userId: userId(), from: '2024-03-01', to: '2024-03-05' }), QUERY_ERROR_CODES.notFound);
    });
  });

  describe('export', () => {
    it('pages through every live laugh in time order (rejected ones marked, deleted ones left out)', async () => {
      const user = await a.newUser();
      const starts = [0, 1, 2, 3, 4].map((i) => BERLIN_DAY_START + (i + 1) * 60_000);
      await storeWindow(user, '2024-03-01', BERLIN_DAY_START, starts.map((s) => event(s, { clipObject: undefined })));
      const all = (await dayLaughs(user, '2024-03-01')).laughs;
      await ask(QUERIES.deleteLaugh, { userId: user, laughId: all[2].id });
      await ask(QUERIES.updateLaugh, { userId: user, laughId: all[3].id, review: 'not_laugh', notes: 'a cough' });

      const seen: Laugh[] = [];
      let after: { startMs: number; id: string } | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await ask(QUERIES.exportLaughs, { userId: user, limit: 2, ...(after ? { after } : {}) });
        seen.push(...page.laughs);
        if (!page.next) break;
        after = page.next;
      }
      expect(seen.map((l) => l.startMs)).toEqual([starts[0], starts[1], starts[3], starts[4]]);
      expect(seen[2]).toMatchObject({ review: 'not_laugh', notes: 'a cough' });
      expect((await ask(QUERIES.exportLaughs, { userId: await a.newUser() })).laughs).toEqual([]);
      expect(await raw(QUERIES.exportLaughs, { userId: user, limit: 1001 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    });
  });

  describe('job progress', () => {
    it('tells the owner how far a job got and the laughs found so far; nobody else', async () => {
      const user = await a.newUser();
      const jobId = jid(user, 'job-progress');
      await request(a.nc, QUERIES.registerJob, {
        jobId, userId: user, localDate: '2024-03-01', timezone: 'Europe/Berlin', trigger: 'today', startMs: BERLIN_DAY_START, endMs: BERLIN_DAY_START + DAY,
      });
      expect(await ask(QUERIES.jobProgress, { userId: user, jobId })).toMatchObject({ jobId, localDate: '2024-03-01', trigger: 'today', status: 'planned', windowsPlanned: 0, windowsDone: 0, laughsFound: 0 });
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'job-progress', trigger: 'today', windowsPlanned: 3 }));
      await a.results.recordSegmentResult(segmentResult(user, { jobId: 'job-progress', trigger: 'today', events: [event(BERLIN_DAY_START + 60_000, { clipObject: undefined }), event(BERLIN_DAY_START + 90_000, { clipObject: undefined })] }));
      const progress = await ask(QUERIES.jobProgress, { userId: user, jobId });
      expect(progress).toMatchObject({ status: 'running', windowsPlanned: 3, windowsDone: 1, laughsFound: 2 });
      expect(Date.parse(progress.updatedAt)).toBeGreaterThan(Date.now() - 60_000);

      const stranger = await a.newUser();
      await expectCode(ask(QUERIES.jobProgress, { userId: stranger, jobId }), QUERY_ERROR_CODES.notFound);
      await expectCode(ask(QUERIES.jobProgress, { userId: user, jobId: 'day:nobody' }), QUERY_ERROR_CODES.notFound);
    });
  });

  describe('deleting all data', () => {
    it('removes every row and clip of one user; the other user keeps everything', async () => {
      const [gone, stays] = [await a.newUser(), await a.newUser()];
      for (const u of [gone, stays]) {
        await ask(QUERIES.saveKey, { userId: u, encryptedKey: ENCRYPTED_KEY });
        await a.results.recordJobProgress(jobProgress(u, { jobId: 'job-2024-03-01', windowsPlanned: 2 }));
        await storeWindow(u, '2024-03-01', BERLIN_DAY_START, [event(BERLIN_DAY_START + 60_000), event(BERLIN_DAY_START + 90_000)]);
        await a.results.recordWindowOutcome(windowOutcome(u, { jobId: 'job-2024-03-01' }));
        const [first] = (await dayLaughs(u, '2024-03-01')).laughs;
        await ask(QUERIES.updateLaugh, { userId: u, laughId: first.id, review: 'not_laugh' });
      }
      // A stray file in the user's folder (no row points at it) goes too.
      await a.clipStore.put(`${gone}/2024-03-09/stray.wav`, CLIP);

      const counts = async (u: string) =>
        (
          await a.sql(
            `SELECT (SELECT count(*)::int FROM laughter_detections WHERE user_id = $1) AS detections,
                    (SELECT count(*)::int FROM detection_reviews WHERE user_id = $1) AS reviews,
                    (SELECT count(*)::int FROM audio_segments WHERE user_id = $1) AS segments,
                    (SELECT count(*)::int FROM processing_logs WHERE user_id = $1) AS logs,
                    (SELECT count(*)::int FROM jobs WHERE user_id = $1) AS jobs,
                    (SELECT count(*)::int FROM limitless_keys WHERE user_id = $1) AS keys,
                    (SELECT count(*)::int FROM users WHERE id = $1) AS users`,
            [u],
          )
        )[0];
      const before = await counts(stays);
      const staysClips = await a.clipStore.list(`${stays}/`);
      expect(staysClips).toHaveLength(2);

      expect(await ask(QUERIES.deleteUserData, { userId: gone })).toEqual({ detections: 2, clips: 3, segments: 2, logs: 1, jobs: 1, keys: 1, userRemoved: true });
      expect(await counts(gone)).toEqual({ detections: 0, reviews: 0, segments: 0, logs: 0, jobs: 0, keys: 0, users: 0 });
      expect(await a.clipStore.list(`${gone}/`)).toEqual([]);

      expect(await counts(stays)).toEqual(before);
      expect(before).toMatchObject({ detections: 2, reviews: 1, segments: 2, users: 1 });
      expect(await a.clipStore.list(`${stays}/`)).toEqual(staysClips);
      expect((await summary(stays, '2024-03-01')).laughCount).toBe(1);

      await expectCode(ask(QUERIES.userProfile, { userId: gone }), QUERY_ERROR_CODES.notFound);
      expect(await ask(QUERIES.deleteUserData, { userId: gone })).toEqual({ detections: 0, clips: 0, segments: 0, logs: 0, jobs: 0, keys: 0, userRemoved: false });
    });
  });

  it('answers invalid requests of every gateway query with invalid_request', async () => {
    const gatewaySubjects = [
      QUERIES.ensureUser, QUERIES.userProfile, QUERIES.updateSettings, QUERIES.saveKey, QUERIES.deleteKey, QUERIES.deleteUserData,
      QUERIES.daysPage, QUERIES.day, QUERIES.deleteDay, QUERIES.dayLaughs, QUERIES.updateLaugh, QUERIES.deleteLaugh,
      QUERIES.exportLaughs, QUERIES.readClip, QUERIES.trends, QUERIES.jobProgress,
    ];
    for (const subject of gatewaySubjects) {
      const reply = await raw(subject, { userId: 'not-a-uuid' });
      expect(reply, subject).toMatchObject({ ok: false, error: { code: QUERY_ERROR_CODES.invalidRequest } });
    }
  });
});
