/**
 * Recordings from any source, end to end: `giggles import` (run in-process against the real
 * persistence, ingestion and inference processes) for a user with NO Limitless key. Files are
 * generated here with ffmpeg from the eval recording (never committed):
 * - one Ogg crossing local midnight → two days, each laugh on its own day, audio counted once;
 * - the same slice as MP3, M4A/AAC, FLAC and WebM → each decodes and finds laughs;
 * - a WAV of the MP3's slice placed at the same time → no laugh counted twice;
 * - the same file twice → "already imported";
 * - a WAV declaring a 4 GHz sample rate and an unplaceable name → refused with the reason, the
 *   others go on.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerImport, type OperatorIo } from '@giggles/cli';
import { QUERIES, type ImportRecord } from '@giggles/contracts';
import { startStack, type Stack } from '@giggles/e2e';
import { request } from '@giggles/messaging';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_DIR, logDirPolicy, SUITE_ENV, suiteLog } from './support/settings';

const SOURCE = join(EVAL_DIR, 'long_d1.ogg');
const TZ = 'Europe/Berlin';
/** 2026-11-30 23:59:40 Berlin (UTC+1): the crossing file's start; its laughs at 232.9 s and 244.6 s of long_d1 land 12.9 s before and 4.6 s after midnight. */
const CROSSING_START = Date.UTC(2026, 10, 30, 22, 59, 40);
const MIDNIGHT = Date.UTC(2026, 10, 30, 23);

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A slice of the eval recording as `codecArgs` (an MP4/Matroska container is fine: ffmpeg decodes it in inference). */
function slice(out: string, fromS: number, seconds: number, codecArgs: string[]): void {
  ffmpeg(['-ss', String(fromS), '-t', String(seconds), '-i', SOURCE, '-ac', '1', ...codecArgs, out]);
}

/** A WAV header declaring 4 GHz (844 bytes in all, as in the issue): the decoder must refuse it in kilobytes. */
function hostileWav(path: string): void {
  const data = 800;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(4_000_000_000, 24);
  b.writeUInt32LE(4_000_000_000 % 2 ** 32, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  writeFileSync(path, b);
}

interface CliResult {
  out: string;
  err: string;
  exitCode: number;
}

async function giggles(natsUrl: string, args: string[]): Promise<CliResult> {
  const result: CliResult = { out: '', err: '', exitCode: -1 };
  const io: OperatorIo = {
    out: (t) => void (result.out += t),
    err: (t) => void (result.err += t),
    setExitCode: (c) => void (result.exitCode = c),
    env: { NATS_URL: natsUrl },
    now: () => Date.now(),
  };
  const program = new Command().exitOverride();
  registerImport(program, io);
  await program.parseAsync(['node', 'giggles', 'import', ...args]);
  return result;
}

describe('imports end to end: giggles import for a user without a Limitless key', () => {
  let stack: Stack;
  let dir: string;
  let userId: string;
  const email = `importer-${randomUUID().slice(0, 8)}@example.test`;
  let first: CliResult;
  let imports: ImportRecord[];
  let setupCompleted = false;

  const list = async () => (await request(stack.nc, QUERIES.importsList, { userId, limit: 50 })).imports;
  const byName = (name: string) => imports.find((i) => i.fileName === name);
  const partJobs = (records: ImportRecord[]) => records.filter((r) => r.state !== 'rejected').flatMap((r) => r.days.map((d) => `import-${r.importId}-${d.localDate}`));

  beforeAll(async () => {
    stack = await startStack({
      users: [{ timezone: 'UTC', hours: 0 }],
      recordings: [SOURCE],
      env: SUITE_ENV,
      only: ['persistence', 'ingestion', 'inference'],
      log: suiteLog,
    });
    userId = randomUUID();
    // No limitless_keys row: this user has never had a key.
    await stack.query(`INSERT INTO users (id, email, timezone) VALUES ($1, $2, $3)`, [userId, email, TZ]);

    dir = mkdtempSync(join(tmpdir(), 'giggles-import-e2e-'));
    slice(join(dir, '20261130_235940.ogg'), 220, 40, ['-c:a', 'libopus', '-b:a', '24k']);
    slice(join(dir, 'REC_20261130-100000.mp3'), 70, 60, ['-c:a', 'libmp3lame', '-b:a', '64k']);
    slice(join(dir, '2026-11-30 11.00.00.m4a'), 70, 60, ['-c:a', 'aac', '-b:a', '64k']);
    slice(join(dir, '2026-11-30T12:00:00.flac'), 70, 60, ['-c:a', 'flac']);
    slice(join(dir, 'VID_20261130_130000.webm'), 70, 60, ['-c:a', 'libopus', '-b:a', '32k']);
    hostileWav(join(dir, '20261130_140000.wav'));
    slice(join(dir, 'memo.ogg'), 0, 5, ['-c:a', 'libopus']);

    first = await giggles(stack.harness.natsUrl!, ['--user', email, dir]);
    imports = await list();
    await stack.waitForJobs(partJobs(imports), { timeoutMs: 600_000 });
    imports = await list();
    setupCompleted = true;
  });

  const cleanLogs = logDirPolicy(afterEach);

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    cleanLogs(stack?.logDir, setupCompleted);
  });

  it('prints one line per file (where it lands, or why not) and a summary; refusals do not stop the others', () => {
    expect(first.out).toMatch(/✓ .*20261130_235940\.ogg: 2026-11-30 23:59:40 → 2026-12-01 00:00:20 \(\+01:00\) Europe\/Berlin \(from its name, split over 2026-11-30 and 2026-12-01\); processing/);
    expect(first.out).toMatch(/✓ .*REC_20261130-100000\.mp3: 2026-11-30 10:00:00 → 10:01:00 \(\+01:00\) Europe\/Berlin \(from its name\)/);
    expect(first.out).toMatch(/✗ .*20261130_140000\.wav: refused \(CORRUPT\): the audio is damaged: .*sample rate/i);
    expect(first.out).toMatch(/✗ .*memo\.ogg: refused \(CANNOT_PLACE\): cannot place this file.*give --start/);
    expect(first.out).toMatch(/7 files: 5 imported, 0 already imported, 2 refused\n$/);
    expect(first.exitCode).toBe(1);
    expect(first.err).toBe('giggles: import: 2 of 7 files not imported\n');
  });

  it('decodes MP3, M4A/AAC, FLAC and WebM and finds the laughs in each', async () => {
    for (const name of ['REC_20261130-100000.mp3', '2026-11-30 11.00.00.m4a', '2026-11-30T12:00:00.flac', 'VID_20261130_130000.webm']) {
      const record = byName(name)!;
      expect(record, name).toBeDefined();
      expect(record.state, `${name}: ${JSON.stringify(record.error)}`).toBe('done');
      expect(record.days).toHaveLength(1);
      // long_d1 has laughs at 82.2–86.5 s, 108–111.5 s and 123.4–124.5 s: 12–54 s into the slice.
      expect(record.laughs, name).toBeGreaterThanOrEqual(1);
      const [segment] = await stack.query<{ decoded_seconds: number; status: string; trigger: string }>(
        `SELECT decoded_seconds, status, trigger FROM audio_segments WHERE user_id = $1 AND job_id = $2`,
        [userId, `import-${record.importId}-2026-11-30`],
      );
      expect(segment).toMatchObject({ status: 'processed', trigger: 'import' });
      expect(segment.decoded_seconds).toBeGreaterThan(59);
      expect(segment.decoded_seconds).toBeLessThan(61);
    }
  });

  it('splits a file crossing local midnight into both days, each laugh on its own day, audio counted once', async () => {
    const record = byName('20261130_235940.ogg')!;
    expect(record).toMatchObject({ state: 'done', startMs: CROSSING_START });
    expect(Math.abs(record.endMs! - (CROSSING_START + 40_000))).toBeLessThan(100); // Opus pre-skip/padding: a few ms
    expect(record.days.map((d) => d.localDate)).toEqual(['2026-11-30', '2026-12-01']);
    const laughs = await stack.query<{ local_date: string; start_ms: string }>(
      `SELECT to_char(s.date, 'YYYY-MM-DD') AS local_date, (extract(epoch FROM d."timestamp") * 1000)::bigint AS start_ms
         FROM laughter_detections d JOIN audio_segments s ON s.id = d.audio_segment_id
        WHERE d.user_id = $1 AND d."timestamp" >= to_timestamp($2 / 1000.0) AND d."timestamp" < to_timestamp($3 / 1000.0)`,
      [userId, CROSSING_START, CROSSING_START + 40_000],
    );
    expect(laughs.length).toBeGreaterThanOrEqual(2);
    for (const l of laughs) expect(l.local_date).toBe(Number(l.start_ms) < MIDNIGHT ? '2026-11-30' : '2026-12-01');
    expect(new Set(laughs.map((l) => l.local_date))).toEqual(new Set(['2026-11-30', '2026-12-01']));
    const seconds = await stack.query<{ total: number }>(
      `SELECT sum(decoded_seconds)::float AS total FROM audio_segments WHERE user_id = $1 AND job_id LIKE $2`,
      [userId, `import-${record.importId}-%`],
    );
    expect(seconds[0].total).toBeGreaterThan(39);
    expect(seconds[0].total).toBeLessThan(41);
    // The processing logs of both days count the import.
    const logs = await stack.query<{ date: string; status: string; audio_seconds: number }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, status, audio_seconds FROM processing_logs WHERE user_id = $1 AND trigger = 'import' ORDER BY date`,
      [userId],
    );
    expect(logs.map((l) => l.date)).toContain('2026-12-01');
    expect(logs.every((l) => l.status === 'completed')).toBe(true);
  });

  it('refuses the same file twice, and an overlapping recording counts no laugh twice', async () => {
    const copy = join(dir, 'again', 'copy of mp3.mp3');
    execFileSync('mkdir', ['-p', join(dir, 'again')]);
    copyFileSync(join(dir, 'REC_20261130-100000.mp3'), copy);
    const again = await giggles(stack.harness.natsUrl!, ['--user', email, copy]);
    expect(again.out).toMatch(/= .*copy of mp3\.mp3: already imported \(as REC_20261130-100000\.mp3, done, 2026-11-30 10:00:00/);
    expect(again.exitCode).toBe(0);

    const mp3 = byName('REC_20261130-100000.mp3')!;
    const before = await stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM laughter_detections WHERE user_id = $1 AND deleted_at IS NULL`, [userId]);
    // The same minute as WAV, placed at the same time: a different file (new sha256), the same laughs.
    const wav = join(dir, 'again', 'same minute.wav');
    slice(wav, 70, 60, ['-c:a', 'pcm_s16le', '-ar', '16000']);
    const badWait = await giggles(stack.harness.natsUrl!, ['--user', email, '--wait', '--wait-timeout', '0', wav]);
    expect(badWait.err).toMatch(/--wait-timeout must be a whole number of seconds from 1 to 86400, got "0"/);
    expect(badWait.exitCode).not.toBe(0);
    // --wait: the command returns once the import is processed, with its laughs per day.
    const overlap = await giggles(stack.harness.natsUrl!, ['--user', email, '--start', '2026-11-30T10:00:00', '--wait', '--wait-timeout', '300', wav]);
    expect(overlap.out).toMatch(/✓ .*same minute\.wav: 2026-11-30 10:00:00 → 10:01:00 .*from --start/);
    expect(overlap.out).toMatch(/waiting for 1 import to be processed…\n✓ .*same minute\.wav: processed — \d+ laughs? on 2026-11-30 \(2026-11-30 10:00:00/);
    expect(overlap.exitCode).toBe(0);
    const records = await list();
    await stack.waitForJobs(partJobs(records.filter((r) => r.fileName === 'same minute.wav')), { timeoutMs: 300_000 });
    const after = await stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM laughter_detections WHERE user_id = $1 AND deleted_at IS NULL`, [userId]);
    expect(after[0].n).toBe(before[0].n);
    const wavRecord = (await list()).find((r) => r.fileName === 'same minute.wav')!;
    expect(wavRecord.state).toBe('done');
    expect(wavRecord.laughs).toBe(mp3.laughs); // the laughs heard in it are the ones already stored
  });

  it('keeps everything for the keyless user and leaves the audio bucket empty', async () => {
    expect(await stack.query(`SELECT 1 FROM limitless_keys WHERE user_id = $1`, [userId])).toEqual([]);
    const days = await request(stack.nc, QUERIES.daysPage, { userId, limit: 10 });
    expect(days.days.map((d) => d.localDate)).toEqual(expect.arrayContaining(['2026-12-01', '2026-11-30']));
    await stack.waitForDrain({ timeoutMs: 60_000 });
    const { Objm } = await import('@nats-io/obj');
    const store = await new Objm(stack.js).open('giggles-audio');
    const left: string[] = [];
    for (const info of await store.list()) if (info.name.startsWith(`imports/${userId}`)) left.push(info.name);
    expect(left).toEqual([]);
  });

  it("a reprocess's clearing of those days keeps the imports' windows and laughs, and the days still count them", async () => {
    const range = { from: '2026-11-30', to: '2026-12-01' };
    const summaries = async () =>
      (await request(stack.nc, QUERIES.daysPage, { userId, limit: 10 })).days
        .filter((d) => d.localDate >= range.from && d.localDate <= range.to)
        .map((d) => ({ localDate: d.localDate, laughCount: d.laughCount, audioSeconds: d.audioSeconds }));
    const before = await summaries();
    expect(before.reduce((n, d) => n + d.laughCount, 0)).toBeGreaterThan(0);
    const cleared = await request(stack.nc, QUERIES.clearDays, { userId, ...range }, { timeoutMs: 30_000 });
    expect(cleared).toMatchObject({ detectionsRemoved: 0, windowsRemoved: 0, logsRemoved: 0 });
    expect(await summaries()).toEqual(before);
  });
});
