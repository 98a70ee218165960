import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '@giggles/testing';

/** The 600 s eval recordings with truth CSVs: a user's day is them back to back from 00:00. */
export const EVAL_DIR = join(sharedDir(), 'eval');

export const WINDOW_MINUTES = 20;
export const WINDOW_MS = WINDOW_MINUTES * 60_000;

/**
 * Service settings for the suite: 20-minute windows (an hour of audio = three segments, so a
 * window can fail while the others are stored), quick retries, and a short inference ack wait so
 * a segment whose worker was killed is redelivered within seconds.
 */
export const SUITE_ENV: Record<string, string> = {
  INGESTION_WINDOW_MINUTES: String(WINDOW_MINUTES),
  LIMITLESS_RATE_LIMIT_BURST: '90',
  LIMITLESS_RETRY_BASE: '50ms',
  LIMITLESS_RETRY_CAP: '500ms',
  LIMITLESS_MAX_ATTEMPTS: '10',
  INGESTION_REDELIVERY_DELAY: '1s',
  INFERENCE_ACK_WAIT: '10s',
};

export function windowsOfDay(dayStartMs: number, dayEndMs: number): Array<{ startMs: number; endMs: number }> {
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (let t = dayStartMs; t < dayEndMs; t += WINDOW_MS) out.push({ startMs: t, endMs: Math.min(t + WINDOW_MS, dayEndMs) });
  return out;
}

/** Progress lines on stderr when E2E_VERBOSE is set. */
export const suiteLog = process.env.E2E_VERBOSE ? (line: string) => process.stderr.write(`e2e: ${line}\n`) : undefined;

/**
 * Call in a describe: records whether any test of the file failed, so the stack's log directory
 * (service logs and stored clips, tens of MB) is removed after a clean run and kept, with its
 * path printed, after a failure. E2E_KEEP_LOGS keeps it always.
 */
export function logDirPolicy(
  afterEachHook: (fn: (ctx: { task: { result?: { state?: string } } }) => void) => void,
): (logDir: string | undefined, setupCompleted: boolean) => void {
  let failed = false;
  afterEachHook((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });
  return (logDir, setupCompleted) => {
    if (!logDir) return;
    if (failed || !setupCompleted || process.env.E2E_KEEP_LOGS) process.stderr.write(`e2e: service logs kept in ${logDir}\n`);
    else rmSync(logDir, { recursive: true, force: true });
  };
}
