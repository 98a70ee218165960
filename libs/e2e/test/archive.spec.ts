/**
 * The audio archive through the real pipeline (persistence with AUDIO_ARCHIVE=filesystem,
 * ingestion, inference as processes; real NATS, Postgres, PostgREST; the Limitless simulator):
 * a user who keeps their audio gets each processed window archived by the nightly run, and each
 * window Limitless had no audio for (404) remembered as an empty marker (migration 0016). Then
 * the API disappears (the simulator stops: connection refused) and the day is cleared and
 * reprocessed: every window comes from the archive — audio restored, empty windows recorded empty
 * — with zero requests towards Limitless, no gap, and the same laughs (issue 10, "when the API is
 * gone").
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

  it('with the API gone, a reprocess reads every window from the archive (audio and empty markers): zero requests, no gaps, the same laughs', async () => {
    const before = stack.simulator.requests().length;
    const [nightly] = await stack.publishDayJobs([user], 'nightly');
    await stack.waitForJobs([nightly.jobId]);
    await stack.waitForDrain();
    const first = await stack.readUser(user, nightly.jobId);
    const nightlyStarts = downloadStarts(stack, before);

    const kept = await stack.query<{ window_start: Date; bytes: string }>(
      'SELECT window_start, bytes FROM public.audio_archive WHERE user_id = $1 AND NOT empty ORDER BY window_start',
      [user.userId],
    );
    const keptStarts = kept.map((k) => k.window_start.getTime());
    // Exactly the windows that held audio are kept (the rest of the day was empty: nothing to keep).
    const processed = first.segments.filter((s) => s.status === 'processed').map((s) => s.startMs).sort((a, b) => a - b);
    expect(processed.length).toBeGreaterThan(0);
    expect(keptStarts).toEqual(processed);
    // …and exactly the windows Limitless answered 404 for are remembered as empty (no file).
    const markers = await stack.query<{ window_start: Date; path: string | null }>(
      'SELECT window_start, path FROM public.audio_archive WHERE user_id = $1 AND empty ORDER BY window_start',
      [user.userId],
    );
    const emptyStarts = first.segments.filter((s) => s.status === 'empty').map((s) => s.startMs).sort((a, b) => a - b);
    expect(emptyStarts.length).toBeGreaterThan(0);
    expect(markers.map((m) => m.window_start.getTime())).toEqual(emptyStarts);
    expect(markers.every((m) => m.path === null)).toBe(true);
    expect(first.segments).toHaveLength(kept.length + markers.length);
    expect(kept.every((k) => Number(k.bytes) > 10_000)).toBe(true);
    expect(filesUnder(archiveDir)).toHaveLength(kept.length);
    expect(nightlyStarts).toEqual(expect.arrayContaining(keptStarts));
    expect(first.detections.length).toBeGreaterThan(0);

    // The API is gone: connection refused from now on (the services reach it through the proxy,
    // which counts every request it is asked to forward).
    await stack.simulator.stop();
    const proxied = stack.limitless.requests(user.apiKey);

    // The scheduler's reprocess: clear the day (the archive stays), then a reprocess job.
    await request(stack.nc, QUERIES.clearDays, { userId: user.userId, from: user.localDate, to: user.localDate }, { timeoutMs: 60_000 });
    expect(await stack.query('SELECT 1 FROM public.audio_archive WHERE user_id = $1', [user.userId])).toHaveLength(kept.length + markers.length);
    const [reprocess] = await stack.publishDayJobs([user], 'reprocess');
    await stack.waitForJobs([reprocess.jobId]);
    await stack.waitForDrain();
    const again = await stack.readUser(user, reprocess.jobId);

    expect(stack.limitless.requests(user.apiKey) - proxied).toBe(0);
    // Every window done as before — audio processed, empty empty — and none a gap ("partly downloaded").
    expect(again.windows).toEqual({ processed: kept.length, empty: markers.length, gap: 0, failed: 0 });
    expect(again.segments.every((s) => s.jobId === reprocess.jobId && s.error === null)).toBe(true);
    expect(again.log).toMatchObject({ windows_gap: 0, limitless_calls: [] });
    expect(again.detections.map((d) => [d.start.getTime(), d.classId])).toEqual(first.detections.map((d) => [d.start.getTime(), d.classId]));
    // Archiving the same windows again changed nothing.
    expect(await stack.query('SELECT 1 FROM public.audio_archive WHERE user_id = $1 AND NOT empty', [user.userId])).toHaveLength(kept.length);
    expect(await stack.query('SELECT 1 FROM public.audio_archive WHERE user_id = $1 AND empty', [user.userId])).toHaveLength(markers.length);
    expect(filesUnder(archiveDir)).toHaveLength(kept.length);
  });
});
