/**
 * Empty-window markers in the audio archive (migration 0016; issue 10, "when the API is gone"),
 * against the running app over NATS with AUDIO_ARCHIVE=filesystem: an 'empty' window outcome (a
 * Limitless 404) of an opted-in user becomes a marker without a file; the day's archived windows
 * list it apart; sizes count it apart; restore/read know no file for it; kept audio is never
 * replaced by a marker (and audio replaces one); the reconciliation never sees it as an orphan
 * and removes it with retention; deleting a day or all data removes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, messageIds, QUERIES, QUERY_ERROR_CODES, STREAMS, SUBJECTS, type SegmentResult, type WindowOutcome } from '@giggles/contracts';
import { publishDurable, putObjectStream, QueryError, request } from '@giggles/messaging';
import { waitFor } from '@giggles/testing';
import { CLIP_WRITE_GRACE_MS } from '../src/maintenance/reconcile-plan';
import { startApp, type RunningApp } from './support/app';
import { BERLIN_DAY_START, HOUR, jid, segmentResult, windowOutcome } from './support/fixtures';

const DAY = 24 * HOUR;

async function* bytes(data: Buffer): AsyncGenerator<Uint8Array> {
  yield data;
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof QueryError ? error.code : String(error);
  }
}

interface MarkerRow {
  empty: boolean;
  empty_at: Date | null;
  path: string | null;
  bytes: string | null;
  sha256: string | null;
  window_start: Date;
}

describe('audio archive: empty-window markers', () => {
  let a: RunningApp;
  let archiveDir: string;

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'giggles-archive-empty-'));
    a = await startApp({ env: { AUDIO_ARCHIVE: 'filesystem', AUDIO_ARCHIVE_DIR: archiveDir, AUDIO_ARCHIVE_RETENTION_DAYS: '2000' } });
    await a.harness.reloadSchema('audio_archive');
  });
  afterAll(async () => {
    await a?.stop();
    if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
  });

  async function settled(): Promise<void> {
    const jsm = await jetstreamManager(a.nc);
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(STREAMS.results.name, CONSUMERS.persistenceResults);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      { what: 'the results consumer to finish', timeoutMs: 60_000, details: () => a.logLines.slice(-5).join('') },
    );
  }

  async function outcome(o: WindowOutcome, msgSuffix = ''): Promise<void> {
    await publishDurable(jetstream(a.nc), SUBJECTS.windowOutcome, o, messageIds.windowOutcome(o.userId, o.windowStartMs, o.windowEndMs, o.jobId) + msgSuffix);
    await settled();
  }

  async function processed(result: SegmentResult, audio: Buffer): Promise<void> {
    await putObjectStream(a.audioBucket, result.audioObject, bytes(audio), { chunkSize: 64 * 1024 });
    await publishDurable(jetstream(a.nc), SUBJECTS.segmentResult, result, messageIds.segmentResult(result.userId, result.windowStartMs, result.windowEndMs, result.jobId));
    await settled();
  }

  function audioWindow(user: string, startMs: number, localDate = '2024-03-01'): SegmentResult {
    return segmentResult(user, { jobId: jid(user, `job-${localDate}`), localDate, windowStartMs: startMs, windowEndMs: startMs + 2 * HOUR, events: [], audioObject: `audio-${user}-${startMs}` });
  }

  function empty(user: string, startMs: number, localDate = '2024-03-01', overrides: Partial<WindowOutcome> = {}): WindowOutcome {
    return windowOutcome(user, { jobId: `job-${localDate}`, localDate, windowStartMs: startMs, windowEndMs: startMs + 2 * HOUR, status: 'empty', ...overrides });
  }

  function rows(user: string): Promise<MarkerRow[]> {
    return a.sql<MarkerRow>('SELECT empty, empty_at, path, bytes::text AS bytes, sha256, window_start FROM audio_archive WHERE user_id = $1 ORDER BY window_start', [user]);
  }

  it("records a 404 window of an opted-in user as a marker without a file; gaps, failures and others' windows are not remembered", async () => {
    const user = await a.newUser();
    const optedOut = await a.newUser();
    await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true });

    await outcome(empty(user, BERLIN_DAY_START));
    await outcome(empty(user, BERLIN_DAY_START + 2 * HOUR, '2024-03-01', { status: 'gap', error: { code: 'api_unreachable', message: 'refused' } }));
    await outcome(empty(user, BERLIN_DAY_START + 4 * HOUR, '2024-03-01', { status: 'failed', error: { code: 'bad_request', message: '400' } }));
    await outcome(empty(optedOut, BERLIN_DAY_START));

    // empty_at: when Limitless answered 404 (the fixture's call at 2024-03-02T03:00:01Z).
    const answeredAt = new Date('2024-03-02T03:00:01.000Z');
    expect(await rows(user)).toEqual([{ empty: true, empty_at: answeredAt, path: null, bytes: null, sha256: null, window_start: new Date(BERLIN_DAY_START) }]);
    expect(await rows(optedOut)).toEqual([]);
    // Redelivered (another message id), and replayed by ingestion from the marker (no call at
    // all: nothing new learned): still one marker, its 404 time unchanged.
    await outcome(empty(user, BERLIN_DAY_START), '-again');
    await outcome(empty(user, BERLIN_DAY_START, '2024-03-01', { jobId: 'job-reprocess', trigger: 'reprocess', limitlessCalls: [] }));
    expect(await rows(user)).toEqual([expect.objectContaining({ empty: true, empty_at: answeredAt })]);
    // A later 404 (a later run asked again) moves it forward; an older one redelivered does not move it back.
    const later = { status: 404, durationMs: 80, bytes: 0, at: '2024-03-05T03:00:00.000Z' };
    await outcome(empty(user, BERLIN_DAY_START, '2024-03-01', { jobId: 'job-later', limitlessCalls: [{ ...later, status: 503, at: '2024-03-05T02:59:00.000Z' }, later] }));
    await outcome(empty(user, BERLIN_DAY_START), '-old');
    expect((await rows(user))[0]?.empty_at).toEqual(new Date(later.at));

    const day = await request(a.nc, QUERIES.archivedWindows, { userId: user, localDate: '2024-03-01' });
    expect(day).toEqual({ windows: [], emptyWindows: [{ windowStartMs: BERLIN_DAY_START, windowEndMs: BERLIN_DAY_START + 2 * HOUR, emptyAtMs: Date.parse(later.at) }] });
    expect(await request(a.nc, QUERIES.archiveSummary, { userId: user })).toEqual({
      mode: 'filesystem',
      enabled: true,
      retentionDays: 2000,
      windows: 0,
      emptyWindows: 1,
      bytes: 0,
      // Days and dates describe the kept audio (as before): a marker alone makes no day.
      days: 0,
    });
    const totals = await request(a.nc, QUERIES.archiveTotals, {});
    expect(totals.users.find((u) => u.userId === user)).toMatchObject({ windows: 0, emptyWindows: 1, bytes: 0, days: 0 });
    expect(totals.users.find((u) => u.userId === optedOut)).toBeUndefined();

    // A marker has no file: nothing to restore into the bucket or to read for the day's zip.
    expect(await errorCode(request(a.nc, QUERIES.restoreArchivedWindow, { userId: user, windowStartMs: BERLIN_DAY_START, audioObject: `r-${user}` }))).toBe(QUERY_ERROR_CODES.notFound);
    expect(await errorCode(request(a.nc, QUERIES.readArchivedWindow, { userId: user, windowStartMs: BERLIN_DAY_START }))).toBe(QUERY_ERROR_CODES.notFound);
  });

  it('never replaces kept audio with a marker; audio arriving later replaces the marker', async () => {
    const user = await a.newUser();
    await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true });
    const kept = audioWindow(user, BERLIN_DAY_START);
    await processed(kept, Buffer.from('OggS kept audio'));
    await outcome(empty(user, BERLIN_DAY_START));
    await outcome(empty(user, BERLIN_DAY_START + 2 * HOUR));
    await processed(audioWindow(user, BERLIN_DAY_START + 2 * HOUR), Buffer.from('OggS late upload'));

    const [first, second] = await rows(user);
    expect(first).toMatchObject({ empty: false, empty_at: null, path: `${user}/2024-03-01/${BERLIN_DAY_START}-${BERLIN_DAY_START + 2 * HOUR}.ogg`, bytes: '15' });
    expect(second).toMatchObject({ empty: false, empty_at: null, bytes: '16' });
    expect(await request(a.nc, QUERIES.archiveSummary, { userId: user })).toMatchObject({ windows: 2, emptyWindows: 0, bytes: 31, days: 1 });
  });

  it('the table refuses half-markers; markers do not collide on the unique path, files still do', async () => {
    const user = await a.newUser();
    const insert = (start: number, empty: boolean, path: string | null, size: number | null, sha: string | null): Promise<unknown> =>
      a.sql("INSERT INTO audio_archive (user_id, local_date, window_start, window_end, empty, empty_at, path, bytes, sha256) VALUES ($1, '2024-03-01', to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0 + 7200), $3, CASE WHEN $3 THEN now() END, $4, $5, $6)", [
        user,
        start,
        empty,
        path,
        size,
        sha,
      ]);
    const sha = 'a'.repeat(64);
    await expect(insert(BERLIN_DAY_START, true, `${user}/x.ogg`, null, null)).rejects.toThrow(/audio_archive_empty_check/);
    await expect(insert(BERLIN_DAY_START, false, null, 10, sha)).rejects.toThrow(/audio_archive_empty_check/);
    await expect(insert(BERLIN_DAY_START, true, null, 0, null)).rejects.toThrow(/audio_archive_empty_check/);
    await expect(
      a.sql("INSERT INTO audio_archive (user_id, local_date, window_start, window_end, empty) VALUES ($1, '2024-03-01', to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0 + 7200), true)", [user, BERLIN_DAY_START]),
    ).rejects.toThrow(/audio_archive_empty_check/);
    await insert(BERLIN_DAY_START, true, null, null, null);
    await insert(BERLIN_DAY_START + 2 * HOUR, true, null, null, null);
    await insert(BERLIN_DAY_START + 4 * HOUR, false, `${user}/same.ogg`, 10, sha);
    await expect(insert(BERLIN_DAY_START + 6 * HOUR, false, `${user}/same.ogg`, 10, sha)).rejects.toThrow(/audio_archive_path_key/);
    expect(await rows(user)).toHaveLength(3);
    // The file-less "kept" row would be a missing file to the reconciliation of the next test.
    await a.sql('DELETE FROM audio_archive WHERE user_id = $1', [user]);
  });

  it('the reconciliation never takes a marker for an orphan and removes markers with retention', async () => {
    const user = await a.newUser();
    await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true });
    const now = Date.now();
    const oldStart = now - 2500 * DAY;
    const oldDate = new Date(oldStart).toISOString().slice(0, 10);
    await processed(audioWindow(user, BERLIN_DAY_START), Buffer.from('OggS day one'));
    await outcome(empty(user, BERLIN_DAY_START + 2 * HOUR));
    await outcome(empty(user, oldStart, oldDate));

    const settings = { nowMs: now + CLIP_WRITE_GRACE_MS, retention: {}, stuckJobMinutes: 120, staleAudioMinutes: 10, maxDeletions: 1000, maxClipShare: 0.9 };
    const dry = await request(a.nc, QUERIES.reconcile, { ...settings, dryRun: true });
    expect(dry.archive).toMatchObject({ orphanFiles: 0, missingFiles: 0, expired: 0 });
    expect(await rows(user)).toHaveLength(3);

    const run = await request(a.nc, QUERIES.reconcile, settings);
    expect(run.archive).toMatchObject({ orphanFiles: 0, missingFiles: 0, expired: 0, expiredEmptyWindows: 1 });
    expect((await rows(user)).map((r) => [r.window_start.getTime(), r.empty])).toEqual([
      [BERLIN_DAY_START, false],
      [BERLIN_DAY_START + 2 * HOUR, true],
    ]);
  });

  it('deleting a day removes its markers; deleting all data removes every marker', async () => {
    const user = await a.newUser();
    await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true });
    await processed(audioWindow(user, BERLIN_DAY_START), Buffer.from('OggS one'));
    await outcome(empty(user, BERLIN_DAY_START + 2 * HOUR));
    await outcome(empty(user, BERLIN_DAY_START + DAY, '2024-03-02'));
    expect(await request(a.nc, QUERIES.archiveSummary, { userId: user })).toMatchObject({ windows: 1, emptyWindows: 2, days: 1, oldestDate: '2024-03-01', newestDate: '2024-03-01' });

    expect(await request(a.nc, QUERIES.deleteDay, { userId: user, localDate: '2024-03-01' })).toMatchObject({ archivedAudioFiles: 1 });
    expect((await rows(user)).map((r) => r.window_start.getTime())).toEqual([BERLIN_DAY_START + DAY]);
    expect(await request(a.nc, QUERIES.deleteUserData, { userId: user })).toMatchObject({ userRemoved: true, archivedAudioFiles: 0 });
    expect(await rows(user)).toEqual([]);
  });
});
