import { expect } from 'vitest';
import {
  ContractViolation,
  type DayJob,
  type DeadLetter,
  type DetectedEvent,
  type JobProgress,
  type LimitlessCall,
  type SegmentReady,
  type SegmentResult,
  type WindowOutcome,
} from '../src';

export const USER_ID = '8b0e7d5e-5a4f-4a2e-9d3c-1f2e3d4c5b6a';
export const JOB_ID = `day:${USER_ID}:2024-05-01:nightly:1714514400000:1714600800000`;

export const call = (): LimitlessCall => ({ status: 200, durationMs: 812.5, bytes: 40_960, at: '2024-05-02T01:00:03.120Z' });

export const event = (): DetectedEvent => ({
  startMs: 1_714_520_000_000,
  endMs: 1_714_520_002_400,
  peakMs: 1_714_520_001_000,
  probability: 0.91,
  meanProbability: 0.64,
  classId: 13,
  className: 'Laughter',
  clipObject: 'clips/abc.wav',
  clipStartMs: 1_714_519_999_000,
  clipEndMs: 1_714_520_003_400,
});

export const dayJob = (): DayJob => ({
  jobId: JOB_ID,
  userId: USER_ID,
  localDate: '2024-05-01',
  timezone: 'Europe/Berlin',
  startMs: 1_714_514_400_000,
  endMs: 1_714_600_800_000,
  trigger: 'nightly',
  requestedAt: '2024-05-02T01:00:00.000Z',
});

export const segmentReady = (): SegmentReady => ({
  jobId: JOB_ID,
  userId: USER_ID,
  localDate: '2024-05-01',
  timezone: 'Europe/Berlin',
  trigger: 'nightly',
  windowStartMs: 1_714_514_400_000,
  windowEndMs: 1_714_521_600_000,
  audioObject: 'audio/w1.ogg',
  audioBytes: 1_234_567,
  limitlessCalls: [call(), { status: 503, durationMs: 30_000, bytes: 0, at: '2024-05-02T01:00:00+02:00', error: 'timeout' }],
});

export const segmentResult = (): SegmentResult => ({
  jobId: JOB_ID,
  userId: USER_ID,
  localDate: '2024-05-01',
  trigger: 'nightly',
  windowStartMs: 1_714_514_400_000,
  windowEndMs: 1_714_521_600_000,
  status: 'processed',
  decodedSeconds: 7199.98,
  modelVersion: 'yamnet-f32-1',
  events: [event()],
  audioObject: 'audio/w1.ogg',
  limitlessCalls: [call()],
  processingMs: 41_200.7,
});

export const windowOutcome = (): WindowOutcome => ({
  jobId: JOB_ID,
  userId: USER_ID,
  localDate: '2024-05-01',
  trigger: 'gap-retry',
  windowStartMs: 1_714_514_400_000,
  windowEndMs: 1_714_521_600_000,
  status: 'gap',
  limitlessCalls: [call()],
  error: { code: 'limitless_5xx', message: 'HTTP 503 after 4 attempts' },
});

export const jobProgress = (): JobProgress => ({
  jobId: JOB_ID,
  userId: USER_ID,
  localDate: '2024-05-01',
  timezone: 'America/New_York',
  trigger: 'today',
  status: 'planned',
  windowsPlanned: 12,
  windowsSkipped: 3,
  at: '2024-05-02T01:00:00Z',
});

export const deadLetter = (): DeadLetter => ({
  subject: 'giggles.jobs.day',
  stream: 'GIGGLES_DAY_JOBS',
  deliveries: 5,
  reason: 'handler failed: boom',
  payload: '{"not":"valid"}',
  at: '2024-05-02T01:00:00.000Z',
});

/** Asserts `parse` throws a ContractViolation whose problems include each expected fragment. */
export function expectViolation(parse: () => unknown, ...fragments: string[]): ContractViolation {
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ContractViolation);
  const violation = caught as ContractViolation;
  for (const fragment of fragments) {
    expect(violation.problems.some((problem) => problem.includes(fragment)), `expected a problem with "${fragment}" in ${JSON.stringify(violation.problems)}`).toBe(true);
  }
  return violation;
}
