import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrendDay } from '../api/types';
import { formatDate } from '../lib/format';
import { onColorSchemeChange, themeColor } from '../lib/theme';

/** Chart height in CSS pixels: fits a phone screen above the day cards. */
const CHART_HEIGHT = 200;

function dayToSeconds(localDate: string): number {
  const [y, m, d] = localDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 1000;
}

/**
 * Laughs per day as bars and their 7-day moving average as a line, drawn by uPlot on a canvas
 * (365 points stay smooth on a phone). The figure's caption says the same in words.
 */
export function TrendChart({ days, caption }: { days: TrendDay[]; caption: string }) {
  const holder = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    let plot: uPlot | undefined;
    const draw = () => {
      plot?.destroy();
      const data: uPlot.AlignedData = [days.map((d) => dayToSeconds(d.localDate)), days.map((d) => d.laughs), days.map((d) => d.movingAverage7)];
      const accent = themeColor('--accent', '#b36b00');
      const muted = themeColor('--muted', '#666');
      const line = themeColor('--text', '#222');
      const grid = themeColor('--border', '#ddd');
      const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      plot = new uPlot(
        {
          width: Math.max(el.clientWidth, 200),
          height: CHART_HEIGHT,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          // Half a day of room on each side so the first and last bars are not cut in half.
          scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
          axes: [axis, { ...axis, size: 40 }],
          series: [
            {},
            { label: 'Laughs', stroke: accent, fill: accent, paths: uPlot.paths.bars!({ size: [0.7, 24] }), points: { show: false } },
            { label: '7-day average', stroke: line, width: 2, points: { show: false } },
          ],
        },
        data,
        el,
      );
    };
    draw();
    const resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(el.clientWidth, 200), height: CHART_HEIGHT }));
    resize.observe(el);
    const stopWatching = onColorSchemeChange(draw);
    return () => {
      resize.disconnect();
      stopWatching();
      plot?.destroy();
    };
  }, [days]);

  const first = days[0]?.localDate;
  const last = days.at(-1)?.localDate;
  return (
    <figure class="chart">
      <div class="chart__canvas" ref={holder} role="img" aria-label={caption} />
      <figcaption class="chart__caption">
        {caption}
        {first && last && (
          <span class="chart__range">
            {' '}
            ({formatDate(first, 'short')} – {formatDate(last, 'short')})
          </span>
        )}
        <span class="chart__legend" aria-hidden="true">
          <span class="legend legend--bar">laughs</span>
          <span class="legend legend--line">7-day average</span>
        </span>
      </figcaption>
    </figure>
  );
}
