import { SUBJECTS, type JobProgress, type SegmentResult } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_ERROR_CODE, failureRecordFor } from './dead-letter-failure';

const USER = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const AT = new Date('2024-03-02T04:00:00.000Z');

const segment: SegmentResult = {
  jobId: 'day:job-1',
  userId: USER,
  localDate: '2024-03-01',
  trigger: 'nightly',
  windowStartMs: 1_709_247_600_000,
  windowEndMs: 1_709_254_800_000,
  status: 'processed',
  decodedSeconds: 7_200,
  modelVersion: 'yamnet-1',
  events: [],
  audioObject: 'audio-1',
  limitlessCalls: [{ status: 200, durationMs: 800, bytes: 1_000, at: '2024-03-02T03:00:00.000Z' }],
  processingMs: 1_000,
};

const progress: JobProgress = {
  jobId: 'day:job-1',
  userId: USER,
  localDate: '2024-03-01',
  timezone: 'Europe/Berlin',
  trigger: 'nightly',
  status: 'planned',
  windowsPlanned: 12,
  windowsSkipped: 2,
  at: '2024-03-02T03:00:00.000Z',
};

describe('failureRecordFor', () => {
  it('turns a dead segment result into a failed window with the reason, keeping its Limitless calls', () => {
    const record = failureRecordFor(SUBJECTS.segmentResult, { kind: 'segment', payload: segment }, JSON.stringify(segment), 'permanent failure: x', AT);
    expect(record).toEqual({
      kind: 'window',
      outcome: {
        jobId: segment.jobId,
        userId: USER,
        localDate: '2024-03-01',
        trigger: 'nightly',
        windowStartMs: segment.windowStartMs,
        windowEndMs: segment.windowEndMs,
        status: 'failed',
        limitlessCalls: segment.limitlessCalls,
        error: { code: DEAD_LETTER_ERROR_CODE, message: 'permanent failure: x' },
      },
    });
  });

  it('attributes an invalid message by its identifying fields alone', () => {
    const broken = { ...segment, events: [{ startMs: 'soon' }], limitlessCalls: 'junk' };
    const record = failureRecordFor(SUBJECTS.segmentResult, undefined, JSON.stringify(broken), 'invalid payload: events.0 …', AT);
    expect(record).toMatchObject({ kind: 'window', outcome: { userId: USER, status: 'failed', limitlessCalls: [] } });
  });

  it('turns a dead job progress into a failed job', () => {
    const record = failureRecordFor(SUBJECTS.jobProgress, { kind: 'job', payload: progress }, JSON.stringify(progress), 'failed 10 of 10 deliveries', AT);
    expect(record).toEqual({
      kind: 'job',
      progress: { ...progress, status: 'failed', at: AT.toISOString(), error: { code: DEAD_LETTER_ERROR_CODE, message: 'failed 10 of 10 deliveries' } },
    });
  });

  it('clips long reasons to what the contract carries comfortably', () => {
    const record = failureRecordFor(SUBJECTS.windowOutcome, undefined, JSON.stringify(segment), 'x'.repeat(5_000), AT);
    expect(record?.kind === 'window' && record.outcome.error?.message.length).toBe(2_000);
  });

  it.each([
    ['not JSON', SUBJECTS.segmentResult, '{oops'],
    ['a JSON array', SUBJECTS.segmentResult, '[1]'],
    ['a bad user id', SUBJECTS.segmentResult, JSON.stringify({ ...segment, userId: 'bob' })],
    ['no window', SUBJECTS.windowOutcome, JSON.stringify({ ...segment, windowStartMs: undefined })],
    ['a job without its plan', SUBJECTS.jobProgress, JSON.stringify({ ...progress, windowsPlanned: -1 })],
    ['an unknown subject', 'giggles.results.other', JSON.stringify(segment)],
  ])('names nobody for %s', (_, subject, raw) => {
    expect(failureRecordFor(subject, undefined, raw, 'invalid payload', AT)).toBeNull();
  });
});
