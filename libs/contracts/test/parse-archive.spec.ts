import { describe, expect, it } from 'vitest';
import { ContractViolation, QUERIES, QUERY_CONTRACTS } from '../src';

const START = Date.UTC(2026, 1, 10, 8);
const END = START + 7_200_000;
const kept = { windowStartMs: START, windowEndMs: END, bytes: 1234, sha256: 'a'.repeat(64) };
const marker = { windowStartMs: END, windowEndMs: END + 7_200_000, emptyAtMs: END + 86_400_000 };

describe('archive contracts: empty-window markers (migration 0016)', () => {
  it('a day lists kept windows and, apart, the windows Limitless had no audio for', () => {
    const contract = QUERY_CONTRACTS[QUERIES.archivedWindows];
    expect(contract.parseReply({ windows: [kept], emptyWindows: [marker] })).toEqual({ windows: [kept], emptyWindows: [marker] });
    // An older persistence sends no markers at all.
    expect(contract.parseReply({ windows: [kept] })).toEqual({ windows: [kept] });
  });

  it('refuses a marker without its 404 time, ending before it starts, or carrying a file', () => {
    const contract = QUERY_CONTRACTS[QUERIES.archivedWindows];
    const { emptyAtMs: _dropped, ...untimed } = marker;
    expect(() => contract.parseReply({ windows: [], emptyWindows: [untimed] })).toThrow(ContractViolation);
    expect(() => contract.parseReply({ windows: [], emptyWindows: [{ ...marker, windowEndMs: marker.windowStartMs }] })).toThrow(ContractViolation);
    expect(() => contract.parseReply({ windows: [], emptyWindows: [{ ...marker, bytes: 10 }] })).toThrow(ContractViolation);
  });

  it('sizes count markers apart, optionally (an older persistence omits them)', () => {
    const summary = { mode: 'filesystem', enabled: true, retentionDays: 0, windows: 3, bytes: 9, days: 1, oldestDate: '2026-02-10', newestDate: '2026-02-10' };
    expect(QUERY_CONTRACTS[QUERIES.archiveSummary].parseReply({ ...summary, emptyWindows: 9 })).toMatchObject({ emptyWindows: 9 });
    expect(QUERY_CONTRACTS[QUERIES.archiveSummary].parseReply(summary)).not.toHaveProperty('emptyWindows');
    expect(() => QUERY_CONTRACTS[QUERIES.archiveSummary].parseReply({ ...summary, emptyWindows: -1 })).toThrow(ContractViolation);
    const totals = { mode: 'filesystem', retentionDays: 0, users: [{ userId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f', windows: 0, emptyWindows: 4, bytes: 0, days: 0 }] };
    expect(QUERY_CONTRACTS[QUERIES.archiveTotals].parseReply(totals)).toEqual(totals);
  });
});
