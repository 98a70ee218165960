import type { CoverageWindow, LaughView } from '../api/types';
import { formatAudio } from '../lib/format';

/** Hour ticks drawn under the band. */
const TICK_HOURS = [0, 3, 6, 9, 12, 15, 18, 21, 24];
const VIEW_WIDTH = 1000;
const STATUS_WORDS: Record<CoverageWindow['status'], string> = {
  processed: 'audio',
  empty: 'no audio',
  gap: 'not downloaded yet',
  failed: 'failed',
};

interface Props {
  dayStartMs: number;
  dayEndMs: number;
  windows: CoverageWindow[];
  laughs: LaughView[];
  onSelect: (laugh: LaughView) => void;
}

/**
 * The day from midnight to midnight: a coverage band (which stretches had audio) and a mark per
 * laugh. Drawn with SVG attributes (nothing a strict CSP blocks); every mark is a keyboard button.
 */
export function Timeline({ dayStartMs, dayEndMs, windows, laughs, onSelect }: Props) {
  const span = Math.max(dayEndMs - dayStartMs, 1);
  const x = (ms: number) => Math.min(VIEW_WIDTH, Math.max(0, ((ms - dayStartMs) / span) * VIEW_WIDTH));
  const covered = windows.filter((w) => w.status === 'processed').reduce((s, w) => s + w.audioSeconds, 0);
  const statuses = [...new Set(windows.map((w) => w.status))];
  // An uploaded recording's window can start where a pendant window starts (16:00 and the empty
  // Limitless window 16:00–18:00): stretches with audio are drawn last so "no audio" never hides
  // them, and keys include the index since start times need not be unique.
  const drawn = [...windows].sort((a, b) => Number(a.status === 'processed') - Number(b.status === 'processed'));
  return (
    <figure class="timeline">
      <svg class="timeline__svg" viewBox={`0 0 ${VIEW_WIDTH} 64`} preserveAspectRatio="none" aria-labelledby="timeline-caption" role="group">
        <rect class="timeline__bg" x="0" y="20" width={VIEW_WIDTH} height="20" />
        {drawn.map((w, i) => (
          <rect key={`${w.startMs}-${i}`} class={`timeline__window timeline__window--${w.status}`} x={x(w.startMs)} y="20" width={Math.max(x(w.endMs) - x(w.startMs), 1)} height="20">
            <title>{STATUS_WORDS[w.status]}</title>
          </rect>
        ))}
        {TICK_HOURS.map((h) => (
          <line key={h} class="timeline__tick" x1={(h / 24) * VIEW_WIDTH} x2={(h / 24) * VIEW_WIDTH} y1="40" y2="46" />
        ))}
        {laughs.map((l) => (
          <g
            key={l.id}
            class={`timeline__laugh${l.notLaugh ? ' timeline__laugh--rejected' : ''}`}
            role="button"
            tabIndex={0}
            aria-label={`Laugh at ${l.localTime}`}
            onClick={() => onSelect(l)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(l);
              }
            }}
          >
            <rect class="timeline__hit" x={x(l.startMs) - 20} y="0" width="40" height="40" />
            <rect class="timeline__mark" x={x(l.startMs) - 1.5} y="6" width="3" height="34" />
          </g>
        ))}
      </svg>
      <div class="timeline__hours" aria-hidden="true">
        {TICK_HOURS.filter((h) => h % 6 === 0).map((h) => (
          <span key={h}>{String(h).padStart(2, '0')}:00</span>
        ))}
      </div>
      <figcaption id="timeline-caption" class="timeline__caption">
        {formatAudio(covered)} recorded; {laughs.length} {laughs.length === 1 ? 'laugh' : 'laughs'} shown. Tap a mark to jump to
        that laugh.
        <span class="timeline__legend">
          {statuses.map((s) => (
            <span key={s} class={`legend legend--${s}`}>
              {STATUS_WORDS[s]}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}
