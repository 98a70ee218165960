/** Left-aligned columns two spaces apart, indented by two; the last column is never padded. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => ('  ' + r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
