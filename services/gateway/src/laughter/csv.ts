/**
 * CSV as RFC 4180 writes it (comma separated, CRLF line ends, a field quoted when it holds a
 * comma, quote, CR or LF, quotes doubled), made safe to open in a spreadsheet: a text cell that
 * starts with `=`, `+`, `-`, `@`, tab or CR would be run as a formula (CSV injection, OWASP), so it
 * gets a leading `'`. Numbers are written as numbers (a negative number is not a formula).
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
