import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { COMMANDS, type CommandJob } from '@giggles/contracts';
import { request } from '@giggles/messaging';
import { oggFilesIn, type LimitlessSimulator } from '@giggles/testing';
import { type NatsConnection } from '@nats-io/transport-node';
import type { Stack } from './stack';
import { localDayRange, tzOffsetMs } from './time';

const HOUR = 3_600_000;
/** The demo pendant's day: recordings spread from 08:00 to 22:00 local time (a waking day, not back to back from midnight). */
export const DEMO_DAY_FIRST_HOUR = 8;
export const DEMO_DAY_LAST_HOUR = 22;
/**
 * Ingestion's default window (INGESTION_WINDOW_MINUTES = 120): recordings start on a window's
 * start where they can, so a window's decoded audio is the recording, not silence before it.
 */
const WINDOW_MS = 2 * HOUR;

export interface DemoPlacement {
  file: string;
  startMs: number;
  endMs: number;
}

/**
 * The .ogg recordings of `dir` (name order); a clear error naming `--recordings DIR` when the
 * directory is missing or holds none.
 */
export function demoRecordings(dir: string): string[] {
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new Error(`no recordings: ${path} does not exist. Pass a directory of Ogg Opus recordings with --recordings DIR (the development recordings live in ../shared/eval beside the checkout)`);
  }
  const files = oggFilesIn(path);
  if (files.length === 0) throw new Error(`no recordings: ${path} holds no .ogg file. Pass a directory of Ogg Opus recordings with --recordings DIR`);
  return files;
}

/**
 * Puts the recordings on the simulated pendant's timeline for one local day: recording i of n
 * starts at DEMO_DAY_FIRST_HOUR + i·(span / n) local time, moved back to the start of its 2-hour
 * window (or right after the previous recording when that runs longer), and what would start after DEMO_DAY_LAST_HOUR is left out, so the day has
 * audio in the morning, the afternoon and the evening, with silence (no audio) between.
 */
export function placeDemoDay(simulator: LimitlessSimulator, apiKey: string, files: string[], localDate: string, timezone: string): DemoPlacement[] {
  const { startMs: midnight, endMs: dayEnd } = localDayRange(localDate, timezone);
  const first = localHourMs(midnight, DEMO_DAY_FIRST_HOUR, timezone);
  const last = Math.min(dayEnd, localHourMs(midnight, DEMO_DAY_LAST_HOUR, timezone));
  const slot = (last - first) / files.length;
  const placed: DemoPlacement[] = [];
  let earliest = first;
  for (const [i, file] of files.entries()) {
    const slotStart = first + i * slot;
    const onWindow = midnight + Math.floor((slotStart - midnight) / WINDOW_MS) * WINDOW_MS;
    const at = Math.ceil(Math.max(earliest, onWindow >= first ? onWindow : slotStart));
    if (at >= last) break;
    const p = simulator.addRecording(apiKey, at, file);
    placed.push({ file, startMs: p.startMs, endMs: p.endMs });
    earliest = p.endMs + 1;
  }
  simulator.addKey(apiKey);
  return placed;
}

/** The instant the local clock shows `hour`:00 on the day that starts at `midnightMs` (DST changes in between counted). */
function localHourMs(midnightMs: number, hour: number, timezone: string): number {
  const naive = midnightMs + hour * HOUR;
  return naive - (tzOffsetMs(naive, timezone) - tzOffsetMs(midnightMs, timezone));
}

/**
 * Processes one local day of a user through the scheduler's process-day command and waits until
 * the job is finished and the pipeline has drained. When the scheduler's own tick got there
 * first (`already_done` / `already_queued`), waits for every job of that day instead.
 */
export async function processDemoNight(
  stack: Stack,
  nc: NatsConnection,
  userId: string,
  localDate: string,
  options: { timeoutMs?: number } = {},
): Promise<{ job: CommandJob; jobIds: string[] }> {
  const { job } = await request(nc, COMMANDS.processDay, { userId, localDate }, { timeoutMs: 30_000 });
  let jobIds = [job.jobId];
  if (job.state !== 'queued') {
    const rows = await stack.query<{ job_id: string }>('SELECT job_id FROM public.jobs WHERE user_id = $1 AND local_date = $2', [userId, localDate]);
    jobIds = rows.map((r) => r.job_id);
    if (jobIds.length === 0) throw new Error(`the scheduler answered ${job.state} for ${localDate} but no job of that day exists`);
  }
  await stack.waitForJobs(jobIds, { timeoutMs: options.timeoutMs ?? 600_000 });
  const failed = await stack.query<{ job_id: string; status: string }>("SELECT job_id, status FROM public.jobs WHERE job_id = ANY($1) AND status <> 'done'", [jobIds]);
  if (failed.length > 0) throw new Error(`processing ${localDate} did not finish well: ${failed.map((f) => `${f.job_id} ${f.status}`).join(', ')}`);
  return { job, jobIds };
}
