import type { ApiOutage, BackfillProgress, BackfillState } from '@giggles/contracts';

/** What the page shows of a backfill: the progress, never the internal ids or the e-mail. */
export interface BackfillView {
  from: string;
  to: string;
  state: BackfillState;
  totalDays: number;
  daysDone: number;
  /** Days waiting for an automatic retry (a failed job, or gaps); they move to done or given up. */
  daysFailed: number;
  /** Days the retries stopped for, with the reason (the newest few are listed in givenUp). */
  daysGivenUp: number;
  givenUp: Array<{ localDate: string; reason: string }>;
  daysInFlight: number;
  audioSeconds: number;
  laughs: number;
  etaSeconds?: number;
  startedAt: string;
  updatedAt: string;
}

export const LIMITLESS_REACHABILITY = ['reachable', 'unreachable'] as const;
export type LimitlessReachability = (typeof LIMITLESS_REACHABILITY)[number];

export interface LimitlessStatusView {
  state: LimitlessReachability;
  unreachableSince?: string;
  pausedAt?: string;
  message?: string;
}

export const UNREACHABLE_MESSAGE = 'Limitless has not been reachable for a while, so downloads are paused. Everything already processed stays here; downloads resume by themselves when Limitless answers again.';

export function toBackfillView(progress: BackfillProgress): BackfillView {
  return {
    from: progress.from,
    to: progress.to,
    state: progress.state,
    totalDays: progress.totalDays,
    daysDone: progress.daysDone,
    daysFailed: progress.daysFailed,
    daysGivenUp: progress.daysGivenUp ?? 0,
    givenUp: (progress.givenUp ?? []).map(({ localDate, reason }) => ({ localDate, reason })),
    daysInFlight: progress.daysInFlight,
    audioSeconds: progress.audioSeconds,
    laughs: progress.laughs,
    ...(progress.etaSeconds !== undefined ? { etaSeconds: progress.etaSeconds } : {}),
    startedAt: progress.startedAt,
    updatedAt: progress.updatedAt,
  };
}

/** The scheduler lists only paused users' outages: one for this user means downloads are paused. */
export function toLimitlessStatus(outage: ApiOutage | undefined): LimitlessStatusView {
  if (!outage?.pausedAt) return { state: 'reachable' };
  return {
    state: 'unreachable',
    ...(outage.unreachableSince ? { unreachableSince: outage.unreachableSince } : {}),
    pausedAt: outage.pausedAt,
    message: UNREACHABLE_MESSAGE,
  };
}

/** Progress events carry the whole view; a new one is sent only when something a user sees changed. */
export function sameBackfillStatus(a: { backfill: BackfillView | null; limitless: LimitlessStatusView }, b: { backfill: BackfillView | null; limitless: LimitlessStatusView }): boolean {
  const key = (s: { backfill: BackfillView | null; limitless: LimitlessStatusView }) =>
    JSON.stringify([s.backfill && { ...s.backfill, updatedAt: undefined, etaSeconds: undefined }, s.limitless.state, s.backfill?.etaSeconds === undefined]);
  return key(a) === key(b);
}
