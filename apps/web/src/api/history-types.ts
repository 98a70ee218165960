/**
 * The history routes' shapes (docs/api.md "Whole-history backfill"): what the gateway's
 * `src/history/backfill-view.ts` sends. Types only.
 */
import type { BackfillState } from '@giggles/contracts';

export type { BackfillState };

export interface BackfillView {
  from: string;
  to: string;
  state: BackfillState;
  totalDays: number;
  daysDone: number;
  /** Days waiting for an automatic retry (a failed run, or gaps). */
  daysFailed: number;
  /** Days the retries stopped for; the newest few with the reason in givenUp. */
  daysGivenUp: number;
  givenUp: Array<{ localDate: string; reason: string }>;
  daysInFlight: number;
  audioSeconds: number;
  laughs: number;
  /** Absent until a day finished, and when nothing is left. */
  etaSeconds?: number;
  startedAt: string;
  updatedAt: string;
}

/** `unreachable`: Limitless has not answered for a long time and downloads are paused (not a rejected key). */
export interface LimitlessStatus {
  state: 'reachable' | 'unreachable';
  unreachableSince?: string;
  pausedAt?: string;
  message?: string;
}

export interface BackfillStatus {
  backfill: BackfillView | null;
  limitless: LimitlessStatus;
}
