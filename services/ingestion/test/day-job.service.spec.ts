import { KeyCipher } from '@giggles/crypto';
import type { DayJob } from '@giggles/contracts';
import { PipelineProgress } from '@giggles/health';
import { describe, expect, it } from 'vitest';
import { ApiKeyService } from '../src/services/api-key.service';
import { audioObjectName, DayJobService, ShutdownInterruption } from '../src/services/day-job.service';
import { WindowDownloadService } from '../src/services/window-download.service';
import type { TimeWindow } from '../src/domain/window-planner';
import {
  capturedLogger,
  ENCRYPTION_KEY_HEX,
  FakeClock,
  FakeLimitless,
  FakePersistence,
  MemoryAudioStore,
  MemoryPlanStore,
  MemoryPublisher,
  oggBytes,
  testConfig,
  testMetrics,
  type Scripted,
} from './fakes';

const H = 3_600_000;
const M = 60_000;
const USER = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const API_KEY = 'lmtls-user-key-0123456789';
const DAY_START = Date.UTC(2025, 0, 15, 5); // local midnight in America/New_York

function job(overrides: Partial<DayJob> = {}): DayJob {
  return {
    jobId: `day:${USER}:2025-01-15:nightly:${DAY_START}:${DAY_START + 24 * H}`,
    userId: USER,
    localDate: '2025-01-15',
    timezone: 'America/New_York',
    startMs: DAY_START,
    endMs: DAY_START + 24 * H,
    trigger: 'nightly',
    requestedAt: '2025-01-16T06:00:00.000Z',
    ...overrides,
  };
}

function setup(script: Scripted[] | ((w: TimeWindow, n: number) => Scripted), env: Record<string, string> = {}) {
  const clock = new FakeClock(Date.UTC(2025, 0, 20));
  const config = testConfig({ LIMITLESS_RETRY_BASE: '10ms', LIMITLESS_RETRY_CAP: '50ms', LIMITLESS_MAX_ATTEMPTS: '3', ...env });
  const limitless = new FakeLimitless(clock, script);
  const store = new MemoryAudioStore();
  const plans = new MemoryPlanStore();
  const publisher = new MemoryPublisher();
  const persistence = new FakePersistence();
  persistence.keys.set(USER, { encryptedKey: KeyCipher.fromHex(ENCRYPTION_KEY_HEX).encrypt(API_KEY, USER), status: 'active' });
  const logs = capturedLogger();
  const metrics = testMetrics();
  const progress = new PipelineProgress(() => clock.now());
  const downloader = new WindowDownloadService(limitless, store, config, clock, () => 0.5, logs.logger, metrics);
  const service = new DayJobService(config, persistence, publisher, store, plans, new ApiKeyService(persistence, config), downloader, progress, clock, logs.logger, metrics);
  let heartbeats = 0;
  const ctx = { working: () => void heartbeats++, deliveryCount: 1 };
  return { clock, limitless, store, plans, publisher, persistence, logs, service, ctx, progress, heartbeats: () => heartbeats };
}

describe('DayJobService', () => {
  it('a reprocess restores archived windows instead of downloading them; only the others reach Limitless', async () => {
    const t = setup([{ status: 200, body: [oggBytes(500)] }]);
    const reprocess = job({ trigger: 'reprocess', jobId: `day:${USER}:2025-01-15:reprocess:${DAY_START}:${DAY_START + 24 * H}` });
    // The first ten two-hour windows are archived; the last two were never kept.
    t.persistence.archived.set(
      USER,
      Array.from({ length: 10 }, (_, i) => ({ windowStartMs: DAY_START + i * 2 * H, windowEndMs: DAY_START + (i + 1) * 2 * H, bytes: 700 + i, sha256: 'a'.repeat(64) })),
    );
    const outcome = await t.service.run(reprocess, t.ctx);
    expect(outcome).toEqual({ status: 'done', planned: 12, skipped: 0, downloaded: 12 });
    expect(t.limitless.requests.map((r) => r.window.startMs)).toEqual([DAY_START + 20 * H, DAY_START + 22 * H]);
    expect(t.persistence.restored).toHaveLength(10);
    expect(t.persistence.restored[0]).toBe(audioObjectName(reprocess, { startMs: DAY_START, endMs: DAY_START + 2 * H }));
    expect(t.publisher.segments).toHaveLength(12);
    expect(t.publisher.segments[0]).toMatchObject({ windowStartMs: DAY_START, audioBytes: 700, limitlessCalls: [] });
  });

  it('with Limitless unreachable, archived windows after the first failed one are still restored (only the others become gaps)', async () => {
    const t = setup([{ transport: 'request failed: ECONNREFUSED' }]);
    const reprocess = job({ trigger: 'reprocess', jobId: `day:${USER}:2025-01-15:reprocess:${DAY_START}:${DAY_START + 24 * H}` });
    // Only the 10:00 and 18:00 windows are archived: the 00:00 window (first) finds Limitless gone.
    t.persistence.archived.set(
      USER,
      [10, 18].map((h) => ({ windowStartMs: DAY_START + h * H, windowEndMs: DAY_START + (h + 2) * H, bytes: 900 + h, sha256: 'c'.repeat(64) })),
    );
    const outcome = await t.service.run(reprocess, t.ctx);
    expect(outcome).toMatchObject({ status: 'done', planned: 12, downloaded: 2 });
    // One window's attempts (LIMITLESS_MAX_ATTEMPTS 3), all for the first window; none after it.
    expect(new Set(t.limitless.requests.map((r) => r.window.startMs))).toEqual(new Set([DAY_START]));
    expect(t.persistence.restored).toHaveLength(2);
    expect(t.publisher.segments.map((s) => s.windowStartMs)).toEqual([DAY_START + 10 * H, DAY_START + 18 * H]);
    const gaps = t.publisher.outcomes.filter((o) => o.status === 'gap');
    expect(gaps).toHaveLength(10);
    expect(gaps.every((g) => g.error?.code === 'api_unreachable')).toBe(true);
  });

  it('windows the archive remembers as empty (404) are recorded empty without a request: a fully archived day needs neither the key nor the API', async () => {
    const t = setup([{ transport: 'request failed: ECONNREFUSED' }]);
    t.persistence.keys.clear();
    const reprocess = job({ trigger: 'reprocess', jobId: `day:${USER}:2025-01-15:reprocess:${DAY_START}:${DAY_START + 24 * H}` });
    const windowAt = (i: number) => ({ windowStartMs: DAY_START + i * 2 * H, windowEndMs: DAY_START + (i + 1) * 2 * H });
    // Audio in four windows (08:00–16:00); Limitless had nothing for the other eight.
    const withAudio = [4, 5, 6, 7];
    t.persistence.archived.set(
      USER,
      withAudio.map((i) => ({ ...windowAt(i), bytes: 800 + i, sha256: 'd'.repeat(64) })),
    );
    // Each 404 came a day after its window (long past INGESTION_LATE_UPLOAD_MINUTES).
    t.persistence.archivedEmpty.set(
      USER,
      Array.from({ length: 12 }, (_, i) => i)
        .filter((i) => !withAudio.includes(i))
        .map((i) => ({ ...windowAt(i), emptyAtMs: windowAt(i).windowEndMs + 24 * H })),
    );
    expect(await t.service.run(reprocess, t.ctx)).toEqual({ status: 'done', planned: 12, skipped: 0, downloaded: 4 });
    expect(t.limitless.requests).toHaveLength(0);
    expect(t.publisher.segments.map((s) => s.windowStartMs)).toEqual(withAudio.map((i) => windowAt(i).windowStartMs));
    // The same outcome as the 404 gave: empty (a done window), no calls, no error — not a gap.
    expect(t.publisher.outcomes).toHaveLength(8);
    expect(t.publisher.outcomes.every((o) => o.status === 'empty' && o.limitlessCalls.length === 0 && o.error === undefined)).toBe(true);
    expect(t.logs.text()).toContain('window recorded empty from the audio archive');
  });

  it('a marker whose 404 came before the late-upload time is not trusted: that window is asked again', async () => {
    const t = setup([{ status: 200, body: [oggBytes(500)] }], { INGESTION_LATE_UPLOAD_MINUTES: '120' });
    const windowAt = (i: number) => ({ windowStartMs: DAY_START + i * 2 * H, windowEndMs: DAY_START + (i + 1) * 2 * H });
    t.persistence.archivedEmpty.set(USER, [
      // A 'today' run saw the 10:00 window empty 30 minutes after it ended: the pendant may upload it later.
      { ...windowAt(5), emptyAtMs: windowAt(5).windowEndMs + 30 * M },
      // Exactly at the late-upload time: trusted.
      ...Array.from({ length: 12 }, (_, i) => i)
        .filter((i) => i !== 5)
        .map((i) => ({ ...windowAt(i), emptyAtMs: windowAt(i).windowEndMs + 120 * M })),
    ]);
    expect(await t.service.run(job(), t.ctx)).toMatchObject({ status: 'done', planned: 12, downloaded: 1 });
    expect(t.limitless.requests.map((r) => r.window.startMs)).toEqual([windowAt(5).windowStartMs]);
    expect(t.publisher.segments.map((s) => s.windowStartMs)).toEqual([windowAt(5).windowStartMs]);
    expect(t.publisher.outcomes.filter((o) => o.status === 'empty')).toHaveLength(11);
    expect(t.logs.text()).toContain('asked again (late uploads)');
  });

  it('an archive that answers for every window needs no key at all; a failed archive lookup falls back to Limitless', async () => {
    const t = setup([{ status: 200, body: [oggBytes(500)] }]);
    t.persistence.keys.clear();
    t.persistence.archived.set(
      USER,
      Array.from({ length: 12 }, (_, i) => ({ windowStartMs: DAY_START + i * 2 * H, windowEndMs: DAY_START + (i + 1) * 2 * H, bytes: 10, sha256: 'b'.repeat(64) })),
    );
    expect(await t.service.run(job(), t.ctx)).toMatchObject({ status: 'done', downloaded: 12 });
    expect(t.limitless.requests).toHaveLength(0);

    const u = setup([{ status: 200, body: [oggBytes(500)] }]);
    u.persistence.archivedWindows = () => Promise.reject(new Error('no responders'));
    expect(await u.service.run(job(), u.ctx)).toMatchObject({ status: 'done', downloaded: 12 });
    expect(u.limitless.requests).toHaveLength(12);
    expect(u.logs.text()).toContain('could not ask for archived windows');
  });

  it('a day: 12 two-hour windows, one SegmentReady each, planned reported first, key decrypted with AAD = user id', async () => {
    const t = setup([{ status: 200, body: [oggBytes(500)] }]);
    const outcome = await t.service.run(job(), t.ctx);
    expect(outcome).toEqual({ status: 'done', planned: 12, skipped: 0, downloaded: 12 });
    expect(t.publisher.progress).toMatchObject([{ status: 'planned', windowsPlanned: 12, windowsSkipped: 0 }]);
    expect(t.publisher.segments).toHaveLength(12);
    expect(t.limitless.requests.every((r) => r.apiKey === API_KEY)).toBe(true);
    expect(t.limitless.requests.every((r) => r.window.endMs - r.window.startMs === 2 * H)).toBe(true);
    const first = t.publisher.segments[0];
    expect(first).toMatchObject({ jobId: job().jobId, windowStartMs: DAY_START, windowEndMs: DAY_START + 2 * H, audioBytes: 500, trigger: 'nightly' });
    expect(first.audioObject).toBe(audioObjectName(job(), { startMs: DAY_START, endMs: DAY_START + 2 * H }));
    expect(first.limitlessCalls).toHaveLength(1);
    expect(t.store.objects.size).toBe(12);
    expect(t.heartbeats()).toBe(12);
    expect(t.progress.progressCount).toBe(12);
  });

  it('respects INGESTION_WINDOW_MINUTES and skips windows persistence says are done', async () => {
    const t = setup([{ status: 404, json: { error: 'No audio found for the requested range' } }], { INGESTION_WINDOW_MINUTES: '60' });
    t.persistence.done = [
      { startMs: DAY_START, endMs: DAY_START + 3 * H, status: 'processed' },
      { startMs: DAY_START + 3 * H, endMs: DAY_START + 4 * H, status: 'gap' },
    ];
    const outcome = await t.service.run(job(), t.ctx);
    expect(outcome).toMatchObject({ planned: 24, skipped: 3, downloaded: 0 });
    expect(t.publisher.outcomes).toHaveLength(21);
    expect(t.publisher.outcomes.every((o) => o.status === 'empty')).toBe(true);
    expect(t.publisher.outcomes[0].windowStartMs).toBe(DAY_START + 3 * H);
  });

  it("a nightly job downloads again what a 'today' run recorded before late uploads (INGESTION_LATE_UPLOAD_MINUTES); a today job does not", async () => {
    const early = { status: 'processed' as const, trigger: 'today', recordedAtMs: DAY_START + 4 * H + 30 * M };
    const done = [
      { startMs: DAY_START, endMs: DAY_START + 2 * H, ...early },
      { startMs: DAY_START + 2 * H, endMs: DAY_START + 4 * H, ...early },
    ];
    const nightly = setup([{ status: 404, json: { error: 'none' } }], { INGESTION_LATE_UPLOAD_MINUTES: '120' });
    nightly.persistence.done = done;
    expect(await nightly.service.run(job(), nightly.ctx)).toMatchObject({ planned: 12, skipped: 1 });
    expect(nightly.publisher.outcomes[0].windowStartMs).toBe(DAY_START + 2 * H);

    const today = setup([{ status: 404, json: { error: 'none' } }]);
    today.persistence.done = done;
    expect(await today.service.run(job({ trigger: 'today' }), today.ctx)).toMatchObject({ planned: 12, skipped: 2 });
  });

  it('reprocess ignores done windows without asking persistence', async () => {
    const t = setup([{ status: 404, json: { error: 'none' } }]);
    t.persistence.done = [{ startMs: DAY_START, endMs: DAY_START + 24 * H, status: 'processed' }];
    const outcome = await t.service.run(job({ trigger: 'reprocess' }), t.ctx);
    expect(outcome).toMatchObject({ planned: 12, skipped: 0 });
    expect(t.persistence.windowsDoneCalls).toBe(0);
  });

  it('everything done: plans, reports, and never fetches the key', async () => {
    const t = setup([]);
    t.persistence.done = [{ startMs: DAY_START - H, endMs: DAY_START + 25 * H, status: 'empty' }];
    t.persistence.keys.clear();
    expect(await t.service.run(job(), t.ctx)).toEqual({ status: 'done', planned: 12, skipped: 12, downloaded: 0 });
    expect(t.limitless.requests).toHaveLength(0);
  });

  it('401 mid-job: marks the key invalid, reports key_invalid, stops without touching later windows', async () => {
    const t = setup((_w, n) => (n < 2 ? { status: 200, body: [oggBytes(100)] } : { status: 401, json: { error: 'Invalid API key' } }));
    const outcome = await t.service.run(job(), t.ctx);
    expect(outcome).toEqual({ status: 'key_invalid' });
    expect(t.limitless.requests).toHaveLength(3);
    expect(t.publisher.segments).toHaveLength(2);
    expect(t.persistence.invalidated).toEqual([{ userId: USER, reason: 'Limitless rejected the key: HTTP 401: Invalid API key' }]);
    expect(t.publisher.progress.map((p) => p.status)).toEqual(['planned', 'key_invalid']);
    expect(t.publisher.progress[1]).toMatchObject({ windowsPlanned: 12, error: { code: 'key_invalid' } });
  });

  it('a key already marked invalid: key_invalid without calling Limitless', async () => {
    const t = setup([]);
    t.persistence.keys.set(USER, { encryptedKey: 'AAAA', status: 'invalid' });
    expect(await t.service.run(job(), t.ctx)).toEqual({ status: 'key_invalid' });
    expect(t.limitless.requests).toHaveLength(0);
  });

  it('no key, or a key that does not decrypt: a permanent failure (dead letter + failed progress)', async () => {
    const t = setup([]);
    t.persistence.keys.clear();
    await expect(t.service.run(job(), t.ctx)).rejects.toMatchObject({ name: 'PermanentError', message: /no Limitless API key/ });
    t.persistence.keys.set(USER, { encryptedKey: KeyCipher.fromHex(ENCRYPTION_KEY_HEX).encrypt(API_KEY, 'another-user'), status: 'active' });
    await expect(t.service.run(job(), t.ctx)).rejects.toMatchObject({ name: 'PermanentError', message: /could not be decrypted/ });
    await t.service.reportFailed(job(), 'permanent failure: no key');
    expect(t.publisher.progress.at(-1)).toMatchObject({ status: 'failed', error: { code: 'job_failed', message: 'permanent failure: no key' } });
  });

  it('a redelivered job publishes no segment twice: published windows are skipped, stored-but-unpublished ones are published without a new download', async () => {
    const t = setup([{ status: 200, body: [oggBytes(100)] }], { INGESTION_WINDOW_MINUTES: '120' });
    const short = job({ endMs: DAY_START + 6 * H });
    await t.service.run(short, t.ctx);
    expect(t.publisher.segments).toHaveLength(3);
    // Crash after storing window 3 but before its SegmentReady was marked published:
    const third = [...t.store.objects.values()][2];
    third.published = false;
    t.publisher.segments.length = 0;
    const before = t.limitless.requests.length;
    await t.service.run(short, { ...t.ctx, deliveryCount: 2 });
    expect(t.limitless.requests.length).toBe(before);
    expect(t.publisher.segments.map((s) => s.windowStartMs)).toEqual([DAY_START + 4 * H]);
  });

  it('a redelivery after partial progress reuses the first plan: same planned/skipped, no re-download of what its first delivery settled', async () => {
    const t = setup([{ status: 200, body: [oggBytes(100)] }]);
    t.persistence.done = [{ startMs: DAY_START, endMs: DAY_START + 2 * H, status: 'processed' }];
    const short = job({ endMs: DAY_START + 8 * H });
    await t.service.run(short, t.ctx);
    expect(t.publisher.progress[0]).toMatchObject({ windowsPlanned: 4, windowsSkipped: 1 });
    // Meanwhile persistence stored this job's first two windows and deleted their audio.
    t.persistence.done.push(
      { startMs: DAY_START + 2 * H, endMs: DAY_START + 4 * H, status: 'processed' },
      { startMs: DAY_START + 4 * H, endMs: DAY_START + 6 * H, status: 'empty' },
    );
    t.store.objects.clear();
    const before = t.limitless.requests.length;
    await t.service.run(short, { ...t.ctx, deliveryCount: 2 });
    expect(t.publisher.progress[1]).toMatchObject({ status: 'planned', windowsPlanned: 4, windowsSkipped: 1 });
    expect(t.limitless.requests.slice(before).map((r) => r.window.startMs)).toEqual([DAY_START + 6 * H]);
    await t.service.reportFailed(short, 'gave up');
    expect(t.publisher.progress.at(-1)).toMatchObject({ status: 'failed', windowsPlanned: 4, windowsSkipped: 1 });
  });

  it('gap and failed windows become WindowOutcomes with their calls and error', async () => {
    const t = setup((w) => (w.startMs === DAY_START ? { status: 500, json: { error: 'boom' } } : { status: 400, json: { error: 'bad range' } }));
    await t.service.run(job({ endMs: DAY_START + 4 * H }), t.ctx);
    expect(t.publisher.outcomes.map((o) => [o.status, o.error?.code, o.limitlessCalls.length])).toEqual([
      ['gap', 'limitless_unavailable', 3],
      ['failed', 'bad_request', 1],
    ]);
  });

  it('never plans windows in the future', async () => {
    const t = setup([{ status: 200, body: [oggBytes(100)] }]);
    t.clock.nowMs = DAY_START + 5 * H;
    const outcome = await t.service.run(job({ trigger: 'today' }), t.ctx);
    expect(outcome).toMatchObject({ planned: 3 });
    expect(t.limitless.requests.at(-1)?.window.endMs).toBe(DAY_START + 5 * H);
  });

  it('shutdown: no new window starts; the job is handed back (transient error → nak)', async () => {
    const t = setup([{ status: 200, body: [oggBytes(100)] }]);
    t.service.beginShutdown(1_000);
    await expect(t.service.run(job(), t.ctx)).rejects.toBeInstanceOf(ShutdownInterruption);
    t.service.endShutdown();
    expect(t.limitless.requests).toHaveLength(0);
  });

  it('logs never contain the API key or its ciphertext', async () => {
    const t = setup((_w, n) => (n === 0 ? { status: 503, json: { error: 'x' } } : { status: 401, json: { error: 'Invalid API key' } }));
    await t.service.run(job(), t.ctx);
    const encrypted = t.persistence.keys.get(USER)?.encryptedKey as string;
    expect(t.logs.lines.length).toBeGreaterThan(2);
    expect(t.logs.text()).not.toContain(API_KEY);
    expect(t.logs.text()).not.toContain(encrypted);
  });
});
