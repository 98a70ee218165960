import type { Laugh } from '@giggles/contracts';
import { describe, expect, it } from 'vitest';
import { EXPORT_JSON_CLOSING, exportCsvHeader, exportCsvRow, exportJsonLaugh, exportJsonOpening } from './export-format';

const laugh: Laugh = {
  id: 'a1',
  localDate: '2026-03-07',
  startMs: Date.UTC(2026, 2, 8, 7, 30, 0),
  endMs: Date.UTC(2026, 2, 8, 7, 30, 2),
  peakMs: Date.UTC(2026, 2, 8, 7, 30, 1),
  durationS: 2,
  probability: 0.8,
  meanProbability: 0.6,
  classId: 13,
  className: 'Laughter',
  notes: '=cmd|"/c calc"!A1, then "more"',
  review: 'not_laugh',
  reviewedAt: '2026-03-08T10:00:00.000Z',
  hasClip: true,
};

describe('export format', () => {
  it('writes a CSV header and one defused, quoted row per laugh', () => {
    expect(exportCsvHeader()).toBe(
      'id,local_date,local_time,start_utc,end_utc,duration_s,probability,mean_probability,class_name,class_id,notes,review,reviewed_at,clip_url\r\n',
    );
    expect(exportCsvRow(laugh, 'America/Los_Angeles')).toBe(
      `a1,2026-03-07,23:30:00,2026-03-08T07:30:00.000Z,2026-03-08T07:30:02.000Z,2,0.8,0.6,Laughter,13,"'=cmd|""/c calc""!A1, then ""more""",not_laugh,2026-03-08T10:00:00.000Z,/api/laughs/a1/clip\r\n`,
    );
  });

  it('writes JSON pieces that join into one valid document', () => {
    const text =
      exportJsonOpening('UTC', new Date(0)) +
      exportJsonLaugh(laugh, 'UTC', true) +
      exportJsonLaugh({ ...laugh, id: 'a2', notes: undefined, review: undefined }, 'UTC', false) +
      EXPORT_JSON_CLOSING;
    const doc = JSON.parse(text) as { timezone: string; laughs: Array<{ id: string; notes?: string; notLaugh: boolean }> };
    expect(doc.timezone).toBe('UTC');
    expect(doc.laughs.map((l) => l.id)).toEqual(['a1', 'a2']);
    expect(doc.laughs[0].notes).toBe(laugh.notes);
    expect(doc.laughs[0].notLaugh).toBe(true);
    expect(doc.laughs[1].notLaugh).toBe(false);
  });

  it('is an empty list when there is nothing to export', () => {
    const doc = JSON.parse(exportJsonOpening('UTC', new Date(0)) + EXPORT_JSON_CLOSING) as { laughs: unknown[] };
    expect(doc.laughs).toEqual([]);
  });
});
