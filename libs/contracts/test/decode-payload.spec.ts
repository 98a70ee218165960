import { describe, expect, it } from 'vitest';
import { decodeJson, decodePayload, payloadParserFor, STREAMS, SUBJECTS } from '../src';
import { dayJob, deadLetter, expectViolation, jobProgress, segmentReady, segmentResult, windowOutcome } from './fixtures';

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('decodePayload', () => {
  it.each([
    [SUBJECTS.dayJob, dayJob()],
    [SUBJECTS.segmentReady, segmentReady()],
    [SUBJECTS.segmentResult, segmentResult()],
    [SUBJECTS.windowOutcome, windowOutcome()],
    [SUBJECTS.jobProgress, jobProgress()],
    [`${SUBJECTS.deadLetterPrefix}${SUBJECTS.dayJob}`, deadLetter()],
  ])('decodes %s', (subject, payload) => {
    expect(decodePayload(subject, bytes(payload))).toStrictEqual(payload);
  });

  it('validates against the subject it arrived on', () => {
    expectViolation(() => decodePayload(SUBJECTS.segmentReady, bytes(dayJob())), 'audioObject is missing', 'requestedAt is not an allowed field');
  });

  it('rejects subjects without a contract', () => {
    expectViolation(() => decodePayload('giggles.unknown', bytes({})), 'no payload contract for subject giggles.unknown');
    expect(payloadParserFor('giggles.unknown')).toBeUndefined();
  });

  it('covers every subject of every non-dead-letter stream', () => {
    const streamSubjects = [STREAMS.dayJobs, STREAMS.segments].flatMap((s) => s.subjects);
    for (const subject of streamSubjects) expect(payloadParserFor(subject)).toBeDefined();
    for (const subject of [SUBJECTS.segmentResult, SUBJECTS.windowOutcome, SUBJECTS.jobProgress]) {
      expect(subject.startsWith(STREAMS.results.subjects[0].replace('>', ''))).toBe(true);
    }
  });
});

describe('decodeJson', () => {
  it('turns bad bytes into contract violations', () => {
    expectViolation(() => decodeJson(new TextEncoder().encode('{"jobId":'), SUBJECTS.dayJob), 'body is not JSON');
    expectViolation(() => decodeJson(Uint8Array.of(0x7b, 0xff, 0x7d)), 'body is not valid UTF-8');
    expect(decodeJson(bytes([1, 'a']))).toStrictEqual([1, 'a']);
  });
});
