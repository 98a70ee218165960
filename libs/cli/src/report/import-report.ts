import type { ImportRecord, ImportRecordingReply } from '@giggles/contracts';
import { describeLocal } from '@giggles/recordings';

/** One line per file and a summary for `giggles import`. */

export type ImportOutcome = 'imported' | 'duplicate' | 'refused';

export function outcomeOf(reply: ImportRecordingReply): ImportOutcome {
  if (reply.duplicate) return 'duplicate';
  return reply.import.state === 'rejected' ? 'refused' : 'imported';
}

/** Where the recording lands: `2026-12-03 14:15:00 → 14:25:00 (+01:00)`, the end with its date when it is another day. */
export function landing(record: ImportRecord): string {
  if (record.startMs === undefined || record.endMs === undefined || !record.timezone) return '';
  const start = describeLocal(record.startMs, record.timezone);
  const end = describeLocal(record.endMs, record.timezone);
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  return `${start.slice(0, 19)} → ${sameDay ? end.slice(11) : end} ${record.timezone}`;
}

const PLACED_BY: Record<NonNullable<ImportRecord['placedBy']>, string> = {
  start: 'from --start',
  embedded: 'from its creation time',
  name: 'from its name',
};

export function importLine(path: string, reply: ImportRecordingReply): string {
  const record = reply.import;
  switch (outcomeOf(reply)) {
    case 'duplicate':
      return `= ${path}: already imported (as ${record.fileName}, ${record.state}${record.startMs !== undefined ? `, ${landing(record)}` : ''}); skipped\n`;
    case 'refused':
      return `✗ ${path}: refused (${record.error?.code ?? 'REFUSED'}): ${record.error?.message ?? 'no reason given'}\n`;
    default: {
      const days = record.days.length > 1 ? `, split over ${record.days.map((d) => d.localDate).join(' and ')}` : '';
      return `✓ ${path}: ${landing(record)} (${record.placedBy ? PLACED_BY[record.placedBy] : 'placed'}${days}); processing\n`;
    }
  }
}

export function failedLine(path: string, reason: string): string {
  return `✗ ${path}: ${reason}\n`;
}

export function importSummary(counts: Record<ImportOutcome | 'failed', number>): string {
  const total = counts.imported + counts.duplicate + counts.refused + counts.failed;
  const parts = [`${counts.imported} imported`, `${counts.duplicate} already imported`, `${counts.refused} refused`];
  if (counts.failed > 0) parts.push(`${counts.failed} not sent (see above)`);
  return `${total} file${total === 1 ? '' : 's'}: ${parts.join(', ')}\n`;
}

/** After `--wait`: the file's outcome once processed — laughs per day, or why it failed. */
export function processedLine(path: string, record: ImportRecord): string {
  if (record.state === 'failed' || record.state === 'rejected') {
    return `✗ ${path}: failed (${record.error?.code ?? 'FAILED'}): ${record.error?.message ?? 'no reason given'}\n`;
  }
  if (record.state === 'processing') return `… ${path}: still processing when the wait ran out (${landing(record)})\n`;
  const days = record.days.map((d) => `${d.laughs} laugh${d.laughs === 1 ? '' : 's'} on ${d.localDate}`).join(', ');
  return `✓ ${path}: processed — ${days || 'no laughs'} (${landing(record)})\n`;
}
