/**
 * The audio archive end to end inside persistence (AUDIO_ARCHIVE=filesystem), against the running
 * app over NATS: a user's switch, archiving a processed window's Ogg before its object is deleted
 * (streamed, idempotent on redelivery), the size, a day's windows, chunked reads, restoring into
 * the audio bucket for a reprocess, other users getting not_found, clearing days for a reprocess
 * keeping the archive, deleting a day or all data deleting it, and the reconciliation's orphans
 * both ways and retention.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, messageIds, QUERIES, QUERY_ERROR_CODES, STREAMS, SUBJECTS, type SegmentResult } from '@giggles/contracts';
import { getObjectStream, publishDurable, putObjectStream, QueryError, request } from '@giggles/messaging';
import { waitFor } from '@giggles/testing';
import { CLIP_WRITE_GRACE_MS } from '../src/maintenance/reconcile-plan';
import { startApp, type RunningApp } from './support/app';
import { BERLIN_DAY_START, HOUR, jid, segmentResult } from './support/fixtures';

const DAY = 24 * HOUR;

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* bytes(data: Buffer): AsyncGenerator<Uint8Array> {
  yield data;
}

/** A window's "Ogg" bytes: large enough to take several object-store chunks and read chunks. */
function oggBytes(seed: string, size = 600_000): Buffer {
  const out = Buffer.alloc(size);
  out.write('OggS');
  for (let i = 4; i < size; i++) out[i] = (i * 31 + seed.charCodeAt(i % seed.length)) & 0xff;
  return out;
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof QueryError ? error.code : String(error);
  }
}

describe('audio archive', () => {
  let a: RunningApp;
  let archiveDir: string;

  beforeAll(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'giggles-archive-'));
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

  /** Stages the window's audio like ingestion does, publishes inference's result, waits until stored. */
  async function process(result: SegmentResult, audio: Buffer, msgSuffix = ''): Promise<void> {
    if (audio.length > 0) await putObjectStream(a.audioBucket, result.audioObject, bytes(audio), { chunkSize: 64 * 1024 });
    const msgId = messageIds.segmentResult(result.userId, result.windowStartMs, result.windowEndMs, result.jobId) + msgSuffix;
    await publishDurable(jetstream(a.nc), SUBJECTS.segmentResult, result, msgId);
    await settled();
  }

  async function objectExists(name: string): Promise<boolean> {
    const info = await a.audioBucket.store.info(name);
    return !!info && !info.deleted;
  }

  function window(user: string, startMs: number, localDate = '2024-03-01'): SegmentResult {
    return segmentResult(user, {
      jobId: jid(user, `job-${localDate}`),
      localDate,
      windowStartMs: startMs,
      windowEndMs: startMs + 2 * HOUR,
      events: [],
      audioObject: `audio-${user}-${startMs}`,
    });
  }

  it('keeps nothing for a user who did not opt in (the default)', async () => {
    const user = await a.newUser();
    expect(await request(a.nc, QUERIES.archiveSummary, { userId: user })).toEqual({ mode: 'filesystem', enabled: false, retentionDays: 2000, windows: 0, emptyWindows: 0, bytes: 0, days: 0 });
    const result = window(user, BERLIN_DAY_START);
    await process(result, oggBytes('a'));
    expect(await objectExists(result.audioObject)).toBe(false);
    expect(await a.sql('SELECT * FROM audio_archive WHERE user_id = $1', [user])).toEqual([]);
  });

  it('archives an opted-in user’s processed windows before deleting the audio; redelivery changes nothing', async () => {
    const user = await a.newUser();
    expect(await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true })).toMatchObject({ enabled: true, windows: 0 });
    const first = window(user, BERLIN_DAY_START);
    const audio = oggBytes(user);
    await process(first, audio);

    expect(await objectExists(first.audioObject)).toBe(false);
    const path = `${user}/2024-03-01/${first.windowStartMs}-${first.windowEndMs}.ogg`;
    expect((await readFile(join(archiveDir, path))).equals(audio)).toBe(true);
    const rows = await a.sql<{ bytes: string; sha256: string; path: string }>('SELECT bytes, sha256, path FROM audio_archive WHERE user_id = $1', [user]);
    expect(rows).toEqual([{ bytes: String(audio.length), sha256: createHash('sha256').update(audio).digest('hex'), path }]);

    // The same result delivered again (its audio object is gone by now): still one window.
    await process(first, Buffer.alloc(0), '-again');
    expect(await a.sql('SELECT path FROM audio_archive WHERE user_id = $1', [user])).toHaveLength(1);

    // A failed (corrupt audio) window is not kept; a second day is.
    const failed = { ...window(user, BERLIN_DAY_START + 2 * HOUR), status: 'failed' as const, error: { code: 'corrupt_audio', message: 'not Ogg' } };
    await process(failed, Buffer.from('garbage'));
    await process(window(user, BERLIN_DAY_START + DAY, '2024-03-02'), oggBytes('day2', 1000));
    expect(await request(a.nc, QUERIES.archiveSummary, { userId: user })).toEqual({
      mode: 'filesystem',
      enabled: true,
      retentionDays: 2000,
      windows: 2,
      emptyWindows: 0,
      bytes: audio.length + 1000,
      days: 2,
      oldestDate: '2024-03-01',
      newestDate: '2024-03-02',
    });
    const totals = await request(a.nc, QUERIES.archiveTotals, {});
    expect(totals.users.find((u) => u.userId === user)).toMatchObject({ windows: 2, days: 2 });
  });

  it('lists, reads in chunks and restores a user’s windows; other users get not_found', async () => {
    const user = await a.newUser();
    const other = await a.newUser();
    await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true });
    const result = window(user, BERLIN_DAY_START);
    const audio = oggBytes('read');
    await process(result, audio);

    const { windows } = await request(a.nc, QUERIES.archivedWindows, { userId: user, localDate: '2024-03-01' });
    expect(windows).toEqual([{ windowStartMs: result.windowStartMs, windowEndMs: result.windowEndMs, bytes: audio.length, sha256: createHash('sha256').update(audio).digest('hex') }]);
    expect((await request(a.nc, QUERIES.archivedWindows, { userId: other, localDate: '2024-03-01' })).windows).toEqual([]);

    const parts: Buffer[] = [];
    for (let offset = 0; offset < audio.length; ) {
      const chunk = await request(a.nc, QUERIES.readArchivedWindow, { userId: user, windowStartMs: result.windowStartMs, offset, length: 200_000 });
      expect(chunk).toMatchObject({ size: audio.length, offset });
      const data = Buffer.from(chunk.dataBase64, 'base64');
      parts.push(data);
      offset += data.length;
    }
    expect(Buffer.concat(parts).equals(audio)).toBe(true);
    expect(await errorCode(request(a.nc, QUERIES.readArchivedWindow, { userId: other, windowStartMs: result.windowStartMs }))).toBe(QUERY_ERROR_CODES.notFound);

    // Restore: back into the audio bucket under ingestion's name, bytes intact.
    const restored = await request(a.nc, QUERIES.restoreArchivedWindow, { userId: user, windowStartMs: result.windowStartMs, audioObject: `restored-${user}` });
    expect(restored).toEqual({ windowStartMs: result.windowStartMs, windowEndMs: result.windowEndMs, bytes: audio.length });
    expect((await collect(getObjectStream(a.audioBucket, `restored-${user}`))).equals(audio)).toBe(true);
    expect(await errorCode(request(a.nc, QUERIES.restoreArchivedWindow, { userId: other, windowStartMs: result.windowStartMs, audioObject: `x-${other}` }))).toBe(QUERY_ERROR_CODES.notFound);
    expect(await errorCode(request(a.nc, QUERIES.restoreArchivedWindow, { userId: user, windowStartMs: result.windowStartMs + 1, audioObject: `y-${user}` }))).toBe(QUERY_ERROR_CODES.notFound);
    expect(await objectExists(`x-${other}`)).toBe(false);
    // Hostile input is refused by the contract before anything is read.
    // Hostile input straight onto the wire (the client would refuse it): refused by the server's contract.
    const raw = await a.nc.request(QUERIES.archivedWindows, JSON.stringify({ userId: user, localDate: '../../etc' }), { timeout: 30_000 });
    expect(raw.json()).toMatchObject({ ok: false, error: { code: QUERY_ERROR_CODES.invalidRequest } });
    expect(await errorCode(request(a.nc, QUERIES.setArchive, { userId: crypto.randomUUID(), enabled: true }))).toBe(QUERY_ERROR_CODES.notFound);
  });

  it('keeps the archive when days are cleared for a reprocess; deleting a day or all data deletes it', async () => {
    const user = await a.newUser();
    const bystander = await a.newUser();
    for (const id of [user, bystander]) {
      await request(a.nc, QUERIES.setArchive, { userId: id, enabled: true });
      await process(window(id, BERLIN_DAY_START), oggBytes(id, 2000));
      await process(window(id, BERLIN_DAY_START + DAY, '2024-03-02'), oggBytes(id, 3000));
    }
    // The jobs are over (a reprocess is refused while one is in flight).
    await a.sql("UPDATE jobs SET status = 'done' WHERE user_id = $1", [user]);
    await request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-02' });
    expect((await request(a.nc, QUERIES.archiveSummary, { userId: user })).windows).toBe(2);

    expect(await request(a.nc, QUERIES.deleteDay, { userId: user, localDate: '2024-03-01' })).toMatchObject({ archivedAudioFiles: 1 });
    expect(await request(a.nc, QUERIES.archiveSummary, { userId: user })).toMatchObject({ windows: 1, oldestDate: '2024-03-02' });
    expect(await a.sql('SELECT local_date::text AS d FROM audio_archive WHERE user_id = $1', [user])).toEqual([{ d: '2024-03-02' }]);

    expect(await request(a.nc, QUERIES.deleteUserData, { userId: user })).toMatchObject({ userRemoved: true, archivedAudioFiles: 1 });
    expect(await a.sql('SELECT * FROM audio_archive WHERE user_id = $1', [user])).toEqual([]);
    await expect(readFile(join(archiveDir, `${user}/2024-03-02/${BERLIN_DAY_START + DAY}-${BERLIN_DAY_START + DAY + 2 * HOUR}.ogg`))).rejects.toThrow();
    // Nobody else's archive was touched.
    expect((await request(a.nc, QUERIES.archiveSummary, { userId: bystander })).windows).toBe(2);
  });

  it('reconciles: deletes files without rows, removes rows without files, applies retention', async () => {
    const user = await a.newUser();
    await request(a.nc, QUERIES.setArchive, { userId: user, enabled: true });
    const kept = window(user, BERLIN_DAY_START);
    const lost = window(user, BERLIN_DAY_START + 4 * HOUR);
    const now = Date.now();
    const old = window(user, now - 2500 * DAY, new Date(now - 2500 * DAY).toISOString().slice(0, 10));
    for (const w of [kept, lost, old]) await process(w, oggBytes(w.audioObject, 500));
    // A file nobody recorded, and a recorded window whose file vanished.
    const orphan = `${user}/2024-03-05/1000-2000.ogg`;
    await mkdir(join(archiveDir, user, '2024-03-05'), { recursive: true });
    await writeFile(join(archiveDir, orphan), 'OggS');
    await unlink(join(archiveDir, `${user}/2024-03-01/${lost.windowStartMs}-${lost.windowEndMs}.ogg`));

    const settings = { nowMs: now + CLIP_WRITE_GRACE_MS, retention: {}, stuckJobMinutes: 120, staleAudioMinutes: 10, maxDeletions: 1000, maxClipShare: 0.9 };
    const dry = await request(a.nc, QUERIES.reconcile, { ...settings, dryRun: true });
    expect(dry.archive).toMatchObject({ orphanFiles: 1, missingFiles: 1, expired: 1 });
    const run = await request(a.nc, QUERIES.reconcile, settings);
    expect(run.archive).toMatchObject({ orphanFiles: 1, missingFiles: 1, expired: 1 });
    expect(await a.sql('SELECT window_start FROM audio_archive WHERE user_id = $1', [user])).toHaveLength(1);
    await expect(readFile(join(archiveDir, orphan))).rejects.toThrow();
    expect((await readFile(join(archiveDir, `${user}/2024-03-01/${kept.windowStartMs}-${kept.windowEndMs}.ogg`))).length).toBe(500);
    const line = a.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'reconciliation').pop();
    expect(line).toMatchObject({ archive: { orphanFiles: 1, missingFiles: 1, expired: 1 } });
  });
});
