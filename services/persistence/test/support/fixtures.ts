/** Payload builders for tests: valid contract payloads with overridable fields. */
import { randomUUID } from 'node:crypto';
import {
  type DetectedEvent,
  type JobProgress,
  type SegmentResult,
  type WindowOutcome,
} from '@giggles/contracts';

export const HOUR = 3_600_000;
/** 2024-03-01 00:00 in Europe/Berlin (UTC+1) = 2024-02-29T23:00Z: a local day that starts on the previous UTC date. */
export const BERLIN_DAY_START = Date.UTC(2024, 1, 29, 23);

export function userId(): string {
  return randomUUID();
}

/**
 * Job ids are global (real ones embed the user: contracts messageIds.dayJob), so fixtures scope
 * short names to the user: jid(user, 'job-2') → 'job-2@<user>'. Ids already containing '@' pass.
 */
export function jid(user: string, name = 'job-1'): string {
  return name.includes('@') ? name : `${name}@${user}`;
}

export function event(startMs: number, overrides: Partial<DetectedEvent> = {}): DetectedEvent {
  return {
    startMs,
    endMs: startMs + 1_500,
    peakMs: startMs + 700,
    probability: 0.91,
    meanProbability: 0.74,
    classId: 13,
    className: 'Laughter',
    clipObject: `clip-${startMs}`,
    clipStartMs: startMs - 1_000,
    clipEndMs: startMs + 2_500,
    ...overrides,
  };
}

export function segmentResult(user: string, overrides: Partial<SegmentResult> = {}): SegmentResult {
  const windowStartMs = overrides.windowStartMs ?? BERLIN_DAY_START;
  return {
    userId: user,
    localDate: '2024-03-01',
    trigger: 'nightly',
    windowStartMs,
    windowEndMs: windowStartMs + 2 * HOUR,
    status: 'processed',
    decodedSeconds: 7_190.5,
    modelVersion: 'yamnet-int8-1',
    events: [event(windowStartMs + 60_000), event(windowStartMs + 120_000)],
    audioObject: `audio-${windowStartMs}`,
    limitlessCalls: [{ status: 200, durationMs: 850, bytes: 1_234_567, at: '2024-03-02T03:00:00.000Z' }],
    processingMs: 4_200,
    ...overrides,
    jobId: jid(user, overrides.jobId),
  };
}

export function windowOutcome(user: string, overrides: Partial<WindowOutcome> = {}): WindowOutcome {
  const windowStartMs = overrides.windowStartMs ?? BERLIN_DAY_START + 2 * HOUR;
  return {
    userId: user,
    localDate: '2024-03-01',
    trigger: 'nightly',
    windowStartMs,
    windowEndMs: windowStartMs + 2 * HOUR,
    status: 'empty',
    limitlessCalls: [{ status: 404, durationMs: 120, bytes: 0, at: '2024-03-02T03:00:01.000Z' }],
    ...overrides,
    jobId: jid(user, overrides.jobId),
  };
}

export function jobProgress(user: string, overrides: Partial<JobProgress> = {}): JobProgress {
  return {
    userId: user,
    localDate: '2024-03-01',
    timezone: 'Europe/Berlin',
    trigger: 'nightly',
    status: 'planned',
    windowsPlanned: 12,
    windowsSkipped: 0,
    at: '2024-03-02T03:00:00.000Z',
    ...overrides,
    jobId: jid(user, overrides.jobId),
  };
}
