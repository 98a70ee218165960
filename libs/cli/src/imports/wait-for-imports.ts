import type { ImportRecord } from '@giggles/contracts';

/** `--wait-timeout` bounds (seconds) and its default: an hour covers a day-long recording on a small machine. */
export const WAIT_TIMEOUT_BOUNDS_S = { min: 1, max: 86_400 } as const;
export const DEFAULT_WAIT_TIMEOUT_S = 3_600;
/** How often an unfinished import is asked about again. */
export const WAIT_POLL_MS = 2_000;

export interface WaitDeps {
  read: (importId: string) => Promise<ImportRecord | undefined>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface WaitResult {
  /** Every import's last known record (still `processing` when the wait ran out). */
  records: Map<string, ImportRecord>;
  timedOut: boolean;
}

/**
 * Polls each import until it is no longer processing (done, failed) or `timeoutMs` passes. A
 * query that fails (persistence restarting) is asked again next round; an import that vanished
 * keeps its last known record.
 */
export async function waitForImports(initial: ImportRecord[], timeoutMs: number, deps: WaitDeps): Promise<WaitResult> {
  const records = new Map(initial.map((r) => [r.importId, r]));
  const deadline = deps.now() + timeoutMs;
  for (;;) {
    const pending = [...records.values()].filter((r) => r.state === 'processing');
    if (pending.length === 0) return { records, timedOut: false };
    if (deps.now() >= deadline) return { records, timedOut: true };
    await deps.sleep(Math.max(0, Math.min(WAIT_POLL_MS, deadline - deps.now())));
    for (const record of pending) {
      const latest = await deps.read(record.importId).catch(() => undefined);
      if (latest) records.set(record.importId, latest);
    }
  }
}

/** `--wait-timeout` in milliseconds, or the reason it is not usable. */
export function parseWaitTimeout(raw: string | undefined): number | string {
  if (raw === undefined) return DEFAULT_WAIT_TIMEOUT_S * 1000;
  const seconds = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(seconds) || seconds < WAIT_TIMEOUT_BOUNDS_S.min || seconds > WAIT_TIMEOUT_BOUNDS_S.max) {
    return `--wait-timeout must be a whole number of seconds from ${WAIT_TIMEOUT_BOUNDS_S.min} to ${WAIT_TIMEOUT_BOUNDS_S.max}, got "${raw.slice(0, 32)}"`;
  }
  return seconds * 1000;
}
