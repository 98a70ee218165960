/**
 * What Limitless said, per window and per job (migrations/0015), over NATS against the running app:
 * the job counters behind "Limitless is unreachable" (evidence, a break by any answer, neutral
 * jobs served from the archive, jobs from before 0015 on the old rule), the reprocess refused while
 * it would lose results the archive does not keep, and imported recordings kept through a reprocess.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_QUERIES, QUERIES, QUERY_ERROR_CODES, type LimitlessCall } from '@giggles/contracts';
import { request } from '@giggles/messaging';
import { startApp, type RunningApp } from './support/app';
import { BERLIN_DAY_START, event, HOUR, jid, jobProgress, segmentResult, windowOutcome } from './support/fixtures';

const REFUSED: LimitlessCall = { status: 0, durationMs: 3, bytes: 0, at: '2024-03-02T03:00:00.000Z', error: 'connect ECONNREFUSED' };
const NO_AUDIO: LimitlessCall = { status: 404, durationMs: 40, bytes: 0, at: '2024-03-02T03:00:00.000Z' };
const UNREACHABLE = { code: 'api_unreachable', message: 'Limitless did not answer' };
/** Window n (two hours each) of local day 2024-03-01 in Berlin. */
const w = (n: number) => BERLIN_DAY_START + n * 2 * HOUR;

describe('limitless contact', () => {
  let a: RunningApp;

  beforeAll(async () => {
    a = await startApp();
  });
  afterAll(() => a?.stop());

  async function userWithKey(): Promise<string> {
    const user = await a.newUser();
    await a.sql(`INSERT INTO limitless_keys (user_id, encrypted_api_key, is_active, status) VALUES ($1, 'x', true, 'valid')`, [user]);
    return user;
  }

  const outage = async (user: string) => (await request(a.nc, HISTORY_QUERIES.apiOutages, {})).outages.find((o) => o.userId === user);
  const counters = async (user: string, name: string) =>
    (await a.sql<{ status: string; answered: number | null; unreachable: number | null }>(
      'SELECT status, windows_answered AS answered, windows_unreachable AS unreachable FROM jobs WHERE job_id = $1',
      [jid(user, name)],
    ))[0];
  const createdAt = async (user: string, name: string) =>
    new Date((await a.sql<{ at: Date }>('SELECT created_at AS at FROM jobs WHERE job_id = $1', [jid(user, name)]))[0]!.at).toISOString();

  /** A job of `windows` windows: 'unreachable' (a refused call), 'silent' (an api_unreachable gap ingestion recorded without asking), 'answered' (a 404), 'restored' (processed from the archive, no call). */
  async function job(user: string, name: string, windows: Array<'unreachable' | 'silent' | 'answered' | 'restored'>, trigger: 'nightly' | 'reprocess' | 'gap-retry' = 'nightly') {
    await a.results.recordJobProgress(jobProgress(user, { jobId: name, trigger, windowsPlanned: windows.length }));
    for (const [n, kind] of windows.entries()) {
      if (kind === 'restored') {
        await a.results.recordSegmentResult(segmentResult(user, { jobId: name, trigger, windowStartMs: w(n), events: [], limitlessCalls: [] }));
      } else {
        const calls = kind === 'unreachable' ? [REFUSED, REFUSED] : kind === 'answered' ? [NO_AUDIO] : [];
        const status = kind === 'answered' ? 'empty' : 'gap';
        await a.results.recordWindowOutcome(
          windowOutcome(user, { jobId: name, trigger, windowStartMs: w(n), status, limitlessCalls: calls, ...(status === 'gap' ? { error: UNREACHABLE } : {}) }),
        );
      }
    }
  }

  it('counts per window what Limitless said; a redelivery changes nothing and a changed outcome moves the counters', async () => {
    const user = await userWithKey();
    await job(user, 'mixed', ['unreachable', 'silent', 'answered', 'restored']);
    expect(await counters(user, 'mixed')).toEqual({ status: 'done', answered: 1, unreachable: 2 });
    const contacts = await a.sql<{ contact: string }>('SELECT limitless_contact AS contact FROM audio_segments WHERE user_id = $1 ORDER BY start_time', [user]);
    expect(contacts.map((c) => c.contact)).toEqual(['unreachable', 'unreachable', 'answered', 'none']);

    // The same message again: nothing moves.
    await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'mixed', windowStartMs: w(0), status: 'gap', limitlessCalls: [REFUSED, REFUSED], error: UNREACHABLE }));
    expect(await counters(user, 'mixed')).toMatchObject({ answered: 1, unreachable: 2 });
    // The same job records the window again, now answered (a dead-lettered window, say): from unreachable to answered.
    await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'mixed', windowStartMs: w(0), status: 'failed', limitlessCalls: [NO_AUDIO] }));
    expect(await counters(user, 'mixed')).toMatchObject({ answered: 2, unreachable: 1 });
  });

  it('evidence: jobs that reached nobody start a run, even with windows restored from the archive', async () => {
    const user = await userWithKey();
    // The archive reprocess of issue 10's walkthrough: one window restored, the rest unreachable.
    await job(user, 'reprocess', ['restored', 'unreachable', 'silent', 'silent'], 'reprocess');
    expect(await counters(user, 'reprocess')).toEqual({ status: 'done', answered: 0, unreachable: 3 });
    expect((await outage(user))?.unreachableSince).toBe(await createdAt(user, 'reprocess'));
  });

  it('a break: any answer (a 404 "no audio" too) ends the run; the next evidence starts a new one', async () => {
    const user = await userWithKey();
    await job(user, 'down-1', ['unreachable', 'silent']);
    expect(await outage(user)).toBeDefined();
    await job(user, 'answered', ['unreachable', 'answered']);
    expect(await outage(user)).toBeUndefined();
    await job(user, 'down-2', ['unreachable']);
    expect((await outage(user))?.unreachableSince).toBe(await createdAt(user, 'down-2'));
  });

  it('neutral: a job served wholly from the archive (or with nothing to ask) neither starts nor breaks a run', async () => {
    const user = await userWithKey();
    await job(user, 'restored-first', ['restored', 'restored'], 'reprocess');
    expect(await outage(user)).toBeUndefined();
    await job(user, 'down', ['unreachable', 'silent']);
    // A gap retry whose windows came from the archive (the rest skipped): still the same run.
    await job(user, 'retry', ['restored'], 'gap-retry');
    expect(await counters(user, 'retry')).toEqual({ status: 'done', answered: 0, unreachable: 0 });
    expect((await outage(user))?.unreachableSince).toBe(await createdAt(user, 'down'));
  });

  it('jobs from before 0015 keep the old rule: evidence only when every window was an api_unreachable gap', async () => {
    const user = await userWithKey();
    await job(user, 'old-down', ['unreachable', 'silent']);
    await job(user, 'old-mixed', ['restored', 'unreachable']);
    // Registered before the migration: no counters.
    await a.sql('UPDATE jobs SET windows_answered = NULL, windows_unreachable = NULL WHERE user_id = $1', [user]);
    // The old rule: the mixed job breaks the run the all-unreachable job started.
    expect(await outage(user)).toBeUndefined();
    await a.sql('DELETE FROM jobs WHERE job_id = $1', [jid(user, 'old-mixed')]);
    expect((await outage(user))?.unreachableSince).toBe(await createdAt(user, 'old-down'));
  });

  describe('reprocess (giggles.query.days.clear)', () => {
    const clear = (user: string) => request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-01' });
    const windowsOf = async (user: string) => Number((await a.sql<{ n: string }>('SELECT count(*) AS n FROM audio_segments WHERE user_id = $1', [user]))[0]!.n);

    /** A nightly run while Limitless answered: window 0 processed with a laugh, window 1 empty. */
    async function processedDay(user: string) {
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'nightly', windowsPlanned: 2 }));
      await a.results.recordSegmentResult(segmentResult(user, { jobId: 'nightly', windowStartMs: w(0), events: [event(w(0) + 60_000)] }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'nightly', windowStartMs: w(1), limitlessCalls: [NO_AUDIO] }));
    }

    async function archive(user: string, startMs: number) {
      await a.sql(
        `INSERT INTO audio_archive (user_id, local_date, window_start, window_end, bytes, sha256, path)
         VALUES ($1, '2024-03-01', to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0) + interval '2 hours', 10, repeat('a', 64), $3)`,
        [user, startMs, `${user}/2024-03-01/${startMs}.ogg`],
      );
    }

    it('refused, with clear words and nothing removed, while Limitless is unreachable and results are not archived', async () => {
      const user = await userWithKey();
      await processedDay(user);
      // Another day's job found Limitless gone.
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'down', localDate: '2024-03-05', windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'down', localDate: '2024-03-05', windowStartMs: w(48), status: 'gap', limitlessCalls: [REFUSED], error: UNREACHABLE }));

      const refused = await clear(user).catch((error: unknown) => error);
      expect(refused).toMatchObject({
        code: QUERY_ERROR_CODES.conflict,
        message: "Limitless can't be reached right now, and 1 of these days holds results whose audio isn't kept in your archive — reprocessing now would lose them. Try again when Limitless answers.",
      });
      expect(await windowsOf(user)).toBe(3);
      expect(await a.sql('SELECT 1 FROM laughter_detections WHERE user_id = $1', [user])).toHaveLength(1);

      // A window of the original app (no trigger, no job, not archived) is at risk too.
      await a.sql(
        `INSERT INTO audio_segments (user_id, date, start_time, end_time, status, processed) VALUES ($1, '2024-03-02', to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0) + interval '2 hours', 'processed', true)`,
        [user, w(12)],
      );
      await expect(request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-02', to: '2024-03-02' })).rejects.toMatchObject({ code: QUERY_ERROR_CODES.conflict });
      await expect(request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-02' })).rejects.toMatchObject({ message: expect.stringContaining('2 of these days hold results') });

      // Paused (the run went on for long enough) is the same answer.
      await request(a.nc, HISTORY_QUERIES.apiOutageSet, { userId: user, action: 'pause', reason: 'unreachable' });
      await expect(clear(user)).rejects.toMatchObject({ code: QUERY_ERROR_CODES.conflict });

      // Once the processed window is in the archive, the reprocess can bring it back: allowed.
      await archive(user, w(0));
      expect(await clear(user)).toMatchObject({ detectionsRemoved: 1, windowsRemoved: 2 });
    });

    it("the scheduler's probe just now counts too: the first reprocess of an outage, before any job told", async () => {
      const user = await userWithKey();
      await processedDay(user); // the newest job heard Limitless: nothing in the jobs says it is gone
      const probedClear = () => request(a.nc, QUERIES.clearDays, { userId: user, from: '2024-03-01', to: '2024-03-01', limitlessUnreachable: true });
      await expect(probedClear()).rejects.toMatchObject({ code: QUERY_ERROR_CODES.conflict, message: expect.stringContaining("Limitless can't be reached right now, and 1 of these days") });
      expect(await windowsOf(user)).toBe(2);
      expect(await a.sql('SELECT 1 FROM laughter_detections WHERE user_id = $1', [user])).toHaveLength(1);
      // Nothing at risk once the processed window is kept: the reprocess goes ahead from the archive.
      await archive(user, w(0));
      expect(await probedClear()).toMatchObject({ detectionsRemoved: 1, windowsRemoved: 2 });
    });

    it('allowed while Limitless answers (the newest job heard it), archive or not', async () => {
      const user = await userWithKey();
      await processedDay(user);
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'down', localDate: '2024-03-05', windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'down', localDate: '2024-03-05', windowStartMs: w(48), status: 'gap', limitlessCalls: [REFUSED], error: UNREACHABLE }));
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'back', localDate: '2024-03-06', windowsPlanned: 1 }));
      await a.results.recordWindowOutcome(windowOutcome(user, { jobId: 'back', localDate: '2024-03-06', windowStartMs: w(60), limitlessCalls: [NO_AUDIO] }));
      // A window of the original app (no trigger, no job) is the day's like any other.
      await a.sql(
        `INSERT INTO audio_segments (user_id, date, start_time, end_time, status, processed) VALUES ($1, '2024-03-01', to_timestamp($2 / 1000.0), to_timestamp($2 / 1000.0) + interval '2 hours', 'processed', true)`,
        [user, w(5)],
      );
      expect(await clear(user)).toMatchObject({ detectionsRemoved: 1, windowsRemoved: 3, logsRemoved: 1 });
    });

    it("keeps an imported recording's windows, laughs, log and job, and the day still counts them", async () => {
      const user = await userWithKey();
      await processedDay(user);
      const importJob = `import-${randomUUID()}-2024-03-01`;
      const start = w(3) + 30 * 60_000; // an imported file starts anywhere
      await a.results.recordJobProgress({ ...jobProgress(user, { trigger: 'import', windowsPlanned: 1 }), jobId: importJob });
      await a.results.recordSegmentResult({
        ...segmentResult(user, { trigger: 'import', windowStartMs: start, windowEndMs: start + 40 * 60_000, decodedSeconds: 2_400, events: [event(start + 90_000), event(start + 300_000)], limitlessCalls: [] }),
        jobId: importJob,
      });
      const summary = async () =>
        (await a.sql<{ laughs: string; audio: number; processed: string }>(
          "SELECT laugh_count AS laughs, audio_seconds AS audio, windows_processed AS processed FROM giggles_day_summaries($1, NULL, 30, '2024-03-01')",
          [user],
        ))[0];
      expect(await summary()).toEqual({ laughs: '3', audio: 7_190.5 + 2_400, processed: '2' });

      expect(await clear(user)).toMatchObject({ detectionsRemoved: 1, windowsRemoved: 2, logsRemoved: 1 });
      expect(await summary()).toEqual({ laughs: '2', audio: 2_400, processed: '1' });
      expect(await a.sql('SELECT job_id, trigger FROM jobs WHERE user_id = $1', [user])).toEqual([{ job_id: importJob, trigger: 'import' }]);
      expect(await a.sql("SELECT trigger FROM processing_logs WHERE user_id = $1 AND date = '2024-03-01'", [user])).toEqual([{ trigger: 'import' }]);

      // The reprocess runs the day again: the import's results stand beside the new run's.
      await a.results.recordJobProgress(jobProgress(user, { jobId: 'again', trigger: 'reprocess', windowsPlanned: 1 }));
      await a.results.recordSegmentResult(segmentResult(user, { jobId: 'again', trigger: 'reprocess', windowStartMs: w(0), events: [event(w(0) + 60_000)] }));
      expect(await summary()).toEqual({ laughs: '3', audio: 7_190.5 + 2_400, processed: '2' });
    });
  });
});
