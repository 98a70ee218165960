import type { ReportedEvent } from '../report/file-report';
import { clockTime } from '../report/table-report';

export interface TimelineInput {
  file: string;
  durationS: number;
  series: { timeS: number; score: number }[];
  events: ReportedEvent[];
  startThreshold: number;
  stopThreshold: number;
}

const WIDTH = 1200;
const HEIGHT = 260;
const M = { left: 48, right: 16, top: 16, bottom: 36 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Round tick spacing (seconds) giving about eight ticks over the recording. */
function tickStep(durationS: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
  return steps.find((s) => durationS / s <= 10) ?? 10800;
}

/**
 * A self-contained HTML page (inline SVG, no scripts or network) plotting the laughter score over
 * the recording with every detected laugh shaded and numbered, and the thresholds drawn.
 */
export function renderTimelineHtml(input: TimelineInput): string {
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const span = Math.max(input.durationS, 1e-6);
  const x = (t: number) => M.left + (Math.min(Math.max(t, 0), span) / span) * plotW;
  const y = (p: number) => M.top + (1 - Math.min(Math.max(p, 0), 1)) * plotH;

  const line = input.series.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.timeS).toFixed(1)},${y(p.score).toFixed(1)}`).join('');
  const events = input.events
    .map((e, i) => {
      const x0 = x(e.startS);
      const w = Math.max(1.5, x(e.endS) - x0);
      const title = `#${i + 1} ${clockTime(e.startS)}–${clockTime(e.endS)} ${e.className} peak ${e.probability.toFixed(2)}`;
      return `<rect class="event" x="${x0.toFixed(1)}" y="${M.top}" width="${w.toFixed(1)}" height="${plotH}"><title>${escapeHtml(title)}</title></rect>`;
    })
    .join('\n');
  const step = tickStep(span);
  const ticks: string[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) {
    ticks.push(`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${M.top}" y2="${M.top + plotH}"/><text x="${x(t)}" y="${HEIGHT - 14}" text-anchor="middle">${clockTime(t).replace(/\.0$/, '')}</text>`);
  }
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    ticks.push(`<text x="${M.left - 6}" y="${y(p) + 4}" text-anchor="end">${p.toFixed(2)}</text>`);
  }
  const thresholds = [
    ['start', input.startThreshold],
    ['stop', input.stopThreshold],
  ]
    .map(([name, v]) => `<line class="threshold" x1="${M.left}" x2="${M.left + plotW}" y1="${y(v as number)}" y2="${y(v as number)}"><title>${name} threshold ${v}</title></line>`)
    .join('');
  const rows = input.events
    .map((e, i) => `<tr><td>${i + 1}</td><td>${clockTime(e.startS)}</td><td>${clockTime(e.endS)}</td><td>${(e.endS - e.startS).toFixed(2)} s</td><td>${e.probability.toFixed(2)}</td><td>${escapeHtml(e.className)}</td></tr>`)
    .join('\n');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Laughter timeline — ${escapeHtml(input.file)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
svg{background:#fcfcfc;border:1px solid #ddd}
text{font-size:11px;fill:#555}
.grid{stroke:#eee}
.score{fill:none;stroke:#2563eb;stroke-width:1.2}
.event{fill:#f59e0b;fill-opacity:.35}
.threshold{stroke:#dc2626;stroke-dasharray:4 3;stroke-width:1}
table{border-collapse:collapse;margin-top:16px}td,th{padding:2px 10px;text-align:right}th{border-bottom:1px solid #ccc}
</style></head><body>
<h1>${escapeHtml(input.file)}</h1>
<p>${clockTime(input.durationS)} of audio · ${input.events.length} laugh${input.events.length === 1 ? '' : 's'} · laughter score (blue), laughs (orange), thresholds (red)</p>
<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="laughter score over time">
${ticks.join('\n')}
${events}
<path class="score" d="${line}"/>
${thresholds}
</svg>
<table><thead><tr><th>#</th><th>start</th><th>end</th><th>length</th><th>peak</th><th>class</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
