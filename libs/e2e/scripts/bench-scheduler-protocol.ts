/** Messages between bench-scheduler-cli.ts and the scheduler process it drives (bench-scheduler-child.ts). */
import type { ReconcileReply } from '@giggles/contracts';

/** Each request sets the scheduler's fake clock to `nowMs` first. */
export type BenchRequest =
  | { type: 'start'; nowMs: number; env: Record<string, string> }
  | { type: 'tick'; nowMs: number }
  | { type: 'reconcile'; nowMs: number }
  | { type: 'close'; nowMs: number };

export type BenchReply =
  | { type: 'started'; heapMb: number }
  | { type: 'ticked'; ms: number; published: number; republished: number; failedUsers: number; gaveUp: number; heapMb: number }
  | { type: 'reconciled'; ms: number; reply: ReconcileReply | null; heapMb: number }
  | { type: 'closed'; heapMb: number }
  | { type: 'error'; message: string };
