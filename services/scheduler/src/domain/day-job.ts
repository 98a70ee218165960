import { messageIds, type DayJob, type JobTrigger } from '@giggles/contracts';
import type { LocalDayRange } from './local-day';

export interface DayJobSpec {
  userId: string;
  localDate: string;
  timezone: string;
  startMs: number;
  endMs: number;
  trigger: JobTrigger;
  /** Tells apart runs that must be new jobs although everything else is equal (retry n, reprocess time). */
  run?: number;
}

/** The DayJob message; its id is the deterministic message id, so a repeat is one job. */
export function buildDayJob(spec: DayJobSpec, requestedAtMs: number): DayJob {
  return {
    jobId: messageIds.dayJob(spec.userId, spec.localDate, spec.trigger, spec.startMs, spec.endMs, spec.run),
    userId: spec.userId,
    localDate: spec.localDate,
    timezone: spec.timezone,
    startMs: spec.startMs,
    endMs: spec.endMs,
    trigger: spec.trigger,
    requestedAt: new Date(requestedAtMs).toISOString(),
  };
}

export function wholeDaySpec(userId: string, day: LocalDayRange, trigger: JobTrigger, run?: number): DayJobSpec {
  return { userId, localDate: day.localDate, timezone: day.timezone, startMs: day.startMs, endMs: day.endMs, trigger, run };
}
