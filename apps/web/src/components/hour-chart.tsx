import { plural } from '../lib/format';

/** Laughs by hour of day as 24 bars (SVG attributes, no inline styles). */
export function HourChart({ byHour }: { byHour: number[] }) {
  const max = Math.max(1, ...byHour);
  const peak = byHour.indexOf(Math.max(...byHour));
  const total = byHour.reduce((a, b) => a + b, 0);
  const summary =
    total === 0
      ? 'No laughs in this period yet.'
      : `You laugh most around ${String(peak).padStart(2, '0')}:00 (${plural(byHour[peak], 'laugh')} in that hour over the period).`;
  return (
    <figure class="hours">
      <svg class="hours__svg" viewBox="0 0 240 100" preserveAspectRatio="none" role="img" aria-label={summary}>
        {byHour.map((n, h) => {
          const height = (n / max) * 92;
          return (
            <rect key={h} class={h === peak && total > 0 ? 'hours__bar hours__bar--peak' : 'hours__bar'} x={h * 10 + 1} y={100 - height} width="8" height={Math.max(height, 0.5)}>
              <title>
                {String(h).padStart(2, '0')}:00 — {n} {n === 1 ? 'laugh' : 'laughs'}
              </title>
            </rect>
          );
        })}
      </svg>
      <div class="hours__axis" aria-hidden="true">
        <span>00</span>
        <span>06</span>
        <span>12</span>
        <span>18</span>
        <span>24</span>
      </div>
      <figcaption class="muted">{summary}</figcaption>
    </figure>
  );
}
