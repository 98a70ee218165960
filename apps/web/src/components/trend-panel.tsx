import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { TrendRange, TrendsReply } from '../api/types';
import { errorMessage } from '../lib/errors';
import { formatDate, plural } from '../lib/format';
import { ErrorState, Loading } from './states';
import { TrendChart } from './trend-chart';

const RANGES: TrendRange[] = [30, 90, 365];

/** "3-day streak · longest 9 · record: 41 laughs on Tue, Nov 3" */
export function streakLine(t: TrendsReply): string {
  const parts: string[] = [];
  parts.push(t.currentStreak > 0 ? `${plural(t.currentStreak, 'day')} in a row with laughter` : 'No laughs yet today or yesterday');
  if (t.longestStreak > 1) parts.push(`longest run ${plural(t.longestStreak, 'day')}`);
  const best = t.bestDays[0];
  if (best && best.laughs > 0) parts.push(`record ${plural(best.laughs, 'laugh')} on ${formatDate(best.localDate, 'short')}`);
  return parts.join(' · ');
}

function caption(t: TrendsReply, range: TrendRange): string {
  const total = t.days.reduce((sum, d) => sum + d.laughs, 0);
  const perDay = total / Math.max(t.days.length, 1);
  return `${plural(total, 'laugh')} in the last ${range} days, ${perDay.toFixed(1)} a day on average`;
}

/** The trend chart with its 30/90/365-day switch and the streak line. */
export function TrendPanel({ refreshKey }: { refreshKey: number }) {
  const [range, setRange] = useState<TrendRange>(30);
  const [trends, setTrends] = useState<TrendsReply | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    api
      .trends(range)
      .then((t) => live && setTrends(t))
      .catch((err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [range, refreshKey, attempt]);

  return (
    <section class="card stack" aria-labelledby="trend-title">
      <div class="row row--between">
        <h2 id="trend-title">Trend</h2>
        <div class="segmented" role="group" aria-label="Days shown">
          {RANGES.map((r) => (
            <button type="button" key={r} class="segmented__item" aria-pressed={r === range} onClick={() => setRange(r)}>
              {r} days
            </button>
          ))}
        </div>
      </div>
      {error ? (
        <ErrorState message={error} onRetry={() => setAttempt((a) => a + 1)} />
      ) : !trends ? (
        <Loading label="Loading the trend…" />
      ) : (
        <>
          <p class="streak">{streakLine(trends)}</p>
          <TrendChart days={trends.days} caption={caption(trends, range)} />
        </>
      )}
    </section>
  );
}
