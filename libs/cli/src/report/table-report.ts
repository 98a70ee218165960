import type { FileFailure, FileReport } from './file-report';

/** m:ss.s (or h:mm:ss.s) — how people read a position in a recording. */
export function clockTime(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = (tenths % 600) / 10;
  const ss = s.toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The default, human-readable output: one block per file with a row per laugh. */
export function renderTable(report: FileReport): string {
  const lines = [`${report.file}  (${clockTime(report.durationS)} of audio, ${report.events.length} laugh${report.events.length === 1 ? '' : 's'})`];
  if (report.events.length === 0) return `${lines[0]}\n  no laughter found\n`;
  const header = ['#', 'start', 'end', 'start s', 'end s', 'length', 'peak', 'mean', 'class'];
  const rows = report.events.map((e, i) => [
    String(i + 1),
    clockTime(e.startS),
    clockTime(e.endS),
    e.startS.toFixed(2),
    e.endS.toFixed(2),
    `${(e.endS - e.startS).toFixed(2)}s`,
    e.probability.toFixed(2),
    e.meanProbability.toFixed(2),
    e.className + (e.clip ? `  → ${e.clip}` : ''),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const numeric = [true, true, true, true, true, true, true, true, false];
  const fmt = (r: string[]) => '  ' + r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c], numeric[c]))).join('  ');
  lines.push(fmt(header), ...rows.map(fmt));
  return lines.join('\n') + '\n';
}

export function renderFailure(failure: FileFailure): string {
  return `giggles: ${failure.file}: ${failure.error}`;
}
