import { describe, expect, it } from 'vitest';
import {
  CLIP_CHUNK_MAX,
  NOTES_MAX_LENGTH,
  QUERIES,
  QUERY_CONTRACTS,
  parseDayLaughsReply,
  parseDayLaughsRequest,
  parseDayReply,
  parseDayRequest,
  parseDaysPageReply,
  parseDaysPageRequest,
  parseDeleteDayReply,
  parseDeleteDayRequest,
  parseDeleteKeyReply,
  parseDeleteKeyRequest,
  parseDeleteLaughReply,
  parseDeleteLaughRequest,
  parseDeleteUserDataReply,
  parseDeleteUserDataRequest,
  parseEnsureUserReply,
  parseEnsureUserRequest,
  parseExportLaughsReply,
  parseExportLaughsRequest,
  parseJobProgressReply,
  parseJobProgressRequest,
  parseReadClipReply,
  parseReadClipRequest,
  parseSaveKeyReply,
  parseSaveKeyRequest,
  parseTrendsReply,
  parseTrendsRequest,
  parseUpdateLaughReply,
  parseUpdateLaughRequest,
  parseUpdateSettingsReply,
  parseUpdateSettingsRequest,
  parseUserProfileReply,
  parseUserProfileRequest,
  type DaySummary,
  type Laugh,
} from '../src';
import { expectViolation, JOB_ID, USER_ID } from './fixtures';

const LAUGH_ID = '0f9c6b1e-9a2d-4c1b-8e7f-123456789abc';
const profile = {
  userId: USER_ID,
  email: 'a@example.com',
  timezone: 'Europe/Berlin',
  createdAt: '2024-05-01T10:00:00.000Z',
  key: { state: 'active', savedAt: '2024-05-01T10:00:00.000Z', lastUsedAt: '2024-05-02T01:00:00.000Z' },
};
const summary: DaySummary = {
  localDate: '2024-05-01',
  laughCount: 3,
  laughSeconds: 4.5,
  meanProbability: 0.8,
  audioSeconds: 3600,
  windowsProcessed: 1,
  windowsEmpty: 0,
  windowsGap: 0,
  windowsFailed: 0,
  rejectedCount: 1,
  state: 'done',
  stateMessage: 'Done: 1 hour of audio, 3 laughs.',
  jobsInFlight: 0,
};
const laugh: Laugh = {
  id: LAUGH_ID,
  localDate: '2024-05-01',
  startMs: 1_714_520_000_000,
  endMs: 1_714_520_001_500,
  peakMs: 1_714_520_000_700,
  durationS: 1.5,
  probability: 0.91,
  meanProbability: 0.7,
  classId: 13,
  className: 'Laughter',
  notes: 'at dinner',
  review: 'not_laugh',
  reviewedAt: '2024-05-02T08:00:00.000Z',
  hasClip: true,
};
const trendDays = [{ localDate: '2024-05-01', laughs: 2, laughSeconds: 3, audioSeconds: 3600, movingAverage7: 2 }];

/** A valid request and reply per gateway query, and for each an invalid variant with the problem it must report. */
const cases = [
  {
    name: 'ensureUser',
    parseRequest: parseEnsureUserRequest,
    parseReply: parseEnsureUserReply,
    request: { userId: USER_ID, email: 'a@example.com', timezone: 'America/New_York' },
    badRequest: [{ userId: USER_ID, email: 'a@example.com', timezone: '+01:00' }, 'timezone must be an IANA timezone name'],
    reply: { ...profile, created: true },
    badReply: [profile, 'created is missing'],
  },
  {
    name: 'userProfile',
    parseRequest: parseUserProfileRequest,
    parseReply: parseUserProfileReply,
    request: { userId: USER_ID },
    badRequest: [{ userId: 'not-a-uuid' }, 'userId must be a UUID'],
    reply: { ...profile, key: { state: 'invalid', invalidSince: '2024-05-02T01:00:00.000Z', invalidReason: 'Limitless answered 401' } },
    badReply: [{ ...profile, key: { state: 'valid' } }, 'key.state must be one of the following values: active, invalid, none'],
  },
  {
    name: 'updateSettings',
    parseRequest: parseUpdateSettingsRequest,
    parseReply: parseUpdateSettingsReply,
    request: { userId: USER_ID, timezone: 'Asia/Kolkata' },
    badRequest: [{ userId: USER_ID, timezone: 'Mars/Olympus_Mons' }, 'timezone must be an IANA timezone name'],
    reply: profile,
    badReply: [{ ...profile, createdAt: 'yesterday' }, 'createdAt must be an ISO 8601 instant'],
  },
  {
    name: 'saveKey',
    parseRequest: parseSaveKeyRequest,
    parseReply: parseSaveKeyReply,
    request: { userId: USER_ID, encryptedKey: 'bm9uY2UxMjM0NTY3OGNpcGhlcg==' },
    badRequest: [{ userId: USER_ID, encryptedKey: 'sk-plain key!' }, 'encryptedKey must be base64'],
    reply: { replaced: false, key: { state: 'active', savedAt: '2024-05-01T10:00:00.000Z' } },
    badReply: [{ replaced: 'no', key: { state: 'active' } }, 'replaced must be a boolean'],
  },
  {
    name: 'deleteKey',
    parseRequest: parseDeleteKeyRequest,
    parseReply: parseDeleteKeyReply,
    request: { userId: USER_ID },
    badRequest: [{}, 'userId is missing'],
    reply: { deleted: true },
    badReply: [{}, 'deleted is missing'],
  },
  {
    name: 'deleteUserData',
    parseRequest: parseDeleteUserDataRequest,
    parseReply: parseDeleteUserDataReply,
    request: { userId: USER_ID },
    badRequest: [{ userId: USER_ID, everyone: true }, 'everyone is not an allowed field'],
    reply: { detections: 3, clips: 2, segments: 4, logs: 1, jobs: 1, keys: 1, userRemoved: true },
    badReply: [{ detections: -1, clips: 2, segments: 4, logs: 1, jobs: 1, keys: 1, userRemoved: true }, 'detections must not be less than 0'],
  },
  {
    name: 'daysPage',
    parseRequest: parseDaysPageRequest,
    parseReply: parseDaysPageReply,
    request: { userId: USER_ID, before: '2024-05-02', limit: 30 },
    badRequest: [{ userId: USER_ID, limit: 101 }, 'limit must not be greater than 100'],
    reply: { timezone: 'Europe/Berlin', days: [summary], nextBefore: '2024-05-01' },
    badReply: [{ timezone: 'Europe/Berlin', days: [{ ...summary, state: 'sleeping' }] }, 'days.0.state must be one of the following values'],
  },
  {
    name: 'day',
    parseRequest: parseDayRequest,
    parseReply: parseDayReply,
    request: { userId: USER_ID, localDate: '2024-05-01' },
    badRequest: [{ userId: USER_ID, localDate: '2024-02-30' }, 'localDate must be a real calendar date'],
    reply: { timezone: 'Europe/Berlin', summary, windows: [{ startMs: 1_714_514_400_000, endMs: 1_714_521_600_000, status: 'processed', audioSeconds: 7190.5 }] },
    badReply: [{ timezone: 'Europe/Berlin', summary, windows: [{ startMs: 5, endMs: 4, status: 'processed', audioSeconds: 1 }] }, 'windows.0.endMs must not be less than startMs'],
  },
  {
    name: 'deleteDay',
    parseRequest: parseDeleteDayRequest,
    parseReply: parseDeleteDayReply,
    request: { userId: USER_ID, localDate: '2024-05-01' },
    badRequest: [{ userId: USER_ID, localDate: '01/05/2024' }, 'localDate must be a real calendar date'],
    reply: { laughsDeleted: 3, clipsRemoved: 3 },
    badReply: [{ laughsDeleted: 1.5, clipsRemoved: 0 }, 'laughsDeleted must be an integer'],
  },
  {
    name: 'dayLaughs',
    parseRequest: parseDayLaughsRequest,
    parseReply: parseDayLaughsReply,
    request: { userId: USER_ID, localDate: '2024-05-01', minProbability: 0.5, offset: 50, limit: 50 },
    badRequest: [{ userId: USER_ID, localDate: '2024-05-01', limit: 0 }, 'limit must not be less than 1'],
    reply: { localDate: '2024-05-01', timezone: 'Europe/Berlin', total: 1, laughs: [laugh] },
    badReply: [{ localDate: '2024-05-01', timezone: 'Europe/Berlin', total: 1, laughs: [{ ...laugh, probability: 1.2 }] }, 'laughs.0.probability must not be greater than 1'],
  },
  {
    name: 'updateLaugh',
    parseRequest: parseUpdateLaughRequest,
    parseReply: parseUpdateLaughReply,
    request: { userId: USER_ID, laughId: LAUGH_ID, notes: null, review: 'not_laugh' },
    badRequest: [{ userId: USER_ID, laughId: LAUGH_ID, review: 'funny' }, 'review must be one of the following values: not_laugh'],
    reply: { laugh },
    badReply: [{ laugh: { ...laugh, hasClip: undefined } }, 'laugh.hasClip is missing'],
  },
  {
    name: 'deleteLaugh',
    parseRequest: parseDeleteLaughRequest,
    parseReply: parseDeleteLaughReply,
    request: { userId: USER_ID, laughId: LAUGH_ID },
    badRequest: [{ userId: USER_ID, laughId: '42' }, 'laughId must be a UUID'],
    reply: { deleted: true, clipRemoved: false },
    badReply: [{ deleted: true }, 'clipRemoved is missing'],
  },
  {
    name: 'exportLaughs',
    parseRequest: parseExportLaughsRequest,
    parseReply: parseExportLaughsReply,
    request: { userId: USER_ID, after: { startMs: 1_714_520_000_000, id: LAUGH_ID }, limit: 1000 },
    badRequest: [{ userId: USER_ID, limit: 1001 }, 'limit must not be greater than 1000'],
    reply: { laughs: [laugh], next: { startMs: laugh.startMs, id: LAUGH_ID } },
    badReply: [{ laughs: [laugh], next: { startMs: laugh.startMs } }, 'next.id is missing'],
  },
  {
    name: 'readClip',
    parseRequest: parseReadClipRequest,
    parseReply: parseReadClipReply,
    request: { userId: USER_ID, laughId: LAUGH_ID, offset: 44, length: 1024 },
    badRequest: [{ userId: USER_ID, laughId: LAUGH_ID, length: CLIP_CHUNK_MAX + 1 }, `length must not be greater than ${CLIP_CHUNK_MAX}`],
    reply: { size: 3, etag: '"abc"', contentType: 'audio/wav', offset: 0, dataBase64: 'UklG' },
    badReply: [{ size: 3, etag: '"abc"', contentType: 'audio/mpeg', offset: 0, dataBase64: 'UklG' }, 'contentType must be equal to audio/wav'],
  },
  {
    name: 'trends',
    parseRequest: parseTrendsRequest,
    parseReply: parseTrendsReply,
    request: { userId: USER_ID, from: '2024-01-01', to: '2025-02-03' },
    badRequest: [{ userId: USER_ID, from: '2024-01-01', to: '2025-02-04' }, 'to must be at most 400 days from from'],
    reply: { timezone: 'UTC', days: trendDays, byHour: new Array(24).fill(0), bestDays: [{ localDate: '2024-05-01', laughs: 2 }], currentStreak: 1, longestStreak: 1 },
    badReply: [{ timezone: 'UTC', days: trendDays, byHour: [1, 2], bestDays: [], currentStreak: 0, longestStreak: 0 }, 'byHour must contain at least 24 elements'],
  },
  {
    name: 'jobProgress',
    parseRequest: parseJobProgressRequest,
    parseReply: parseJobProgressReply,
    request: { userId: USER_ID, jobId: JOB_ID },
    badRequest: [{ userId: USER_ID, jobId: 'a job' }, 'jobId must be printable ASCII without spaces'],
    reply: { jobId: JOB_ID, localDate: '2024-05-01', trigger: 'today', status: 'running', windowsPlanned: 6, windowsDone: 2, laughsFound: 4, updatedAt: '2024-05-01T12:00:00.000Z' },
    badReply: [{ jobId: JOB_ID, localDate: '2024-05-01', trigger: 'today', status: 'paused', windowsPlanned: 6, windowsDone: 2, laughsFound: 4, updatedAt: '2024-05-01T12:00:00.000Z' }, 'status must be one of the following values'],
  },
] as const;

describe.each(cases)('gateway query $name', ({ parseRequest, parseReply, request, badRequest, reply, badReply }) => {
  it('accepts a valid request and reply', () => {
    expect(parseRequest(request)).toStrictEqual(request);
    expect(parseReply(reply)).toStrictEqual(reply);
  });

  it('rejects an invalid request and reply', () => {
    expectViolation(() => parseRequest(badRequest[0]), badRequest[1]);
    expectViolation(() => parseReply(badReply[0]), badReply[1]);
  });

  it('rejects non-objects and a missing user', () => {
    expectViolation(() => parseRequest(null), 'must be a JSON object');
    expectViolation(() => parseReply([]), 'must be a JSON object');
  });
});

describe('gateway query details', () => {
  it('every gateway subject is wired to its parsers', () => {
    for (const [subject, parse] of [
      [QUERIES.ensureUser, parseEnsureUserRequest],
      [QUERIES.trends, parseTrendsRequest],
      [QUERIES.readClip, parseReadClipRequest],
    ] as const) {
      expect(QUERY_CONTRACTS[subject].parseRequest).toBe(parse);
    }
  });

  it('notes: hostile text is accepted as plain text, up to NOTES_MAX_LENGTH characters', () => {
    const hostile = `<script>alert("x")</script>'); DROP TABLE users; -- \u0000 ${'😂'.repeat(10)}`;
    expect(parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID, notes: hostile })).toStrictEqual({ userId: USER_ID, laughId: LAUGH_ID, notes: hostile });
    expect(parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID, notes: 'x'.repeat(NOTES_MAX_LENGTH) }).notes).toHaveLength(NOTES_MAX_LENGTH);
    expectViolation(() => parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID, notes: 'x'.repeat(NOTES_MAX_LENGTH + 1) }), `notes must be shorter than or equal to ${NOTES_MAX_LENGTH}`);
    expectViolation(() => parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID, notes: 42 }), 'notes must be a string');
  });

  it('an update must change something; null clears', () => {
    expectViolation(() => parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID }), 'give at least one of notes or review');
    expect(parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID, review: null })).toStrictEqual({ userId: USER_ID, laughId: LAUGH_ID, review: null });
    expectViolation(() => parseUpdateLaughRequest({ userId: USER_ID, laughId: LAUGH_ID, notes: 'a', change: 1 }), 'change');
  });

  it('paging and ranges have bounds', () => {
    expectViolation(() => parseDayLaughsRequest({ userId: USER_ID, localDate: '2024-05-01', offset: -1 }), 'offset must not be less than 0');
    expectViolation(() => parseDayLaughsRequest({ userId: USER_ID, localDate: '2024-05-01', minProbability: 'high' }), 'minProbability must be a number');
    expectViolation(() => parseDaysPageRequest({ userId: USER_ID, before: '2024-13-01' }), 'before must be a real calendar date');
    expectViolation(() => parseTrendsRequest({ userId: USER_ID, from: '2024-05-02', to: '2024-05-01' }), 'to must not be before from');
    expectViolation(() => parseReadClipRequest({ userId: USER_ID, laughId: LAUGH_ID, offset: 1.5 }), 'offset must be an integer');
    expectViolation(() => parseExportLaughsRequest({ userId: USER_ID, after: { startMs: 1, id: 'x' } }), 'after.id must be a UUID');
  });

  it('a legacy laugh without an end (endMs = startMs) is a valid reply; an end before the start is not', () => {
    const legacy = { ...laugh, endMs: laugh.startMs, peakMs: laugh.startMs, durationS: 0, classId: undefined, meanProbability: undefined };
    delete legacy.classId;
    delete legacy.meanProbability;
    expect(parseUpdateLaughReply({ laugh: legacy })).toStrictEqual({ laugh: legacy });
    expectViolation(() => parseUpdateLaughReply({ laugh: { ...laugh, endMs: laugh.startMs - 1 } }), 'laugh.endMs must not be less than startMs');
  });

  it('clip data must be base64 and at most one chunk', () => {
    expectViolation(() => parseReadClipReply({ size: 3, etag: '"a"', contentType: 'audio/wav', offset: 0, dataBase64: 'not base64!' }), 'dataBase64 must be base64');
    expect(parseReadClipReply({ size: 0, etag: '"a"', contentType: 'audio/wav', offset: 0, dataBase64: '' }).dataBase64).toBe('');
  });
});
