/**
 * The reconciliation run over NATS against the running app, with planted damage: a clip file no
 * detection points at, a detection whose file is missing, an old audio object, a stuck job, and
 * rows past their retention. Dry run, a run stopped by a guard, then a full run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES, type ReconcileRequest } from '@giggles/contracts';
import { putObjectStream, request } from '@giggles/messaging';
import { CLIP_WRITE_GRACE_MS } from '../src/maintenance/reconcile-plan';
import { startApp, type RunningApp } from './support/app';
import { event, HOUR, jid, jobProgress, segmentResult } from './support/fixtures';

async function* oneChunk(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

describe('reconcile', () => {
  let a: RunningApp;

  beforeAll(async () => {
    a = await startApp();
  });
  afterAll(() => a?.stop());

  function summaries(): Array<Record<string, unknown>> {
    return a.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'reconciliation');
  }

  it('repairs and deletes what drifted, within its guards, and logs one line per run', async () => {
    const user = await a.newUser();
    // Recent laughs: two detections, only the first one's clip file exists.
    const recent = Math.floor((Date.now() - 5 * HOUR) / HOUR) * HOUR;
    const written = await a.results.recordSegmentResult(
      segmentResult(user, { localDate: '2030-01-01', windowStartMs: recent, events: [event(recent + 60_000), event(recent + 600_000)] }),
    );
    const [kept, lost] = written.events.map((e) => e.clipPath as string);
    await a.clipStore.put(kept, Buffer.from('RIFF'));
    // A clip file nobody refers to.
    const orphan = `${user}/2030-01-01/123-13.wav`;
    await a.clipStore.put(orphan, Buffer.from('RIFF'));
    // A laugh from 2020 (past detection retention) with its clip, and a 2020 log row of its own.
    const ancient = Date.UTC(2020, 0, 1, 10);
    const old = await a.results.recordSegmentResult(
      segmentResult(user, { jobId: 'old', localDate: '2020-01-01', windowStartMs: ancient, events: [event(ancient + 60_000)] }),
    );
    await a.clipStore.put(old.events[0].clipPath as string, Buffer.from('RIFF'));
    // A job stuck in flight for three hours (triggers off so updated_at keeps the planted value).
    await a.results.recordJobProgress(jobProgress(user, { jobId: 'stuck', localDate: '2030-01-02' }));
    await a.sql("SET session_replication_role = replica");
    await a.sql("UPDATE jobs SET updated_at = now() - interval '3 hours' WHERE job_id = $1", [jid(user, 'stuck')]);
    await a.sql("SET session_replication_role = origin");
    // An audio object ingestion left behind.
    await putObjectStream(a.audioBucket, 'audio-left-behind', oneChunk(Buffer.from('OggS')));

    const settings: ReconcileRequest = {
      // Past the clip-write grace, so the fresh rows count as settled.
      nowMs: Date.now() + CLIP_WRITE_GRACE_MS + 60_000,
      retention: { detectionsDays: 365, logsDays: 365 },
      stuckJobMinutes: 120,
      staleAudioMinutes: 10,
      maxDeletions: 100,
      // Two of the three clips go in this run (the orphan and the expired laugh's).
      maxClipShare: 0.7,
    };

    const dry = await request(a.nc, QUERIES.reconcile, { ...settings, dryRun: true });
    expect(dry).toMatchObject({
      scanned: { clips: 3, detections: 3, audioObjects: 1, jobs: 3 },
      deleted: { orphanClips: 1, expiredClips: 1, expiredDetections: 1, expiredLogs: 1, staleAudioObjects: 1 },
      repaired: { detectionsMissingClip: 1, stuckJobs: 1 },
      dryRun: true,
    });
    expect(dry.stoppedBy).toBeUndefined();
    expect((await a.clipStore.list(`${user}/`)).length).toBe(3);

    // No deletions allowed: the repairs still happen, the guard is named.
    const guarded = await request(a.nc, QUERIES.reconcile, { ...settings, maxDeletions: 0 });
    expect(guarded).toMatchObject({
      deleted: { orphanClips: 0, expiredClips: 0, expiredDetections: 0, expiredLogs: 0, staleAudioObjects: 0 },
      repaired: { detectionsMissingClip: 1, stuckJobs: 1 },
      stoppedBy: expect.stringMatching(/^maxDeletions/),
      dryRun: false,
    });
    const [stuck] = await a.sql<{ status: string; error: unknown }>('SELECT status, error FROM jobs WHERE job_id = $1', [jid(user, 'stuck')]);
    expect(stuck).toEqual({ status: 'failed', error: { code: 'stuck', message: expect.stringContaining('no progress') } });
    expect((await request(a.nc, QUERIES.dueDays, { userId: user, from: '2030-01-02', to: '2030-01-02' })).days).toMatchObject([
      { localDate: '2030-01-02', reason: 'unprocessed', retries: 1 },
    ]);
    const clipPaths = await a.sql<{ clip_path: string | null }>(
      'SELECT clip_path FROM laughter_detections WHERE user_id = $1 AND "timestamp" > $2 ORDER BY "timestamp"',
      [user, new Date(recent)],
    );
    expect(clipPaths).toEqual([{ clip_path: kept }, { clip_path: null }]);
    expect(lost).not.toBe(kept);

    const full = await request(a.nc, QUERIES.reconcile, settings);
    expect(full).toMatchObject({
      scanned: { clips: 3, detections: 2, audioObjects: 1, jobs: 2 },
      deleted: { orphanClips: 1, expiredClips: 1, expiredDetections: 1, expiredLogs: 1, staleAudioObjects: 1 },
      repaired: { detectionsMissingClip: 0, stuckJobs: 0 },
      dryRun: false,
    });
    expect(full.stoppedBy).toBeUndefined();
    expect(await a.clipStore.list(`${user}/`)).toEqual([kept]);
    expect((await a.audioBucket.store.info('audio-left-behind'))?.deleted ?? true).toBe(true);
    expect(await a.sql('SELECT id FROM laughter_detections WHERE user_id = $1 AND "timestamp" < $2', [user, new Date(ancient + DAY_AFTER)])).toEqual([]);
    expect(await a.jobs.dayLogs(user, '2020-01-01')).toEqual([]);

    // Nothing left to do; one summary line per run, with the reply's numbers.
    const idle = await request(a.nc, QUERIES.reconcile, settings);
    expect(idle.deleted).toEqual({ orphanClips: 0, expiredClips: 0, expiredDetections: 0, expiredLogs: 0, staleAudioObjects: 0 });
    const lines = summaries();
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatchObject({ level: 'info', deleted: full.deleted, repaired: full.repaired, scanned: full.scanned, durationMs: full.durationMs });
  });

  it('refuses to delete most clips at once (a wrongly mounted clip volume)', async () => {
    const stranger = 'a0000000-0000-4000-8000-000000000000';
    for (let i = 0; i < 6; i++) await a.clipStore.put(`${stranger}/2030-01-01/${i}-13.wav`, Buffer.from('RIFF'));
    const before = (await a.clipStore.list('')).length;
    const reply = await request(a.nc, QUERIES.reconcile, {
      nowMs: Date.now(),
      retention: {},
      stuckJobMinutes: 120,
      staleAudioMinutes: 10,
      maxDeletions: 1000,
      maxClipShare: 0.25,
    });
    const allowed = Math.floor(0.25 * before);
    expect(reply.deleted.orphanClips).toBe(allowed);
    expect(reply.stoppedBy).toMatch(/^maxClipShare/);
    expect((await a.clipStore.list('')).length).toBe(before - allowed);
  });
});

const DAY_AFTER = 24 * HOUR;
