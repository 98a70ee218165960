import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '@giggles/contracts';
import { parseWaitTimeout, waitForImports } from '../src/imports/wait-for-imports';
import { processedLine } from '../src/report/import-report';

const base: ImportRecord = {
  importId: 'a',
  fileName: 'memo.ogg',
  bytes: 10,
  source: 'cli',
  state: 'processing',
  placedBy: 'name',
  startMs: Date.parse('2026-12-03T13:15:00Z'),
  endMs: Date.parse('2026-12-03T13:25:00Z'),
  timezone: 'Europe/Berlin',
  days: [{ localDate: '2026-12-03', laughs: 0 }],
  laughs: 0,
  createdAt: '2026-12-03T13:30:00Z',
} as ImportRecord;

/** A fake clock: sleeping moves time on, nothing waits for real. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('giggles import --wait', () => {
  it('asks until every import is done or failed, then reports each', async () => {
    const answers: Record<string, ImportRecord[]> = {
      a: [base, { ...base, state: 'done', days: [{ localDate: '2026-12-03', laughs: 3 }], laughs: 3 }],
      b: [{ ...base, importId: 'b', state: 'failed', error: { code: 'AUDIO_CORRUPT', message: 'the audio is damaged at 12 s' } } as ImportRecord],
    };
    const c = clock();
    const result = await waitForImports([base, { ...base, importId: 'b' }], 60_000, { ...c, read: async (id) => answers[id].shift() });
    expect(result.timedOut).toBe(false);
    expect(processedLine('x/memo.ogg', result.records.get('a')!)).toBe('✓ x/memo.ogg: processed — 3 laughs on 2026-12-03 (2026-12-03 14:15:00 → 14:25:00 (+01:00) Europe/Berlin)\n');
    expect(processedLine('y.ogg', result.records.get('b')!)).toBe('✗ y.ogg: failed (AUDIO_CORRUPT): the audio is damaged at 12 s\n');
  });

  it('stops at the timeout with what it last knew, and survives a failing query', async () => {
    const c = clock();
    let asked = 0;
    const result = await waitForImports([base], 10_000, {
      ...c,
      read: async () => {
        asked++;
        if (asked === 1) throw new Error('persistence restarting');
        return base;
      },
    });
    expect(result.timedOut).toBe(true);
    expect(c.now()).toBe(10_000);
    expect(asked).toBe(5);
    expect(processedLine('m.ogg', result.records.get('a')!)).toMatch(/^… m\.ogg: still processing when the wait ran out/);
  });

  it.each([
    [undefined, 3_600_000],
    ['1', 1_000],
    ['86400', 86_400_000],
  ])('--wait-timeout %s → %i ms', (raw, ms) => {
    expect(parseWaitTimeout(raw)).toBe(ms);
  });
  it.each([['0'], ['86401'], ['1.5'], [''], ['soon'], ['-5']])('--wait-timeout %j is refused with its bounds', (raw) => {
    expect(parseWaitTimeout(raw)).toMatch(/from 1 to 86400/);
  });
});
