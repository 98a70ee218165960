import { type ServiceName } from './service-process';
import { startStack, type Stack, type StackOptions, type StackUser } from './stack';
import { type UserDayRecord, type WindowCounts } from './readback';

export interface SummaryDetection {
  start: string;
  end: string;
  /** Seconds from the user's dayStart (00:00 local time of the processed day). */
  startS: number;
  endS: number;
  probability: number;
  className: string;
}

export interface UserSummary {
  userId: string;
  dayStart: string;
  localDate: string;
  timezone: string;
  jobStatus: string | null;
  detections: SummaryDetection[];
  windows: WindowCounts;
}

export interface NightSummary {
  users: UserSummary[];
  audioHours: number;
  wallSeconds: number;
  audioHoursPerMinute: number;
  /** audio seconds per wall second */
  realtimeFactor: number;
  peakRssMb: Record<ServiceName, number>;
  /** CPU seconds each service used from start-up to the end of the night (boot included). */
  cpuSeconds?: Record<ServiceName, number>;
}

export interface RunNightOptions extends StackOptions {
  timeoutMs?: number;
  /** Called with the running stack before the day jobs go out (e.g. to add faults). */
  beforePublish?: (stack: Stack) => Promise<void> | void;
}

/**
 * `npm run e2e`: starts the stack, publishes one day job per user, waits until every job is
 * finished and every message acked, reads the day back from Postgres, samples each service's
 * peak RSS and stops everything.
 */
export async function runNight(options: RunNightOptions = {}): Promise<NightSummary> {
  const stack = await startStack(options);
  try {
    await options.beforePublish?.(stack);
    const started = Date.now();
    const jobs = await stack.publishDayJobs();
    options.log?.(`published ${jobs.length} day jobs; processing…`);
    await stack.waitForJobs(
      jobs.map((j) => j.jobId),
      { timeoutMs: options.timeoutMs ?? 3_600_000 },
    );
    const wallSeconds = (Date.now() - started) / 1000;
    const records = await Promise.all(stack.users.map((u, i) => stack.readUser(u, jobs[i].jobId)));
    return { ...summarize(stack.users, records, wallSeconds, stack.peakRssMb()), cpuSeconds: stack.cpuSeconds() };
  } finally {
    await stack.stop();
  }
}

export function summarize(users: StackUser[], records: UserDayRecord[], wallSeconds: number, peakRssMb: Record<ServiceName, number>): NightSummary {
  const audioSeconds = users.reduce((s, u) => s + u.audioSeconds, 0);
  const audioHours = audioSeconds / 3600;
  return {
    users: users.map((u, i) => userSummary(u, records[i])),
    audioHours: round(audioHours, 4),
    wallSeconds: round(wallSeconds, 2),
    audioHoursPerMinute: round(audioHours / (wallSeconds / 60), 3),
    realtimeFactor: round(audioSeconds / wallSeconds, 1),
    peakRssMb,
  };
}

export function userSummary(user: StackUser, record: UserDayRecord): UserSummary {
  return {
    userId: user.userId,
    dayStart: new Date(user.dayStartMs).toISOString(),
    localDate: user.localDate,
    timezone: user.timezone,
    jobStatus: (record.job?.status as string | undefined) ?? null,
    detections: record.detections.map((d) => {
      const end = d.end ?? d.start;
      return {
        start: d.start.toISOString(),
        end: end.toISOString(),
        startS: round((d.start.getTime() - user.dayStartMs) / 1000, 3),
        endS: round((end.getTime() - user.dayStartMs) / 1000, 3),
        probability: d.probability,
        className: d.className ?? '',
      };
    }),
    windows: record.windows,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
