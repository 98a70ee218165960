import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { ConsumerCounts } from './consumer.indicator';
import { errorMessage, indicatorResult } from '../util';

/**
 * When the service last finished a unit of work (a message, or a step of one: a downloaded window).
 * Services call `markProgress()` on each success; the pipeline indicator compares it with the
 * messages waiting.
 */
export class PipelineProgress {
  readonly startedAt: number;
  private last: number | undefined;
  private count = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  markProgress(): void {
    this.last = this.now();
    this.count++;
  }

  /** Epoch ms of the last progress, or undefined when nothing was done since start. */
  get lastProgressAt(): number | undefined {
    return this.last;
  }

  get progressCount(): number {
    return this.count;
  }

  /** How long since the last progress (or since start when there was none). */
  idleMs(): number {
    return this.now() - (this.last ?? this.startedAt);
  }
}

/** The consumer runner's own view (`ConsumerHandle.health()` from @giggles/messaging fits). */
export interface RunnerState {
  running: boolean;
  inFlight: number;
  lastError?: string;
}

export interface PipelineIndicatorOptions {
  /** Messages waiting for this consumer (pending + ack-pending counts). */
  counts: () => Promise<ConsumerCounts>;
  progress: PipelineProgress;
  /** Down when messages wait and nothing progressed for this long. */
  stallAfterMs: number;
  /** Down when the runner has stopped. */
  runner?: () => RunnerState | undefined;
}

/**
 * "Meaning, not just process up": the pipeline is moving when nothing waits, or when work was
 * finished recently. Messages waiting while nothing was done for `stallAfterMs` is down — a stuck
 * handler, a dependency that fails every attempt, or a worker that stopped pulling.
 */
export async function checkPipeline<const Key extends string>(key: Key, options: PipelineIndicatorOptions): Promise<HealthIndicatorResult<Key>> {
  const { progress, stallAfterMs } = options;
  const runner = options.runner?.();
  const lastProgressAt = progress.lastProgressAt === undefined ? null : new Date(progress.lastProgressAt).toISOString();
  const idleMs = progress.idleMs();
  const base = { lastProgressAt, idleMs, stallAfterMs, progressCount: progress.progressCount };
  if (runner && !runner.running) {
    return indicatorResult(key, 'down', { ...base, message: 'consumer runner is not running' });
  }
  let counts: ConsumerCounts;
  try {
    counts = await options.counts();
  } catch (error) {
    return indicatorResult(key, 'down', { ...base, message: `cannot read consumer counts: ${errorMessage(error)}` });
  }
  const waiting = counts.pending + counts.ackPending;
  const data = { ...base, waiting, inFlight: runner?.inFlight ?? null, lastError: runner?.lastError ?? null };
  if (waiting > 0 && idleMs > stallAfterMs) {
    const message = `${waiting} message(s) waiting and no progress for ${Math.round(idleMs / 1000)} s (limit ${Math.round(stallAfterMs / 1000)} s)`;
    return indicatorResult(key, 'down', { ...data, message });
  }
  return indicatorResult(key, 'up', { ...data });
}
