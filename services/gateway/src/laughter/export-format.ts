import type { Laugh } from '@giggles/contracts';
import { csvRow } from './csv';
import { toLaughView, type LaughView } from './laugh-view';

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Columns of the CSV export, in order (also its header line). */
export const EXPORT_CSV_COLUMNS = [
  'id',
  'local_date',
  'local_time',
  'start_utc',
  'end_utc',
  'duration_s',
  'probability',
  'mean_probability',
  'class_name',
  'class_id',
  'notes',
  'review',
  'reviewed_at',
  'clip_url',
] as const;

export function exportCsvHeader(): string {
  return csvRow(EXPORT_CSV_COLUMNS);
}

export function exportCsvRow(laugh: Laugh, timezone: string): string {
  const view = toLaughView(laugh, timezone);
  return csvRow([
    view.id,
    view.localDate,
    view.localTime,
    new Date(view.startMs).toISOString(),
    new Date(view.endMs).toISOString(),
    view.durationS,
    view.probability,
    view.meanProbability,
    view.className,
    view.classId,
    view.notes,
    view.review,
    view.reviewedAt,
    view.clipUrl,
  ]);
}

/**
 * The JSON export is one document written in pieces so it never sits whole in memory:
 * `{"exportedAt","timezone","laughs":[…]}`.
 */
export function exportJsonOpening(timezone: string, exportedAt: Date): string {
  return `{"exportedAt":${JSON.stringify(exportedAt.toISOString())},"timezone":${JSON.stringify(timezone)},"laughs":[`;
}

export function exportJsonLaugh(laugh: Laugh, timezone: string, first: boolean): string {
  const view: LaughView = toLaughView(laugh, timezone);
  return `${first ? '' : ','}\n${JSON.stringify(view)}`;
}

export const EXPORT_JSON_CLOSING = '\n]}\n';

export function exportFileName(format: ExportFormat): string {
  return `giggles-export.${format}`;
}
