/**
 * Migration 0016 on a database with history: a user who keeps audio gets an empty marker for each
 * window whose last outcome was 'empty' (dated by when it was recorded), so days processed before
 * the migration reprocess without Limitless too; kept audio keeps its row, other outcomes and
 * users who keep nothing get no marker.
 */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, runMigrations } from '../src/database/migration-runner';
import { createTestDatabase, type TestDatabase } from './support/database';

const KEEPS = '11111111-1111-4111-8111-111111111111';
const NOT = '22222222-2222-4222-8222-222222222222';

describe('migration 0016 (empty-window markers) on existing data', () => {
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('backfills markers from empty windows of users who keep audio', async () => {
    db = await createTestDatabase({ migrate: false });
    dir = await mkdtemp(join(tmpdir(), 'giggles-0016-'));
    const before = join(dir, 'before');
    await cp(MIGRATIONS_DIR, before, { recursive: true });
    for (const name of await readdir(before)) if (name >= '0016') await rm(join(before, name));
    await runMigrations({ connectionString: db.url, dir: before });

    await db.query("INSERT INTO public.users (id, email, audio_archive) VALUES ($1, 'keeps@example.com', true), ($2, 'not@example.com', false)", [KEEPS, NOT]);
    const segment = (user: string, from: string, to: string, status: string, last: string) =>
      db!.query("INSERT INTO public.audio_segments (user_id, date, start_time, end_time, status, processed, last_outcome) VALUES ($1, '2024-03-01', $2, $3, $4, false, $5)", [
        user,
        from,
        to,
        status,
        last,
      ]);
    await segment(KEEPS, '2024-03-01T00:00Z', '2024-03-01T02:00Z', 'empty', 'empty');
    await segment(KEEPS, '2024-03-01T02:00Z', '2024-03-01T04:00Z', 'processed', 'processed');
    // A 'today' run's short window and the whole-day run's full one of the same start: the full one.
    await segment(KEEPS, '2024-03-01T04:00Z', '2024-03-01T05:00Z', 'empty', 'empty');
    await segment(KEEPS, '2024-03-01T04:00Z', '2024-03-01T06:00Z', 'empty', 'empty');
    await segment(KEEPS, '2024-03-01T06:00Z', '2024-03-01T08:00Z', 'gap', 'gap');
    // Stayed empty (never downgraded) but its last outcome was a gap: its time is not the 404's.
    await segment(KEEPS, '2024-03-01T08:00Z', '2024-03-01T10:00Z', 'empty', 'gap');
    await segment(NOT, '2024-03-01T00:00Z', '2024-03-01T02:00Z', 'empty', 'empty');
    await db.query(
      "INSERT INTO public.audio_archive (user_id, local_date, window_start, window_end, bytes, sha256, path) VALUES ($1, '2024-03-01', '2024-03-01T02:00Z', '2024-03-01T04:00Z', 10, $2, $3)",
      [KEEPS, 'a'.repeat(64), `${KEEPS}/2024-03-01/x.ogg`],
    );

    expect((await runMigrations({ connectionString: db.url })).applied).toContain('0016_archive_empty_windows.sql');
    const rows = await db.query<{ user_id: string; start: string; end: string; empty: boolean; dated: boolean }>(
      "SELECT user_id, to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI') AS start, to_char(window_end AT TIME ZONE 'UTC', 'HH24:MI') AS end, empty, empty_at IS NOT NULL AS dated FROM public.audio_archive ORDER BY user_id, window_start",
    );
    expect(rows).toEqual([
      { user_id: KEEPS, start: '00:00', end: '02:00', empty: true, dated: true },
      { user_id: KEEPS, start: '02:00', end: '04:00', empty: false, dated: false },
      { user_id: KEEPS, start: '04:00', end: '06:00', empty: true, dated: true },
    ]);
  });
});
