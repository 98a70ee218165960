import type { ArchiveSummary } from '../api/archive-types';
import { formatDate, plural } from './format';

/** 1 234 567 → "1.2 MB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1_000;
  let unit = 0;
  while (value >= 1_000 && unit < units.length - 1) {
    value /= 1_000;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** How long kept audio stays, in the words of the switch's explanation. */
export function retentionWords(retentionDays: number): string {
  return retentionDays > 0 ? `for ${plural(retentionDays, 'day')}` : 'until you delete it';
}

/** "1.2 GB over 14 days (1 Mar – 14 Mar 2026)", or that nothing is kept. */
export function archiveSizeWords(summary: ArchiveSummary): string {
  if (summary.windows === 0) return 'Nothing is kept yet.';
  const span =
    summary.oldestDate && summary.newestDate
      ? summary.oldestDate === summary.newestDate
        ? ` (${formatDate(summary.oldestDate, 'short')})`
        : ` (${formatDate(summary.oldestDate, 'short')} – ${formatDate(summary.newestDate, 'short')})`
      : '';
  return `${formatBytes(summary.bytes)} kept over ${plural(summary.days, 'day')}${span}.`;
}
