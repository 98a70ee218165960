import { useEffect, useRef } from 'preact/hooks';
import type { TrendDay } from '../api/types';
import { formatDate } from '../lib/format';

/** Colour steps of the calendar (level-0 = no laughs); thresholds are shares of the busiest day. */
const LEVEL_SHARES = [0.25, 0.5, 0.75];
const CELL = 12;
const WEEKDAY_LABELS = ['Mon', '', 'Wed', '', 'Fri', '', ''];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function level(n: number, max: number): number {
  if (n <= 0) return 0;
  const share = n / max;
  return 1 + LEVEL_SHARES.filter((t) => share > t).length;
}

/** Monday-first weekday of a local date (0 = Monday). */
function weekday(localDate: string): number {
  const [y, m, d] = localDate.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** A year as weeks × weekdays, one square per day shaded by its laughs. Scrolls sideways on a phone. */
export function Heatmap({ days }: { days: TrendDay[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  // Recent weeks are on the right: on a narrow screen, start scrolled there.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [days]);
  const max = Math.max(1, ...days.map((d) => d.laughs));
  const offset = days.length ? weekday(days[0].localDate) : 0;
  const weeks = Math.ceil((days.length + offset) / 7);
  // Room on the right for the last month's label.
  const width = 30 + weeks * CELL + 16;
  const height = 20 + 7 * CELL;
  const daysWithLaughs = days.filter((d) => d.laughs > 0).length;
  const monthLabels: { x: number; text: string }[] = [];
  days.forEach((d, i) => {
    if (d.localDate.endsWith('-01')) monthLabels.push({ x: 30 + Math.floor((i + offset) / 7) * CELL, text: MONTHS[Number(d.localDate.slice(5, 7)) - 1] });
  });
  return (
    <figure class="heatmap">
      <div class="heatmap__scroll" ref={scroller} tabIndex={0} role="region" aria-label="Calendar of the year, scrollable">
        <svg class="heatmap__svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${daysWithLaughs} of ${days.length} days had laughter; the busiest had ${max}.`}>
          {monthLabels.map((m) => (
            <text key={m.x} class="heatmap__label" x={m.x} y="10">
              {m.text}
            </text>
          ))}
          {WEEKDAY_LABELS.map((w, i) =>
            w ? (
              <text key={w} class="heatmap__label" x="0" y={20 + i * CELL + 9}>
                {w}
              </text>
            ) : null,
          )}
          {days.map((d, i) => {
            const slot = i + offset;
            return (
              <rect key={d.localDate} class={`heatmap__cell heatmap__cell--${level(d.laughs, max)}`} x={30 + Math.floor(slot / 7) * CELL} y={20 + (slot % 7) * CELL} width={CELL - 2} height={CELL - 2} rx="2">
                <title>
                  {formatDate(d.localDate, 'short')}: {d.laughs} {d.laughs === 1 ? 'laugh' : 'laughs'}
                </title>
              </rect>
            );
          })}
        </svg>
      </div>
      <figcaption class="heatmap__legend muted">
        Fewer
        {[0, 1, 2, 3, 4].map((l) => (
          <svg key={l} class="heatmap__key" width="12" height="12" aria-hidden="true">
            <rect class={`heatmap__cell heatmap__cell--${l}`} width="10" height="10" rx="2" />
          </svg>
        ))}
        More
      </figcaption>
    </figure>
  );
}
