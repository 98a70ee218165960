import { describe, expect, it } from 'vitest';
import type { BackfillView } from '../src/api/history-types';
import { backfillSentence, daysFinished, formatAudioHours, formatEta } from '../src/lib/history-format';

const base: BackfillView = {
  from: '2025-01-01',
  to: '2025-12-31',
  state: 'active',
  totalDays: 365,
  daysDone: 100,
  daysFailed: 2,
  daysGivenUp: 1,
  givenUp: [{ localDate: '2025-06-14', reason: 'windows still failing after 6 retries' }],
  daysInFlight: 1,
  audioSeconds: 1_234.5 * 3600,
  laughs: 4_321,
  startedAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T01:00:00Z',
};

describe('the history card words', () => {
  it('says how long is left in minutes, hours or days', () => {
    expect(formatEta(30)).toBe('less than a minute');
    expect(formatEta(60)).toBe('about 1 minute');
    expect(formatEta(45 * 60)).toBe('about 45 minutes');
    expect(formatEta(90 * 60)).toBe('about 1 h 30 min');
    expect(formatEta(2 * 3600)).toBe('about 2 h');
    expect(formatEta(3 * 86_400)).toBe('about 3 days');
  });

  it('counts audio in hours with one decimal', () => {
    expect(formatAudioHours(0)).toBe('0 h');
    expect(formatAudioHours(1_440)).toBe('0.4 h');
    expect(formatAudioHours(1_234.5 * 3600)).toBe('1,234.5 h');
  });

  it('fills the bar with done and given-up days (not the ones waiting for a retry), never past the range', () => {
    expect(daysFinished(base)).toBe(101);
    expect(daysFinished({ ...base, daysDone: 365, daysFailed: 3 })).toBe(365);
  });

  it('sums the state up in one sentence for screen readers', () => {
    expect(backfillSentence({ ...base, etaSeconds: 7_200 })).toBe('Processing your history: 100 of 365 days done, 2 days to retry, 1 day given up — about 2 h left.');
    expect(backfillSentence({ ...base, daysFailed: 0, daysGivenUp: 0 })).toBe('Processing your history: 100 of 365 days done.');
    expect(backfillSentence({ ...base, state: 'paused' })).toBe('Paused: 100 of 365 days done, 2 days to retry, 1 day given up. Resume whenever you like.');
    expect(backfillSentence({ ...base, state: 'done', daysDone: 363 })).toBe('Your whole history is processed: 363 of 365 days done, 2 days to retry, 1 day given up, 4,321 laughs found.');
  });
});
