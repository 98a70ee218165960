import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { messageIds } from '@giggles/contracts';
import { addDays, startOfLocalDay, todayIn } from '../../src/lib/format';

/**
 * Processed nights for a browser test, written through persistence's own write path — the SQL
 * functions its results consumer calls for a real night (`giggles_register_job`,
 * `giggles_record_job_progress`, `giggles_record_window_outcome`, `giggles_record_segment_result`)
 * — with a playable WAV clip per laugh in persistence's clip directory, where it would have put it.
 */

const HOUR = 3_600_000;
/** Ingestion's window size: 12 windows a day. */
const WINDOW_MS = 2 * HOUR;
const CLIP_SAMPLE_RATE = 16_000;
/** Seconds of audio kept around a laugh (the detector's clip padding). */
const CLIP_PADDING_S = 2;

export type Sql = (text: string, params?: unknown[]) => Promise<unknown[]>;

export interface SeededLaugh {
  localTime: string;
  startMs: number;
  durationS: number;
  probability: number;
}

export interface SeededDays {
  /** Yesterday in the user's zone: 08:00–22:00 recorded, with laughs. */
  processedDate: string;
  laughs: SeededLaugh[];
  /** The day before: every window empty (the pendant recorded nothing). */
  noAudioDate: string;
  /** Two days before yesterday: recorded, no laughs, and the 12:00–14:00 window failed. */
  failedDate: string;
}

/**
 * Local times (HH:mm:ss), durations and peak scores of the laughs on the processed day. The scores
 * are as YAMNet gives real laughs (lib/laugh-strength.ts): one strong, two clear, one faint.
 */
const LAUGHS: Array<[string, number, number]> = [
  ['09:14:05', 2.4, 0.57],
  ['12:41:30', 1.5, 0.07],
  ['18:05:12', 3.1, 0.27],
  ['20:33:47', 1.2, 0.13],
];

export async function seedDays(sql: Sql, clipDir: string, user: { userId: string; timezone: string }): Promise<SeededDays> {
  const processedDate = addDays(todayIn(user.timezone), -1);
  const noAudioDate = addDays(processedDate, -1);
  const failedDate = addDays(processedDate, -2);
  await seedDay(sql, clipDir, user, failedDate, [], { worn: true, failedHour: 12 });
  await seedDay(sql, clipDir, user, noAudioDate, []);
  const laughs = LAUGHS.map(([time, durationS, probability]) => {
    const [h, m, s] = time.split(':').map(Number);
    return { localTime: time, startMs: startOfLocalDay(processedDate, user.timezone) + ((h * 60 + m) * 60 + s) * 1000, durationS, probability };
  });
  await seedDay(sql, clipDir, user, processedDate, laughs);
  return { processedDate, laughs, noAudioDate, failedDate };
}

/**
 * `days` processed days ending yesterday, each with the same four laughs (bench:web's home page
 * with data); returns the dates, newest first.
 */
export async function seedRecentDays(sql: Sql, clipDir: string, user: { userId: string; timezone: string }, days: number): Promise<string[]> {
  const yesterday = addDays(todayIn(user.timezone), -1);
  const dates = Array.from({ length: days }, (_, i) => addDays(yesterday, -i));
  for (const date of dates) {
    const dayStart = startOfLocalDay(date, user.timezone);
    const laughs = LAUGHS.map(([time, durationS, probability]) => {
      const [h, m, s] = time.split(':').map(Number);
      return { localTime: time, startMs: dayStart + ((h * 60 + m) * 60 + s) * 1000, durationS, probability };
    });
    await seedDay(sql, clipDir, user, date, laughs);
  }
  return dates;
}

async function seedDay(
  sql: Sql,
  clipDir: string,
  user: { userId: string; timezone: string },
  localDate: string,
  laughs: SeededLaugh[],
  options: { worn?: boolean; failedHour?: number } = {},
): Promise<void> {
  const startMs = startOfLocalDay(localDate, user.timezone);
  const endMs = startOfLocalDay(addDays(localDate, 1), user.timezone);
  const jobId = messageIds.dayJob(user.userId, localDate, 'nightly', startMs, endMs);
  const common = { jobId, userId: user.userId, localDate, trigger: 'nightly' };
  const windows: Array<{ startMs: number; endMs: number }> = [];
  for (let t = startMs; t < endMs; t += WINDOW_MS) windows.push({ startMs: t, endMs: Math.min(t + WINDOW_MS, endMs) });
  await sql('SELECT public.giggles_register_job($1::jsonb)', [JSON.stringify({ ...common, timezone: user.timezone, startMs, endMs })]);
  await sql('SELECT public.giggles_record_job_progress($1::jsonb)', [
    JSON.stringify({ ...common, timezone: user.timezone, status: 'planned', windowsPlanned: windows.length, windowsSkipped: 0 }),
  ]);
  const worn = options.worn ?? laughs.length > 0;
  for (const w of windows) {
    const hour = (w.startMs - startMs) / HOUR;
    const call = { status: 200, durationMs: 800, bytes: 2_000_000, at: new Date(endMs + 2 * HOUR).toISOString() };
    if (worn && hour === options.failedHour) {
      await sql('SELECT public.giggles_record_window_outcome($1::jsonb)', [
        JSON.stringify({
          ...common,
          windowStartMs: w.startMs,
          windowEndMs: w.endMs,
          status: 'failed',
          error: { kind: 'limitless', message: 'Limitless kept answering 503' },
          limitlessCalls: [{ ...call, status: 503, bytes: 0 }],
        }),
      ]);
      continue;
    }
    if (!worn || hour < 8 || hour >= 22) {
      await sql('SELECT public.giggles_record_window_outcome($1::jsonb)', [
        JSON.stringify({ ...common, windowStartMs: w.startMs, windowEndMs: w.endMs, status: 'empty', limitlessCalls: [{ ...call, status: 404, bytes: 0 }] }),
      ]);
      continue;
    }
    const events = [];
    for (const l of laughs.filter((x) => x.startMs >= w.startMs && x.startMs < w.endMs)) {
      const clipPath = `${user.userId}/${localDate}/${l.startMs}-13.wav`;
      const file = join(clipDir, clipPath);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, laughClip(l.durationS));
      const endMsOfLaugh = l.startMs + Math.round(l.durationS * 1000);
      events.push({
        startMs: l.startMs,
        endMs: endMsOfLaugh,
        peakMs: Math.round((l.startMs + endMsOfLaugh) / 2),
        probability: l.probability,
        meanProbability: Math.round(l.probability * 0.8 * 1000) / 1000,
        classId: 13,
        className: 'Laughter',
        clipPath,
      });
    }
    await sql('SELECT public.giggles_record_segment_result($1::jsonb)', [
      JSON.stringify({
        ...common,
        windowStartMs: w.startMs,
        windowEndMs: w.endMs,
        status: 'processed',
        decodedSeconds: Math.round((w.endMs - w.startMs) / 1000) - 300,
        modelVersion: 'web-test-seed',
        processingMs: 12_000,
        events,
        limitlessCalls: [call],
      }),
    ]);
  }
}

/**
 * A 16 kHz mono 16-bit WAV: quiet room noise for the padding, and for the laugh itself bursts of
 * a voiced tone about five times a second ("ha-ha-ha") — so the waveform shows where the laugh is.
 */
export function laughClip(laughS: number): Buffer {
  const total = Math.round((laughS + 2 * CLIP_PADDING_S) * CLIP_SAMPLE_RATE);
  const data = Buffer.alloc(total * 2);
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff - 0.5;
  };
  for (let i = 0; i < total; i++) {
    const t = i / CLIP_SAMPLE_RATE;
    let v = noise() * 0.04;
    if (t >= CLIP_PADDING_S && t < CLIP_PADDING_S + laughS) {
      const burst = Math.max(0, Math.sin(2 * Math.PI * 4.5 * (t - CLIP_PADDING_S)));
      v += burst * 0.6 * (Math.sin(2 * Math.PI * 220 * t) * 0.7 + Math.sin(2 * Math.PI * 660 * t) * 0.3);
    }
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(CLIP_SAMPLE_RATE, 24);
  header.writeUInt32LE(CLIP_SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
