import { describe, expect, it } from 'vitest';
import {
  isQuerySubject,
  parseClearDaysReply,
  parseClearDaysRequest,
  parseGiveUpGapsReply,
  parseGiveUpGapsRequest,
  parseOperationsStatusReply,
  parseOperationsStatusRequest,
  parseReconcileReply,
  parseReconcileRequest,
  parseRegisterJobReply,
  parseRegisterJobRequest,
  parseStalledJobsReply,
  parseStalledJobsRequest,
  parseUserByEmailReply,
  parseUserByEmailRequest,
  parseDayDetectionsReply,
  parseDayDetectionsRequest,
  parseDueDaysReply,
  parseDueDaysRequest,
  parseJobStatusReply,
  parseJobStatusRequest,
  parseMarkKeyInvalidReply,
  parseMarkKeyInvalidRequest,
  parseQueryReply,
  parseUserDaysReply,
  parseUserDaysRequest,
  parseUserKeyReply,
  parseUserKeyRequest,
  parseUsersWithActiveKeysReply,
  parseUsersWithActiveKeysRequest,
  parseWindowsDoneReply,
  parseWindowsDoneRequest,
  QUERIES,
  QUERY_CONTRACTS,
} from '../src';
import { expectViolation, JOB_ID, USER_ID } from './fixtures';

const DETECTION_ID = '0f9c6b1e-9a2d-4c1b-8e7f-123456789abc';

/** A valid request and reply per query, and for each an invalid variant with the problem it must report. */
const cases = [
  {
    name: 'usersWithActiveKeys',
    parseRequest: parseUsersWithActiveKeysRequest,
    parseReply: parseUsersWithActiveKeysReply,
    request: {},
    badRequest: [{ limit: 5000 }, 'limit must not be greater than 1000'],
    reply: { users: [{ userId: USER_ID, email: 'a@example.com', timezone: 'Europe/Berlin' }] },
    badReply: [{ users: [{ userId: USER_ID, email: 'a@example.com' }] }, 'users.0.timezone is missing'],
  },
  {
    name: 'userKey',
    parseRequest: parseUserKeyRequest,
    parseReply: parseUserKeyReply,
    request: { userId: USER_ID },
    badRequest: [{ userId: 'u1' }, 'userId must be a UUID'],
    reply: { encryptedKey: 'bm9uY2UxMjM0NTY3OGNpcGhlcg==', status: 'active' },
    badReply: [{ encryptedKey: '', status: 'revoked' }, 'status must be one of the following values: active, invalid'],
  },
  {
    name: 'markKeyInvalid',
    parseRequest: parseMarkKeyInvalidRequest,
    parseReply: parseMarkKeyInvalidReply,
    request: { userId: USER_ID, reason: 'HTTP 401 from Limitless' },
    badRequest: [{ userId: USER_ID }, 'reason is missing'],
    reply: { updated: true },
    badReply: [{ updated: 'yes' }, 'updated must be a boolean'],
  },
  {
    name: 'windowsDone',
    parseRequest: parseWindowsDoneRequest,
    parseReply: parseWindowsDoneReply,
    request: { userId: USER_ID, startMs: 1000, endMs: 2000 },
    badRequest: [{ userId: USER_ID, startMs: 2000, endMs: 1000 }, 'endMs must be greater than startMs'],
    reply: { windows: [{ startMs: 1000, endMs: 1500, status: 'processed' }, { startMs: 1500, endMs: 2000, status: 'gap' }] },
    badReply: [{ windows: [{ startMs: 1000, endMs: 1500, status: 'pending' }] }, 'windows.0.status must be one of'],
  },
  {
    name: 'dueDays',
    parseRequest: parseDueDaysRequest,
    parseReply: parseDueDaysReply,
    request: { userId: USER_ID, from: '2024-04-01', to: '2024-05-01' },
    badRequest: [{ userId: USER_ID, from: '2024-05-02', to: '2024-05-01' }, 'to must not be before from'],
    reply: { days: [{ localDate: '2024-04-30', reason: 'gaps' }] },
    badReply: [{ days: [{ localDate: '2024-04-31', reason: 'gaps' }] }, 'days.0.localDate must be a real calendar date'],
  },
  {
    name: 'userDays',
    parseRequest: parseUserDaysRequest,
    parseReply: parseUserDaysReply,
    request: { userId: USER_ID, from: '2024-04-01' },
    badRequest: [{ userId: USER_ID, to: '01/05/2024' }, 'to must be a real calendar date'],
    reply: { days: [{ localDate: '2024-05-01', laughCount: 14, windowsProcessed: 10, windowsEmpty: 2, windowsGap: 0, windowsFailed: 0 }] },
    badReply: [{ days: [{ localDate: '2024-05-01', laughCount: -1, windowsProcessed: 0, windowsEmpty: 0, windowsGap: 0, windowsFailed: 0 }] }, 'days.0.laughCount must not be less than 0'],
  },
  {
    name: 'dayDetections',
    parseRequest: parseDayDetectionsRequest,
    parseReply: parseDayDetectionsReply,
    request: { userId: USER_ID, localDate: '2024-05-01' },
    badRequest: [{ userId: USER_ID }, 'localDate is missing'],
    reply: {
      localDate: '2024-05-01',
      detections: [{ id: DETECTION_ID, startMs: 10, endMs: 20, peakMs: 15, probability: 0.8, className: 'Laughter', clipPath: 'u/2024-05-01/a.wav' }],
    },
    badReply: [{ localDate: '2024-05-01', detections: [{ id: DETECTION_ID, startMs: 10, endMs: 20, peakMs: 25, probability: 0.8, className: 'Laughter' }] }, 'detections.0.peakMs must lie between startMs and endMs'],
  },
  {
    name: 'jobStatus',
    parseRequest: parseJobStatusRequest,
    parseReply: parseJobStatusReply,
    request: { jobId: JOB_ID },
    badRequest: [{ jobId: 42 }, 'jobId must be a string'],
    reply: {
      jobId: JOB_ID,
      userId: USER_ID,
      localDate: '2024-05-01',
      status: 'running',
      windowsPlanned: 12,
      windowsSkipped: 0,
      windowsProcessed: 4,
      windowsEmpty: 1,
      windowsGap: 0,
      windowsFailed: 0,
      updatedAt: '2024-05-02T01:03:00Z',
    },
    badReply: [{ jobId: JOB_ID }, 'userId is missing'],
  },
  {
    name: 'dueDays with a time zone',
    parseRequest: parseDueDaysRequest,
    parseReply: parseDueDaysReply,
    request: { userId: USER_ID, from: '2024-04-01', to: '2024-05-01', timezone: 'America/New_York' },
    badRequest: [{ userId: USER_ID, from: '2024-04-01', to: '2024-05-01', timezone: 'Mars/Olympus' }, 'timezone'],
    reply: { days: [{ localDate: '2024-04-30', reason: 'gaps', retries: 2, lastRunAt: '2024-05-01T03:00:00.000Z' }], jobsInFlight: 1 },
    badReply: [{ days: [{ localDate: '2024-04-30', reason: 'gaps', retries: -1 }] }, 'days.0.retries must not be less than 0'],
  },
  {
    name: 'userByEmail',
    parseRequest: parseUserByEmailRequest,
    parseReply: parseUserByEmailReply,
    request: { email: 'Ada@Example.com' },
    badRequest: [{ email: 'not-an-address' }, 'email'],
    reply: { userId: USER_ID, email: 'ada@example.com', timezone: 'Europe/Berlin', keyStatus: 'none' },
    badReply: [{ userId: USER_ID, email: 'ada@example.com', timezone: 'Europe/Berlin', keyStatus: 'revoked' }, 'keyStatus must be one of'],
  },
  {
    name: 'registerJob',
    parseRequest: parseRegisterJobRequest,
    parseReply: parseRegisterJobReply,
    request: { jobId: JOB_ID, userId: USER_ID, localDate: '2024-05-01', timezone: 'Europe/Berlin', trigger: 'nightly', startMs: 1714514400000, endMs: 1714600800000 },
    badRequest: [{ jobId: JOB_ID, userId: USER_ID, localDate: '2024-05-01', timezone: 'Europe/Berlin', trigger: 'nightly', startMs: 2000, endMs: 1000 }, 'endMs must be greater than startMs'],
    reply: { created: false, status: 'running' },
    badReply: [{ created: true, status: 'queued' }, 'status must be one of'],
  },
  {
    name: 'stalledJobs',
    parseRequest: parseStalledJobsRequest,
    parseReply: parseStalledJobsReply,
    request: { olderThanMs: 1714600800000, limit: 50 },
    badRequest: [{ olderThanMs: 1714600800000, limit: 5000 }, 'limit must not be greater than 1000'],
    reply: {
      jobs: [{ jobId: JOB_ID, userId: USER_ID, localDate: '2024-05-01', timezone: 'Europe/Berlin', trigger: 'manual', startMs: 1714514400000, endMs: 1714600800000, registeredAt: '2024-05-02T01:00:00.000Z' }],
    },
    badReply: [{ jobs: [{ jobId: JOB_ID, userId: USER_ID, localDate: '2024-05-01', timezone: 'Europe/Berlin', trigger: 'manual', startMs: 1714514400000, endMs: 1714600800000 }] }, 'jobs.0.registeredAt is missing'],
  },
  {
    name: 'giveUpGaps',
    parseRequest: parseGiveUpGapsRequest,
    parseReply: parseGiveUpGapsReply,
    request: { userId: USER_ID, localDate: '2024-05-01', reason: '6 retries over 7 days' },
    badRequest: [{ userId: USER_ID, localDate: '2024-05-01' }, 'reason is missing'],
    reply: { updated: true },
    badReply: [{ updated: 1 }, 'updated must be a boolean'],
  },
  {
    name: 'clearDays',
    parseRequest: parseClearDaysRequest,
    parseReply: parseClearDaysReply,
    request: { userId: USER_ID, from: '2024-05-01', to: '2024-05-03' },
    badRequest: [{ userId: USER_ID, from: '2024-05-03', to: '2024-05-01' }, 'to must not be before from'],
    reply: { detectionsRemoved: 12, clipsRemoved: 11, windowsRemoved: 36, logsRemoved: 3 },
    badReply: [{ detectionsRemoved: 12, clipsRemoved: 11, windowsRemoved: 36 }, 'logsRemoved is missing'],
  },
  {
    name: 'operationsStatus',
    parseRequest: parseOperationsStatusRequest,
    parseReply: parseOperationsStatusReply,
    request: {},
    badRequest: [{ verbose: true }, 'verbose is not an allowed field'],
    reply: {
      jobsInFlight: [
        { jobId: JOB_ID, userId: USER_ID, email: 'a@example.com', localDate: '2024-05-01', trigger: 'nightly', status: 'running', windowsPlanned: 12, windowsDone: 4, registeredAt: '2024-05-02T01:00:00.000Z', updatedAt: '2024-05-02T01:03:00.000Z' },
      ],
      users: [
        { userId: USER_ID, email: 'a@example.com', timezone: 'Europe/Berlin', keyStatus: 'active', lastProcessedDay: '2024-05-01', gapDays: ['2024-04-30'], gapsGivenUp: [] },
      ],
    },
    badReply: [{ jobsInFlight: [], users: [{ userId: USER_ID, email: 'a@example.com', timezone: 'Europe/Berlin', keyStatus: 'active', gapDays: ['yesterday'], gapsGivenUp: [] }] }, 'users.0.gapDays'],
  },
  {
    name: 'reconcile',
    parseRequest: parseReconcileRequest,
    parseReply: parseReconcileReply,
    request: { nowMs: 1714600800000, retention: { clipsDays: 90 }, stuckJobMinutes: 180, staleAudioMinutes: 1440, maxDeletions: 5000, maxClipShare: 0.2, dryRun: true },
    badRequest: [{ nowMs: 1714600800000, retention: {}, stuckJobMinutes: 180, staleAudioMinutes: 1440, maxDeletions: 5000, maxClipShare: 1.5 }, 'maxClipShare must not be greater than 1'],
    reply: {
      scanned: { clips: 16, detections: 18, audioObjects: 1, jobs: 2 },
      deleted: { orphanClips: 0, expiredClips: 0, expiredDetections: 0, expiredLogs: 0, staleAudioObjects: 1 },
      repaired: { detectionsMissingClip: 2, stuckJobs: 0 },
      stoppedBy: 'maxDeletions: more than 5000 deletions were due',
      dryRun: false,
      durationMs: 412,
    },
    badReply: [{ scanned: { clips: 16, detections: 18, audioObjects: 1, jobs: 2 }, deleted: { orphanClips: 0, expiredClips: 0, expiredDetections: 0, expiredLogs: 0, staleAudioObjects: 1 }, repaired: { detectionsMissingClip: 2 }, dryRun: false, durationMs: 4 }, 'repaired.stuckJobs is missing'],
  },
] as const;

describe.each(cases)('query $name', ({ parseRequest, parseReply, request, badRequest, reply, badReply }) => {
  it('accepts a valid request and reply', () => {
    expect(parseRequest(request)).toStrictEqual(request);
    expect(parseReply(reply)).toStrictEqual(reply);
  });

  it('rejects an invalid request and reply', () => {
    expectViolation(() => parseRequest(badRequest[0]), badRequest[1]);
    expectViolation(() => parseReply(badReply[0]), badReply[1]);
  });

  it('rejects non-objects', () => {
    expectViolation(() => parseRequest([]), 'must be a JSON object');
    expectViolation(() => parseReply('x'), 'must be a JSON object');
  });
});

describe('QUERY_CONTRACTS', () => {
  it('has a request and reply parser for every QUERIES subject', () => {
    for (const subject of Object.values(QUERIES)) {
      expect(isQuerySubject(subject)).toBe(true);
      expect(typeof QUERY_CONTRACTS[subject].parseRequest).toBe('function');
      expect(typeof QUERY_CONTRACTS[subject].parseReply).toBe('function');
    }
    expect(isQuerySubject('giggles.query.nope')).toBe(false);
  });
});

describe('parseQueryReply', () => {
  it('accepts a success envelope and checks its data', () => {
    const reply = parseQueryReply(parseMarkKeyInvalidReply, { ok: true, data: { updated: false } });
    expect(reply).toStrictEqual({ ok: true, data: { updated: false } });
    expectViolation(() => parseQueryReply(parseMarkKeyInvalidReply, { ok: true, data: {} }), 'data: updated is missing');
  });

  it('accepts a failure envelope', () => {
    const reply = parseQueryReply(parseMarkKeyInvalidReply, { ok: false, error: { code: 'not_found', message: 'no key' } });
    expect(reply).toStrictEqual({ ok: false, error: { code: 'not_found', message: 'no key' } });
  });

  it('rejects malformed envelopes', () => {
    expectViolation(() => parseQueryReply(parseMarkKeyInvalidReply, { ok: 'yes', data: { updated: true } }), 'ok must be equal to true');
    expectViolation(() => parseQueryReply(parseMarkKeyInvalidReply, { ok: true }), 'data is missing');
    expectViolation(() => parseQueryReply(parseMarkKeyInvalidReply, { ok: false, data: {} }), 'error is missing', 'data is not an allowed field');
    expectViolation(() => parseQueryReply(parseMarkKeyInvalidReply, null), 'must be a JSON object');
  });
});
