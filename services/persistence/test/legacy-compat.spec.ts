/**
 * Pointing Giggles at a database the original Python app has been using: the migrations must
 * keep its data, repair its known faults, tighten its access rules, and leave it writable by
 * the new pipeline — and keys it encrypted must still decrypt.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../src/repositories/account.repository';
import { LaughsRepository } from '../src/repositories/laughs.repository';
import { UserDaysRepository } from '../src/repositories/user-days.repository';
import { toDaySummary } from '../src/services/day-state';
import { event, segmentResult } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

const LEGACY_USER = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const DAY_START = Date.parse('2025-11-03T08:00:00Z');
const HOUR = 3_600_000;

describe('migrating a database of the original Giggles', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      // The original's own auth schema stands in for Supabase's; no harness bootstrap.
      bootstrap: false,
      beforeMigrate: async (db) => {
        for (const file of ['original-giggles-schema.sql', 'original-giggles-data.sql']) {
          await db.query(await readFile(join(__dirname, 'fixtures', file), 'utf8'));
        }
      },
    });
  });
  afterAll(() => stack?.stop());

  it('keeps one row per window, moving detections off the duplicate', async () => {
    const segments = await stack.db.query(
      'SELECT id, status, processed, file_path FROM audio_segments ORDER BY start_time',
    );
    expect(segments).toEqual([
      { id: '00000000-0000-4000-8000-0000000000b1', status: 'processed', processed: true, file_path: 'enc:/audio/1.ogg' },
      { id: '00000000-0000-4000-8000-0000000000b3', status: 'failed', processed: false, file_path: 'enc:/audio/2.ogg' },
    ]);
    const detections = await stack.db.query(
      'SELECT id, audio_segment_id, notes, clip_path FROM laughter_detections ORDER BY "timestamp"',
    );
    expect(detections).toEqual([
      { id: '00000000-0000-4000-8000-0000000000c1', audio_segment_id: '00000000-0000-4000-8000-0000000000b1', notes: 'first laugh', clip_path: 'clips/1.wav' },
      { id: '00000000-0000-4000-8000-0000000000c3', audio_segment_id: '00000000-0000-4000-8000-0000000000b1', notes: null, clip_path: 'clips/2.wav' },
      { id: '00000000-0000-4000-8000-0000000000c4', audio_segment_id: '00000000-0000-4000-8000-0000000000b1', notes: null, clip_path: 'clips/3.wav' },
    ]);
  });

  it('keeps the newest of several active keys, and the original\'s ciphertext still decrypts', async () => {
    const keys = await stack.db.query('SELECT id, is_active, status FROM limitless_keys ORDER BY created_at');
    expect(keys).toEqual([
      { id: '00000000-0000-4000-8000-0000000000a1', is_active: false, status: 'valid' },
      { id: '00000000-0000-4000-8000-0000000000a2', is_active: true, status: 'valid' },
    ]);
    const stored = await stack.keys.getEncryptedKey(LEGACY_USER);
    expect(stored?.status).toBe('active');
    expect(stack.cipher.decrypt(stored!.encryptedKey, LEGACY_USER)).toBe('lmtls-example-key-not-real');
    expect(await stack.users.usersWithActiveKeys()).toEqual([
      { userId: LEGACY_USER, email: 'legacy@example.test', timezone: 'America/Los_Angeles' },
    ]);
  });

  it('keeps the processing log and serves the legacy day through the new queries', async () => {
    const [logRow] = await stack.jobs.dayLogs(LEGACY_USER, '2025-11-03');
    expect(logRow).toMatchObject({
      trigger: null,
      trigger_type: 'cron',
      status: 'completed',
      message: 'Processed 2 files',
      audio_files_downloaded: 2,
      laughter_events_found: 4,
      duplicates_skipped: 0,
    });
    expect(await stack.days.userDays(LEGACY_USER)).toEqual([
      { localDate: '2025-11-03', laughCount: 3, audioSeconds: 7200, windowsProcessed: 1, windowsEmpty: 0, windowsGap: 0, windowsFailed: 1 },
    ]);
    const day = await stack.detections.dayDetections(LEGACY_USER, '2025-11-03');
    expect(day.map((d) => [d.className, d.endMs - d.startMs, d.probability])).toEqual([
      ['Laughter', 0, 0.8123],
      ['Laughter', 0, 0.65],
      ['Laughter', 0, 0.9],
    ]);
    // Run by the original (completed log), but with a window it never finished.
    expect(await stack.days.dueDays(LEGACY_USER, '2025-11-02', '2025-11-03')).toEqual([
      { localDate: '2025-11-02', reason: 'unprocessed', retries: 0 },
      { localDate: '2025-11-03', reason: 'gaps', retries: 0 },
    ]);
    // A legacy completed day counts as covered in any time zone.
    expect(await stack.days.dueDays(LEGACY_USER, '2025-11-02', '2025-11-03', 'Asia/Tokyo')).toEqual([
      { localDate: '2025-11-02', reason: 'unprocessed', retries: 0 },
      { localDate: '2025-11-03', reason: 'gaps', retries: 0 },
    ]);
  });

  it('shows the original app\'s user and day through the gateway\'s queries (local day, no class, no end)', async () => {
    const service = stack.client(stack.harness.serviceRoleKey);
    const account = new AccountRepository(service);
    // Signing in with the same auth id keeps the row as the original app left it.
    expect(await account.ensureUser(LEGACY_USER, 'legacy@example.test', 'Europe/Berlin')).toMatchObject({
      userId: LEGACY_USER,
      email: 'legacy@example.test',
      timezone: 'America/Los_Angeles',
      created: false,
      key: { state: 'active' },
    });
    const [row] = await new UserDaysRepository(service).daySummaries(LEGACY_USER, { limit: 30 });
    expect(toDaySummary(row)).toMatchObject({
      localDate: '2025-11-03',
      laughCount: 3,
      laughSeconds: 0,
      audioSeconds: 7200,
      windowsProcessed: 1,
      windowsFailed: 1,
      state: 'partial',
      stateMessage: '1 of 2 windows could not be analysed; it will be retried.',
    });
    const page = await new LaughsRepository(service).dayLaughs(LEGACY_USER, '2025-11-03', { minProbability: 0, offset: 0, limit: 50 });
    expect(page.total).toBe(3);
    expect(page.laughs.map((l) => [l.className, l.classId, l.endMs - l.startMs, l.durationS, l.notes, l.hasClip])).toEqual([
      ['Laughter', 13, 0, 0, 'first laugh', true],
      ['Laughter', 13, 0, 0, undefined, true],
      ['Laughter', undefined, 0, 0, undefined, true],
    ]);
  });

  it('replaces the original\'s permissive access rules with Giggles\'s', async () => {
    const policies = await stack.db.query<{ policyname: string }>(
      "SELECT policyname FROM pg_policies WHERE schemaname = 'public' ORDER BY policyname",
    );
    expect(policies.every((p) => p.policyname.startsWith('giggles_'))).toBe(true);
    expect(
      await stack.db.query(
        `SELECT has_table_privilege('anon', 'public.laughter_detections', 'SELECT') AS anon_read,
                has_table_privilege('authenticated', 'public.audio_segments', 'INSERT') AS user_insert,
                to_regclass('public.duplicate_monitoring') AS view,
                to_regproc('public.prevent_duplicate_laughter') AS trigger_fn`,
      ),
    ).toEqual([{ anon_read: false, user_insert: false, view: null, trigger_fn: null }]);

    const asUser = await stack.userClient(LEGACY_USER);
    const { data } = await asUser.from('laughter_detections').select('id');
    expect(data).toHaveLength(3);
  });

  it('accepts new results: fills the unfinished window, stores two classes at one instant, skips known laughs', async () => {
    const window = DAY_START + 2 * HOUR;
    const known = Date.parse('2025-11-03T08:15:00Z');
    const write = await stack.results.recordSegmentResult(
      segmentResult(LEGACY_USER, {
        localDate: '2025-11-03',
        windowStartMs: window,
        events: [
          event(window + 60_000, { clipObject: undefined }),
          event(window + 60_000, { classId: 15, className: 'Giggle', clipObject: undefined }),
        ],
      }),
    );
    expect(write).toMatchObject({ applied: true, detectionsInserted: 2, duplicatesSkipped: 0 });
    expect(write.events.map((e) => e.clipPath)).toEqual([null, null]);

    const overlap = await stack.results.recordSegmentResult(
      segmentResult(LEGACY_USER, { localDate: '2025-11-03', windowStartMs: DAY_START, events: [event(known - 500)] }),
    );
    expect(overlap).toMatchObject({ detectionsInserted: 0, duplicatesSkipped: 1 });

    const [segment] = await stack.db.query(
      "SELECT id, status, file_path FROM audio_segments WHERE start_time = '2025-11-03T10:00:00Z'",
    );
    expect(segment).toEqual({ id: '00000000-0000-4000-8000-0000000000b3', status: 'processed', file_path: 'enc:/audio/2.ogg' });
    expect((await stack.days.userDays(LEGACY_USER))[0]).toMatchObject({ laughCount: 5, windowsProcessed: 2, windowsFailed: 0 });
  });
});
