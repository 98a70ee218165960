import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { messageIds } from '@giggles/contracts';
import type { Pool } from 'pg';
import { addDays, localDateOf, localDayRange } from './time';

const HOUR = 3_600_000;
/** Ingestion's largest window (Limitless serves at most 2 h per request): 12 windows a day. */
export const SEED_WINDOW_MS = 2 * HOUR;
/** The pendant is worn 08:00–22:00 local time: those windows have audio, the others are empty. */
const WORN_FROM_HOUR = 8;
const WORN_UNTIL_HOUR = 22;
/** Laughs per worn window: 0..MAX, uniform (≈ 1.5 a window, ≈ 10 a day). */
const MAX_LAUGHS_PER_WINDOW = 3;
/** YAMNet's laughter classes the detector reports (id, name). */
const CLASSES: Array<[number, string]> = [[13, 'Laughter'], [14, 'Baby laughter'], [15, 'Giggle'], [17, 'Belly laugh'], [16, 'Snicker']];
const MODEL_VERSION = 'bench-seed';
/** User-days written per SQL round trip. */
const DAYS_PER_BATCH = 31;

export interface SeedUser {
  userId: string;
  email: string;
  timezone: string;
}

export interface SeedOptions {
  users: SeedUser[];
  /** Local days per user, ending yesterday in the user's zone (default 365). */
  days?: number;
  /** FsClipStore root (persistence's CLIP_STORAGE_DIR): a small WAV per laugh is written there. */
  clipDir: string;
  /** Size of each clip file in bytes (a WAV header plus silence-free tone; default 4 KB). */
  clipBytes?: number;
  /** Deterministic data: the same seed gives the same laughs. */
  seed?: number;
  /** Parallel database connections (the pool's size bounds it). */
  concurrency?: number;
  onProgress?: (doneDays: number, totalDays: number) => void;
}

export interface SeedReport {
  userDays: number;
  windows: number;
  detections: number;
  clipFiles: number;
  clipBytes: number;
  seconds: number;
}

/**
 * A year of processed nights for each user, written through persistence's own write path: per
 * user-day the scheduler's `giggles_register_job`, ingestion's plan (`giggles_record_job_progress`),
 * and per 2-hour window `giggles_record_window_outcome` (empty) or `giggles_record_segment_result`
 * (processed, with laughs and their clip paths) — the same SQL functions the results consumer
 * calls, so jobs, windows, logs, counters and detections are exactly what a real night leaves.
 * Batched as `SELECT fn(p) FROM jsonb_array_elements($1)`, a month of one user per round trip.
 * Clip files (a few KB each) are written to the clip directory at the paths persistence would use.
 */
export async function seedYear(pool: Pool, options: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const days = options.days ?? 365;
  const rng = mulberry32(options.seed ?? 1);
  const clip = wavClip(options.clipBytes ?? 4096);
  const report: SeedReport = { userDays: 0, windows: 0, detections: 0, clipFiles: 0, clipBytes: 0, seconds: 0 };
  const batches: Array<() => Promise<void>> = [];
  const datesOf = new Map(
    options.users.map((user) => {
      const yesterday = addDays(localDateOf(Date.now(), user.timezone), -1);
      return [user, Array.from({ length: days }, (_, i) => addDays(yesterday, i - days + 1))];
    }),
  );
  // Month by month across users: concurrent batches are of different users, whose writes do not
  // wait for each other (each write function holds its user's advisory lock).
  for (let i = 0; i < days; i += DAYS_PER_BATCH) {
    for (const user of options.users) {
      const slice = datesOf.get(user)!.slice(i, i + DAYS_PER_BATCH);
      batches.push(async () => {
        // Planned when it runs (synchronously, in task order: the same seed gives the same data) to keep memory flat.
        const batch = planBatch(user, slice, rng);
        await pool.query(
          `SELECT count(public.giggles_register_job(p)) FROM jsonb_array_elements($1::jsonb) p;`,
          [JSON.stringify(batch.registrations)],
        );
        await pool.query(`SELECT count(public.giggles_record_job_progress(p)) FROM jsonb_array_elements($1::jsonb) p`, [JSON.stringify(batch.plans)]);
        await pool.query(`SELECT count(public.giggles_record_window_outcome(p)) FROM jsonb_array_elements($1::jsonb) p`, [JSON.stringify(batch.empty)]);
        await pool.query(`SELECT count(public.giggles_record_segment_result(p)) FROM jsonb_array_elements($1::jsonb) p`, [JSON.stringify(batch.processed)]);
        for (const path of batch.clipPaths) {
          const file = join(options.clipDir, path);
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, clip);
        }
        report.userDays += batch.registrations.length;
        report.windows += batch.empty.length + batch.processed.length;
        report.detections += batch.clipPaths.length;
        report.clipFiles += batch.clipPaths.length;
        report.clipBytes += batch.clipPaths.length * clip.length;
        options.onProgress?.(report.userDays, options.users.length * days);
      });
    }
  }
  await runLimited(batches, options.concurrency ?? 2);
  report.seconds = Math.round((Date.now() - started) / 100) / 10;
  return report;
}

interface PlannedBatch {
  registrations: object[];
  plans: object[];
  empty: object[];
  processed: object[];
  clipPaths: string[];
}

function planBatch(user: SeedUser, dates: string[], rng: () => number): PlannedBatch {
  const out: PlannedBatch = { registrations: [], plans: [], empty: [], processed: [], clipPaths: [] };
  for (const localDate of dates) {
    const { startMs, endMs } = localDayRange(localDate, user.timezone);
    const jobId = messageIds.dayJob(user.userId, localDate, 'nightly', startMs, endMs);
    const common = { jobId, userId: user.userId, localDate, trigger: 'nightly' };
    out.registrations.push({ ...common, timezone: user.timezone, startMs, endMs });
    const windows: Array<{ startMs: number; endMs: number }> = [];
    for (let t = startMs; t < endMs; t += SEED_WINDOW_MS) windows.push({ startMs: t, endMs: Math.min(t + SEED_WINDOW_MS, endMs) });
    out.plans.push({ ...common, timezone: user.timezone, status: 'planned', windowsPlanned: windows.length, windowsSkipped: 0 });
    for (const w of windows) {
      const hour = (w.startMs - startMs) / HOUR;
      const call = { status: 200, durationMs: 800, bytes: 2_000_000, at: new Date(endMs + 2 * HOUR).toISOString() };
      if (hour < WORN_FROM_HOUR || hour >= WORN_UNTIL_HOUR) {
        out.empty.push({ ...common, windowStartMs: w.startMs, windowEndMs: w.endMs, status: 'empty', limitlessCalls: [{ ...call, status: 404, bytes: 0 }] });
        continue;
      }
      const events = [];
      const count = Math.floor(rng() * (MAX_LAUGHS_PER_WINDOW + 1));
      const span = w.endMs - w.startMs;
      for (let e = 0; e < count; e++) {
        // One laugh per slice of the window, so laughs of a window never overlap (the detector merges those).
        const sliceStart = w.startMs + Math.floor((span / count) * e);
        const eventStart = sliceStart + Math.floor(rng() * (span / count - 10_000));
        const eventEnd = eventStart + 500 + Math.floor(rng() * 4_500);
        const [classId, className] = CLASSES[Math.floor(rng() * rng() * CLASSES.length)];
        // Peak scores as YAMNet gives real laughs: 0.02–0.9, most of them low (apps/web laugh-strength.ts).
        const probability = round4(0.02 * 45 ** rng());
        const clipPath = `${user.userId}/${localDate}/${eventStart}-${classId}.wav`;
        events.push({
          startMs: eventStart,
          endMs: eventEnd,
          peakMs: Math.floor((eventStart + eventEnd) / 2),
          probability,
          meanProbability: round4(probability * (0.7 + rng() * 0.25)),
          classId,
          className,
          clipPath,
        });
        out.clipPaths.push(clipPath);
      }
      out.processed.push({
        ...common,
        windowStartMs: w.startMs,
        windowEndMs: w.endMs,
        status: 'processed',
        decodedSeconds: Math.round(span / 1000 - rng() * 600),
        modelVersion: MODEL_VERSION,
        processingMs: 15_000 + Math.floor(rng() * 5_000),
        events,
        limitlessCalls: [call],
      });
    }
  }
  return out;
}

/** The tables a user's processed nights live in, in an order that satisfies their references. */
const USER_TABLES = ['jobs', 'audio_segments', 'laughter_detections', 'processing_logs'] as const;

/**
 * Copies everything `template` has in the night tables to each target user (their `users` rows
 * must exist) with set-based SQL, in one transaction: fresh row ids, job ids suffixed with the
 * target's id, detections re-pointed to the target's copy of their window, clip paths moved to
 * the target's folder — and writes the target's clip files. Used so a year for 50 users takes
 * seconds: a few template users are written through the write functions (seedYear), the rest are
 * their copies (same laughs, own rows and files).
 */
export async function cloneSeededUser(pool: Pool, template: string, targets: string[], clipDir: string, clipBytes = 4096): Promise<{ clipFiles: number }> {
  if (targets.length === 0) return { clipFiles: 0 };
  const columns = new Map<string, string[]>();
  for (const table of USER_TABLES) {
    const { rows } = await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' AND column_name <> 'id'
        ORDER BY ordinal_position`,
      [table],
    );
    columns.set(table, rows.map((r) => r.column_name));
  }
  const expression: Record<string, string> = {
    user_id: 't.target',
    job_id: "src.job_id || '~' || left(t.target::text, 8)",
    clip_path: 'replace(src.clip_path, $1::uuid::text, t.target::text)',
    audio_segment_id: 'seg.id',
  };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const table of USER_TABLES) {
      const cols = columns.get(table)!;
      const select = cols.map((c) => (c in expression ? `${expression[c]}` : `src.${quoteIdent(c)}`)).join(', ');
      const segmentJoin =
        table === 'laughter_detections'
          ? `LEFT JOIN public.audio_segments tseg ON tseg.id = src.audio_segment_id
             LEFT JOIN public.audio_segments seg ON seg.user_id = t.target AND seg.start_time = tseg.start_time AND seg.end_time = tseg.end_time`
          : '';
      await client.query(
        `INSERT INTO public.${table} (${cols.map(quoteIdent).join(', ')})
         SELECT ${select}
           FROM public.${table} src
          CROSS JOIN unnest($2::uuid[]) AS t(target)
          ${segmentJoin}
          WHERE src.user_id = $1::uuid`,
        [template, targets],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const { rows } = await pool.query<{ clip_path: string }>('SELECT clip_path FROM public.laughter_detections WHERE user_id = ANY($1) AND clip_path IS NOT NULL', [targets]);
  const clip = wavClip(clipBytes);
  const made = new Set<string>();
  await runLimited(
    rows.map(({ clip_path }) => async () => {
      const file = join(clipDir, clip_path);
      const dir = dirname(file);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      await writeFile(file, clip);
    }),
    8,
  );
  return { clipFiles: rows.length };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A valid 16 kHz mono 16-bit WAV of `bytes` bytes (a quiet 440 Hz tone). */
export function wavClip(bytes: number): Buffer {
  const dataBytes = Math.max(2, (bytes - 44) & ~1);
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8);
  buf.write('fmt ', 12);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(16_000, 24);
  buf.writeUInt32LE(32_000, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < dataBytes / 2; i++) buf.writeInt16LE(Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)), 44 + i * 2);
  return buf;
}

async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

/** Small seeded PRNG (mulberry32): the same seed, the same year. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
