import { describe, expect, it } from 'vitest';
import { ContractViolation, HISTORY_COMMANDS, HISTORY_QUERIES, INGESTION_REQUESTS, JOB_TRIGGERS, QUERY_CONTRACTS, isQuerySubject } from '../src';

const USER = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
const progress = {
  userId: USER,
  email: 'a@example.com',
  timezone: 'Europe/Berlin',
  from: '2026-01-01',
  to: '2026-12-01',
  state: 'active',
  totalDays: 335,
  daysDone: 10,
  daysFailed: 1,
  daysInFlight: 2,
  audioSeconds: 1234.5,
  laughs: 17,
  startedAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T11:00:00.000Z',
  backfillJobsDone: 9,
};

describe('history contracts', () => {
  it('registers every history subject in QUERY_CONTRACTS', () => {
    for (const subject of [...Object.values(HISTORY_QUERIES), ...Object.values(HISTORY_COMMANDS), ...Object.values(INGESTION_REQUESTS)]) {
      expect(isQuerySubject(subject)).toBe(true);
    }
    expect(JOB_TRIGGERS).toContain('backfill');
  });

  it('backfill command: a user ref with optional dates; bad dates and two refs are refused', () => {
    const contract = QUERY_CONTRACTS[HISTORY_COMMANDS.backfill];
    expect(contract.parseRequest({ email: 'a@example.com' })).toEqual({ email: 'a@example.com' });
    expect(contract.parseRequest({ userId: USER, from: '2025-01-01', to: '2026-01-01' })).toMatchObject({ from: '2025-01-01' });
    expect(() => contract.parseRequest({ email: 'a@example.com', from: '2025-13-01' })).toThrow(ContractViolation);
    expect(() => contract.parseRequest({ email: 'a@example.com', userId: USER })).toThrow(/exactly one/);
    expect(() => contract.parseRequest({})).toThrow(ContractViolation);
    expect(contract.parseReply({ backfill: progress, firstAudio: { method: 'lifelogs', requests: 1, atMs: 1 } })).toBeTruthy();
    expect(() => contract.parseReply({ backfill: { ...progress, state: 'running' } })).toThrow(/state/);
  });

  it('backfill plan: bounded days per user', () => {
    const contract = QUERY_CONTRACTS[HISTORY_QUERIES.backfillPlan];
    expect(() => contract.parseRequest({ limitPerUser: 0 })).toThrow(ContractViolation);
    expect(() => contract.parseRequest({ limitPerUser: 51 })).toThrow(ContractViolation);
    expect(contract.parseReply({ users: [{ userId: USER, timezone: 'UTC', backfillInFlight: 1, jobsInFlight: 2, days: ['2026-01-01'] }], backfillInFlight: 1, otherJobsQueued: 0 })).toBeTruthy();
    expect(() => contract.parseReply({ users: [{ userId: USER, timezone: 'UTC', backfillInFlight: 1, jobsInFlight: 1, days: ['yesterday'] }], backfillInFlight: 1, otherJobsQueued: 0 })).toThrow();
  });

  it('first audio: notAfterMs after notBeforeMs; reply without atMs when nothing was found', () => {
    const contract = QUERY_CONTRACTS[INGESTION_REQUESTS.firstAudio];
    expect(() => contract.parseRequest({ userId: USER, notBeforeMs: 10, notAfterMs: 10 })).toThrow(ContractViolation);
    expect(contract.parseReply({ method: 'none', requests: 3 })).toEqual({ method: 'none', requests: 3 });
    expect(() => contract.parseReply({ method: 'guess', requests: 3 })).toThrow(ContractViolation);
  });

  it('outages and probe', () => {
    expect(QUERY_CONTRACTS[HISTORY_QUERIES.apiOutageSet].parseRequest({ userId: USER, action: 'pause', reason: 'x' })).toBeTruthy();
    expect(() => QUERY_CONTRACTS[HISTORY_QUERIES.apiOutageSet].parseRequest({ userId: USER, action: 'stop' })).toThrow(ContractViolation);
    expect(() => QUERY_CONTRACTS[HISTORY_QUERIES.apiOutages].parseRequest({ extra: 1 })).toThrow(ContractViolation);
    expect(QUERY_CONTRACTS[INGESTION_REQUESTS.probe].parseReply({ reachable: false, status: 0, error: 'ECONNREFUSED' })).toBeTruthy();
  });
});
