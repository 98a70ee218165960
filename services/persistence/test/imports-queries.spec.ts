/**
 * Imported recordings (migrations/0013) over NATS against the running app: recording an import by
 * sha256 (duplicates, refusals and retries), its state derived from its day jobs and segments,
 * laughs per local day for a recording that crosses midnight, overlapping imports counting a laugh
 * once, and one user never seeing another's imports.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_QUERIES, QUERIES, type ImportBeginRequest } from '@giggles/contracts';
import { request } from '@giggles/messaging';
import { startApp, type RunningApp } from './support/app';
import { event, HOUR, jobProgress, segmentResult } from './support/fixtures';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
// 2024-03-01 23:30 Berlin (22:30Z) → 2024-03-02 00:30 Berlin: crosses local midnight (23:00Z).
const START = Date.UTC(2024, 2, 1, 22, 30);
const MIDNIGHT = Date.UTC(2024, 2, 1, 23);
const END = START + HOUR;

function begin(user: string, overrides: Partial<ImportBeginRequest> = {}): ImportBeginRequest {
  return {
    userId: user,
    fileName: '20240301_233000.wav',
    sha256: sha(`${user}-file`),
    bytes: 1_000,
    source: 'cli',
    placedBy: 'name',
    startMs: START,
    endMs: END,
    timezone: 'Europe/Berlin',
    days: ['2024-03-01', '2024-03-02'],
    ...overrides,
  };
}

describe('import queries', () => {
  let a: RunningApp;

  beforeAll(async () => {
    a = await startApp();
  });
  afterAll(() => a?.stop());

  /** The pipeline's writes for one day's part, as ingestion/inference would send them. */
  async function processPart(user: string, importId: string, localDate: string, from: number, to: number, events: number[], failed = false) {
    // The fixtures scope job ids to the user; an import's part has its own id (0013 import_job_id).
    const jobId = `import-${importId}-${localDate}`;
    await a.results.recordJobProgress({ ...jobProgress(user, { localDate, trigger: 'import', windowsPlanned: 1 }), jobId });
    await a.results.recordSegmentResult({
      ...segmentResult(user, {
        localDate,
        trigger: 'import',
        windowStartMs: from,
        windowEndMs: to,
        events: events.map((ms) => event(ms, { clipObject: undefined, clipStartMs: undefined, clipEndMs: undefined })),
        ...(failed ? { status: 'failed', events: [], error: { code: 'CORRUPT', message: 'sample rate 4000000000 Hz is above 384000' } } : {}),
      }),
      jobId,
    });
  }

  it('records an import, refuses the same file twice, and derives done with laughs per local day', async () => {
    const user = await a.newUser();
    const first = await request(a.nc, QUERIES.importBegin, begin(user));
    expect(first.duplicate).toBe(false);
    expect(first.import).toMatchObject({ state: 'processing', laughs: 0, days: [{ localDate: '2024-03-01', laughs: 0 }, { localDate: '2024-03-02', laughs: 0 }] });

    const again = await request(a.nc, QUERIES.importBegin, begin(user, { fileName: 'renamed copy.wav' }));
    expect(again).toMatchObject({ duplicate: true, import: { importId: first.import.importId, fileName: '20240301_233000.wav' } });

    const id = first.import.importId;
    await processPart(user, id, '2024-03-01', START, MIDNIGHT, [START + 60_000]);
    let [record] = (await request(a.nc, QUERIES.importsList, { userId: user, limit: 10, importId: id })).imports;
    expect(record.state).toBe('processing'); // one day's part still to come
    await processPart(user, id, '2024-03-02', MIDNIGHT, END, [MIDNIGHT + 60_000, MIDNIGHT + 120_000]);
    [record] = (await request(a.nc, QUERIES.importsList, { userId: user, limit: 10, importId: id })).imports;
    expect(record).toMatchObject({
      state: 'done',
      laughs: 3,
      days: [{ localDate: '2024-03-01', laughs: 1 }, { localDate: '2024-03-02', laughs: 2 }],
      startMs: START,
      endMs: END,
    });
    // The day views see them too (user_laughs by the segment's local day).
    const day1 = await request(a.nc, QUERIES.dayLaughs, { userId: user, localDate: '2024-03-01', minProbability: 0, offset: 0, limit: 50 });
    const day2 = await request(a.nc, QUERIES.dayLaughs, { userId: user, localDate: '2024-03-02', minProbability: 0, offset: 0, limit: 50 });
    expect([day1.total, day2.total]).toEqual([1, 2]);
  });

  it('an overlapping second import counts no laugh twice', async () => {
    const user = await a.newUser();
    const one = (await request(a.nc, QUERIES.importBegin, begin(user, { startMs: START, endMs: MIDNIGHT, days: ['2024-03-01'] }))).import;
    await processPart(user, one.importId, '2024-03-01', START, MIDNIGHT, [START + 60_000]);
    // Another file over the same half hour, shifted by 10 s: the same laugh is heard 10 s "later".
    const two = (await request(a.nc, QUERIES.importBegin, begin(user, { sha256: sha(`${user}-other`), startMs: START + 500, endMs: MIDNIGHT, days: ['2024-03-01'] }))).import;
    await processPart(user, two.importId, '2024-03-01', START + 500, MIDNIGHT, [START + 60_500]);
    const day = await request(a.nc, QUERIES.dayLaughs, { userId: user, localDate: '2024-03-01', minProbability: 0, offset: 0, limit: 50 });
    expect(day.total).toBe(1);
    const [log] = await a.sql<{ duplicates_skipped: number }>(`SELECT duplicates_skipped FROM processing_logs WHERE user_id = $1 AND trigger = 'import'`, [user]);
    expect(log.duplicates_skipped).toBe(1);
  });

  it('a refused file is kept with its reason, may be imported again, and a failed part fails the import', async () => {
    const user = await a.newUser();
    const refused = await request(a.nc, QUERIES.importBegin, {
      userId: user, fileName: 'memo.m4a', sha256: sha(`${user}-memo`), bytes: 10, source: 'upload',
      error: { code: 'CANNOT_PLACE', message: 'cannot place this file: give --start' },
    });
    expect(refused.import).toMatchObject({ state: 'rejected', days: [], laughs: 0, error: { code: 'CANNOT_PLACE' } });
    const retried = await request(a.nc, QUERIES.importBegin, begin(user, { fileName: 'memo.m4a', sha256: sha(`${user}-memo`), startMs: START, endMs: MIDNIGHT, days: ['2024-03-01'] }));
    expect(retried.duplicate).toBe(false);
    expect(retried.import.state).toBe('processing');
    await processPart(user, retried.import.importId, '2024-03-01', START, MIDNIGHT, [], true);
    const list = (await request(a.nc, QUERIES.importsList, { userId: user, limit: 10 })).imports;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: 'failed', error: { code: 'CORRUPT' } });
    // A failed import is no duplicate: the same file may be imported again (migration 0017).
    const again = await request(a.nc, QUERIES.importBegin, begin(user, { fileName: 'memo.m4a', sha256: sha(`${user}-memo`), startMs: START, endMs: MIDNIGHT, days: ['2024-03-01'] }));
    expect(again.duplicate).toBe(false);
    expect(again.import.importId).not.toBe(retried.import.importId);
    expect(again.import.state).toBe('processing');
  });

  it('the reconciliation marks an import whose processing was lost failed (IMPORT_INTERRUPTED); it may be imported again', async () => {
    const user = await a.newUser();
    const lost = await request(a.nc, QUERIES.importBegin, begin(user, { sha256: sha(`${user}-lost`) }));
    const fresh = await request(a.nc, QUERIES.importBegin, begin(user, { sha256: sha(`${user}-fresh`) }));
    const slow = await request(a.nc, QUERIES.importBegin, begin(user, { sha256: sha(`${user}-slow`) }));
    // Ingestion died after recording `lost`: nothing moved for two hours. `slow` is as old, but
    // one of its day parts reported progress a minute ago.
    await a.sql('SET session_replication_role = replica');
    await a.sql("UPDATE imports SET updated_at = now() - interval '2 hours' WHERE id = ANY ($1::uuid[])", [[lost.import.importId, slow.import.importId]]);
    await a.sql('SET session_replication_role = origin');
    await a.results.recordJobProgress({ ...jobProgress(user, { localDate: '2024-03-01', trigger: 'import', windowsPlanned: 1 }), jobId: `import-${slow.import.importId}-2024-03-01` });
    // `queued` waits behind a backlog: its day part is in flight but has not moved for two hours
    // either. Queued work is the stuck-job sweep's (120 min here, not yet due), never "interrupted".
    const queued = await request(a.nc, QUERIES.importBegin, begin(user, { sha256: sha(`${user}-queued`) }));
    const queuedJob = `import-${queued.import.importId}-2024-03-01`;
    await a.results.recordJobProgress({ ...jobProgress(user, { localDate: '2024-03-01', trigger: 'import', windowsPlanned: 1 }), jobId: queuedJob });
    await a.sql('SET session_replication_role = replica');
    await a.sql("UPDATE imports SET updated_at = now() - interval '2 hours' WHERE id = $1", [queued.import.importId]);
    await a.sql("UPDATE jobs SET updated_at = now() - interval '100 minutes' WHERE job_id = $1", [queuedJob]);
    await a.sql('SET session_replication_role = origin');
    expect((await a.sql<{ status: string }>('SELECT status FROM jobs WHERE job_id = $1', [queuedJob]))[0]?.status).toMatch(/^(planned|running)$/);

    const settings = { nowMs: Date.now(), retention: {}, stuckJobMinutes: 120, staleAudioMinutes: 10_000, maxDeletions: 1000, maxClipShare: 0.5, lostImportMinutes: 30 };
    const dry = await request(a.nc, QUERIES.reconcile, { ...settings, dryRun: true });
    expect(dry.repaired.interruptedImports).toBe(1);
    const run = await request(a.nc, QUERIES.reconcile, settings);
    expect(run.repaired.interruptedImports).toBe(1);

    const byId = async (id: string) => (await request(a.nc, QUERIES.importsList, { userId: user, limit: 1, importId: id })).imports[0];
    expect(await byId(lost.import.importId)).toMatchObject({ state: 'failed', error: { code: 'IMPORT_INTERRUPTED', message: expect.stringMatching(/interrupted.*again/) } });
    expect((await byId(fresh.import.importId)).state).toBe('processing');
    expect((await byId(slow.import.importId)).state).toBe('processing');
    expect((await byId(queued.import.importId)).state).toBe('processing');
    // Nothing more to mark on the next run; the same file goes in again.
    expect((await request(a.nc, QUERIES.reconcile, settings)).repaired.interruptedImports).toBe(0);
    const again = await request(a.nc, QUERIES.importBegin, begin(user, { sha256: sha(`${user}-lost`) }));
    expect(again).toMatchObject({ duplicate: false, import: { state: 'processing' } });
    // Bounds at the contract: 5 minutes to a week.
    await expect(request(a.nc, QUERIES.reconcile, { ...settings, lostImportMinutes: 4 })).rejects.toThrow(/lostImportMinutes/);
  });

  it('keeps users apart and cascades with "delete all my data"', async () => {
    const owner = await a.newUser();
    const other = await a.newUser();
    const mine = (await request(a.nc, QUERIES.importBegin, begin(owner))).import;
    expect((await request(a.nc, QUERIES.importsList, { userId: other, limit: 10, importId: mine.importId })).imports).toEqual([]);
    // The same bytes from another user are that user's own import, not a duplicate.
    expect((await request(a.nc, QUERIES.importBegin, begin(other, { sha256: mine.sha256 }))).duplicate).toBe(false);
    await request(a.nc, QUERIES.deleteUserData, { userId: owner });
    expect(await a.sql(`SELECT 1 FROM imports WHERE user_id = $1`, [owner])).toEqual([]);
  });

  it('the scheduler plans no downloads for a user with imports and no key; an import never covers a keyed user\'s night', async () => {
    const keyless = await a.newUser();
    const imported = (await request(a.nc, QUERIES.importBegin, begin(keyless, { startMs: START, endMs: MIDNIGHT, days: ['2024-03-01'] }))).import;
    await processPart(keyless, imported.importId, '2024-03-01', START, MIDNIGHT, [START + 60_000]);
    // The nightly tick and the backfill plan both start from the users with an active key.
    const active = await request(a.nc, QUERIES.usersWithActiveKeys, { userId: keyless });
    expect(active.users).toEqual([]);
    expect((await request(a.nc, HISTORY_QUERIES.backfillPlan, { limitPerUser: 10 })).users.find((u) => u.userId === keyless)).toBeUndefined();

    const keyed = await a.newUser();
    await a.sql(`INSERT INTO limitless_keys (user_id, encrypted_api_key, is_active, status) VALUES ($1, 'x', true, 'valid')`, [keyed]);
    const other = (await request(a.nc, QUERIES.importBegin, begin(keyed, { startMs: START, endMs: MIDNIGHT, days: ['2024-03-01'] }))).import;
    await processPart(keyed, other.importId, '2024-03-01', START, MIDNIGHT, []);
    const due = await request(a.nc, QUERIES.dueDays, { userId: keyed, from: '2024-03-01', to: '2024-03-01' });
    expect(due.days.map((d) => d.localDate)).toEqual(['2024-03-01']);
  });

  it('rejects hostile requests at the contract', async () => {
    const user = await a.newUser();
    await expect(request(a.nc, QUERIES.importBegin, { ...begin(user), sha256: 'not-a-hash' })).rejects.toThrow(/sha256/);
    await expect(request(a.nc, QUERIES.importBegin, { ...begin(user), fileName: 'x'.repeat(300) })).rejects.toThrow(/fileName/);
    await expect(request(a.nc, QUERIES.importsList, { userId: user, limit: 100_000 })).rejects.toThrow(/limit/);
  });
});
