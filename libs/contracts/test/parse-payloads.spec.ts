import { describe, expect, it } from 'vitest';
import {
  ContractViolation,
  parseDayJob,
  parseDeadLetter,
  parseJobProgress,
  parseSegmentReady,
  parseSegmentResult,
  parseWindowOutcome,
} from '../src';
import { dayJob, deadLetter, event, expectViolation, jobProgress, segmentReady, segmentResult, windowOutcome } from './fixtures';

describe('parseDayJob', () => {
  it('returns a valid job unchanged, as a plain object', () => {
    const job = dayJob();
    const parsed = parseDayJob(JSON.parse(JSON.stringify(job)));
    expect(parsed).toStrictEqual(job);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it.each([null, 'job', 42, [dayJob()]])('rejects a non-object (%j)', (input) => {
    expectViolation(() => parseDayJob(input), 'DayJob must be a JSON object');
  });

  it('lists every bad field in one violation', () => {
    const violation = expectViolation(
      () =>
        parseDayJob({
          ...dayJob(),
          userId: 'not-a-uuid',
          localDate: '2023-02-29',
          timezone: 'Mars/Olympus_Mons',
          endMs: dayJob().startMs,
          trigger: 'hourly',
          requestedAt: undefined,
          extra: true,
        }),
      'userId must be a UUID',
      'localDate must be a real calendar date',
      'timezone must be an IANA timezone name',
      'endMs must be greater than startMs',
      'trigger must be one of the following values',
      'requestedAt is missing',
      'extra is not an allowed field',
    );
    expect(violation.problems).toHaveLength(7);
    expect(violation.message).not.toContain('\n');
    expect(violation.message).toMatch(/^DayJob violates its contract: /);
  });

  it.each([
    ['localDate', '2024-5-1', 'localDate must be a real calendar date'],
    ['localDate', '2024-13-01', 'localDate must be a real calendar date'],
    ['localDate', 20240501, 'localDate must be a real calendar date'],
    ['timezone', '+01:00', 'timezone must be an IANA timezone name'],
    ['timezone', '', 'timezone must be an IANA timezone name'],
    ['startMs', -1, 'startMs must not be less than 0'],
    ['startMs', 1.5, 'startMs must be an integer'],
    ['startMs', '1714514400000', 'startMs must be an integer'],
    ['endMs', 0, 'endMs must be greater than startMs'],
    ['jobId', '', 'jobId must be printable ASCII'],
    ['jobId', 'has space', 'jobId must be printable ASCII'],
    ['requestedAt', '2024-05-02', 'requestedAt must be an ISO 8601 instant'],
    ['requestedAt', '2024-05-02T01:00:00', 'requestedAt must be an ISO 8601 instant'],
    ['requestedAt', '2024-02-30T01:00:00Z', 'requestedAt must be an ISO 8601 instant'],
    ['userId', null, 'userId must be a UUID'],
  ])('rejects %s = %j', (field, value, problem) => {
    expectViolation(() => parseDayJob({ ...dayJob(), [field]: value }), problem);
  });

  it('accepts leap days, UTC and every trigger', () => {
    for (const trigger of ['nightly', 'today', 'reprocess', 'gap-retry', 'manual'] as const) {
      expect(parseDayJob({ ...dayJob(), localDate: '2024-02-29', timezone: 'UTC', trigger }).trigger).toBe(trigger);
    }
  });
});

describe('parseSegmentReady', () => {
  it('accepts a valid segment with optional call errors', () => {
    expect(parseSegmentReady(segmentReady())).toStrictEqual(segmentReady());
  });

  it('reports nested problems with their path', () => {
    const bad = {
      ...segmentReady(),
      windowEndMs: 1,
      audioBytes: -3,
      limitlessCalls: [{ status: 700, durationMs: -1, bytes: 1.5, at: 'yesterday', error: null, retry: 1 }, 7],
    };
    expectViolation(
      () => parseSegmentReady(bad),
      'windowEndMs must be greater than windowStartMs',
      'audioBytes must not be less than 0',
      'limitlessCalls.0.status must not be greater than 599',
      'limitlessCalls.0.durationMs must not be less than 0',
      'limitlessCalls.0.bytes must be an integer',
      'limitlessCalls.0.at must be an ISO 8601 instant',
      'limitlessCalls.0.error must be a string',
      'limitlessCalls.0.retry is not an allowed field',
      'limitlessCalls.1 must be an object',
    );
  });

  it('rejects a non-array call list and a missing audio object', () => {
    const { audioObject: _omit, ...rest } = segmentReady();
    expectViolation(() => parseSegmentReady({ ...rest, limitlessCalls: {} }), 'limitlessCalls must be an array', 'audioObject is missing');
  });
});

describe('parseSegmentResult', () => {
  it('accepts a processed result and a failed one with an error', () => {
    expect(parseSegmentResult(segmentResult())).toStrictEqual(segmentResult());
    const failed = { ...segmentResult(), status: 'failed', events: [], error: { code: 'decode_failed', message: 'bad ogg page' } };
    expect(parseSegmentResult(failed).error?.code).toBe('decode_failed');
  });

  it('checks probabilities, event ordering and the event class', () => {
    const events = [
      { ...event(), probability: 1.2, meanProbability: -0.1 },
      { ...event(), endMs: event().startMs, peakMs: event().startMs - 5 },
      { ...event(), probability: Number.NaN, className: '', clipEndMs: event().clipStartMs },
    ];
    expectViolation(
      () => parseSegmentResult({ ...segmentResult(), events }),
      'events.0.probability must not be greater than 1',
      'events.0.meanProbability must not be less than 0',
      'events.1.endMs must be greater than startMs',
      'events.1.peakMs must lie between startMs and endMs',
      'events.2.probability must be a number',
      'events.2.className must be longer than or equal to 1',
      'events.2.clipEndMs must be greater than clipStartMs',
    );
  });

  it('rejects an unknown status, a null error and a malformed error', () => {
    expectViolation(() => parseSegmentResult({ ...segmentResult(), status: 'done' }), 'status must be one of the following values: processed, failed');
    expectViolation(() => parseSegmentResult({ ...segmentResult(), error: null }), 'error must be an object');
    expectViolation(() => parseSegmentResult({ ...segmentResult(), error: { code: 'x y' } }), 'error.code must be printable ASCII', 'error.message is missing');
  });
});

describe('parseWindowOutcome', () => {
  it('accepts every outcome status', () => {
    for (const status of ['empty', 'gap', 'failed'] as const) {
      expect(parseWindowOutcome({ ...windowOutcome(), status }).status).toBe(status);
    }
  });

  it('rejects processed (that is a SegmentResult) and a bad trigger', () => {
    expectViolation(
      () => parseWindowOutcome({ ...windowOutcome(), status: 'processed', trigger: 'cron' }),
      'status must be one of the following values: empty, gap, failed',
      'trigger must be one of the following values',
    );
  });
});

describe('parseJobProgress', () => {
  it('accepts a progress report', () => {
    expect(parseJobProgress(jobProgress())).toStrictEqual(jobProgress());
  });

  it('rejects negative counts and a bad instant', () => {
    expectViolation(
      () => parseJobProgress({ ...jobProgress(), windowsPlanned: -1, windowsSkipped: 0.5, at: 'now', status: 'running' }),
      'windowsPlanned must not be less than 0',
      'windowsSkipped must be an integer',
      'at must be an ISO 8601 instant',
      'status must be one of the following values: planned, key_invalid, failed',
    );
  });
});

describe('parseDeadLetter', () => {
  it('accepts a dead letter, including an empty original body', () => {
    expect(parseDeadLetter(deadLetter())).toStrictEqual(deadLetter());
    expect(parseDeadLetter({ ...deadLetter(), payload: '' }).payload).toBe('');
  });

  it('requires a reason and a subject', () => {
    const violation = expectViolation(() => parseDeadLetter({ ...deadLetter(), reason: '', subject: undefined }), 'reason must be longer', 'subject is missing');
    expect(violation).toBeInstanceOf(ContractViolation);
    expect(violation.contract).toBe('DeadLetter');
  });
});
