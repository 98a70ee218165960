/**
 * The audio archive through the real pipeline (persistence with AUDIO_ARCHIVE=filesystem,
 * ingestion, inference as processes; real NATS, Postgres, PostgREST; the Limitless simulator):
 * a user who keeps their audio gets each processed window archived by the nightly run; after the
 * day is cleared for a reprocess, the reprocess takes those windows from the archive — the
 * simulator sees no request for them, only for the windows that were never kept (no audio there)
 * — and finds the same laughs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUERIES } from '@giggles/contracts';
import { startStack, type Stack, type StackUser } from '@giggles/e2e';
import { request } from '@giggles/messaging';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog } from './support/settings';

function downloadStarts(stack: Stack, from: number): number[] {
  return stack.simulator
    .requests()
    .slice(from)
    .filter((r) => r.path.includes('download-audio'))
    .map((r) => Number(new URL(r.path, 'http://sim').searchParams.get('startMs')));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('audio archive end to end', () => {
  let stack: Stack;
  let user: StackUser;
  let archiveDir: string;
  let setupCompleted = false;

  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'giggles-e2e-archive-'));
    stack = await startStack({
      users: [{ timezone: 'Europe/Berlin', localDate: '2026-02-10', hours: 0.5 }],
      recordings: [join(EVAL_DIR, 'long_d1.ogg'), join(EVAL_DIR, 'long_d2.ogg')],
      env: SUITE_ENV,
      serviceEnv: { persistence: { AUDIO_ARCHIVE: 'filesystem', AUDIO_ARCHIVE_DIR: archiveDir } },
      log: suiteLog,
    });
    [user] = stack.users;
    await stack.query('UPDATE public.users SET audio_archive = true WHERE id = $1', [user.userId]);
    setupCompleted = true;
  });

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    await stack?.stop();
    cleanLogs(stack?.logDir, setupCompleted);
    if (archiveDir) rmSync(archiveDir, { recursive: true, force: true });
  });

  it('a reprocess reads the kept windows from the archive, asks Limitless only for the others, and finds the same laughs', async () => {
    const before = stack.simulator.requests().length;
    const [nightly] = await stack.publishDayJobs([user], 'nightly');
    await stack.waitForJobs([nightly.jobId]);
    await stack.waitForDrain();
    const first = await stack.readUser(user, nightly.jobId);
    const nightlyStarts = downloadStarts(stack, before);

    const kept = await stack.query<{ window_start: Date; bytes: string }>('SELECT window_start, bytes FROM public.audio_archive WHERE user_id = $1 ORDER BY window_start', [user.userId]);
    const keptStarts = kept.map((k) => k.window_start.getTime());
    // Exactly the windows that held audio are kept (the rest of the day was empty: nothing to keep).
    const processed = first.segments.filter((s) => s.status === 'processed').map((s) => s.startMs).sort((a, b) => a - b);
    expect(processed.length).toBeGreaterThan(0);
    expect(keptStarts).toEqual(processed);
    expect(kept.every((k) => Number(k.bytes) > 10_000)).toBe(true);
    expect(filesUnder(archiveDir)).toHaveLength(kept.length);
    expect(nightlyStarts).toEqual(expect.arrayContaining(keptStarts));
    expect(first.detections.length).toBeGreaterThan(0);

    // The scheduler's reprocess: clear the day (the archive stays), then a reprocess job.
    await request(stack.nc, QUERIES.clearDays, { userId: user.userId, from: user.localDate, to: user.localDate }, { timeoutMs: 60_000 });
    expect(await stack.query('SELECT 1 FROM public.audio_archive WHERE user_id = $1', [user.userId])).toHaveLength(kept.length);
    const mark = stack.simulator.requests().length;
    const [reprocess] = await stack.publishDayJobs([user], 'reprocess');
    await stack.waitForJobs([reprocess.jobId]);
    await stack.waitForDrain();
    const again = await stack.readUser(user, reprocess.jobId);

    const reprocessStarts = downloadStarts(stack, mark);
    for (const start of keptStarts) expect(reprocessStarts).not.toContain(start);
    // Every window that was never kept is asked for again (it had no audio: 404 then and now).
    expect([...reprocessStarts].sort((a, b) => a - b)).toEqual([...new Set(nightlyStarts)].filter((s) => !keptStarts.includes(s)).sort((a, b) => a - b));
    expect(again.detections.map((d) => [d.start.getTime(), d.classId])).toEqual(first.detections.map((d) => [d.start.getTime(), d.classId]));
    // Archiving the same windows again changed nothing.
    expect(await stack.query('SELECT 1 FROM public.audio_archive WHERE user_id = $1', [user.userId])).toHaveLength(kept.length);
    expect(filesUnder(archiveDir)).toHaveLength(kept.length);
  });
});
