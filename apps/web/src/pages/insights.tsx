import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { TrendsReply } from '../api/types';
import { Heatmap } from '../components/heatmap';
import { HourChart } from '../components/hour-chart';
import { Empty, ErrorState, Loading } from '../components/states';
import { errorMessage } from '../lib/errors';
import { formatDate, plural } from '../lib/format';

/** The insights cover the last year (the longest trend the API serves). */
const INSIGHT_DAYS = 365;

export function Insights() {
  const [trends, setTrends] = useState<TrendsReply | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError('');
    api
      .trends(INSIGHT_DAYS)
      .then((t) => live && setTrends(t))
      .catch((err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [attempt]);

  const total = trends?.days.reduce((s, d) => s + d.laughs, 0) ?? 0;
  return (
    <div class="stack">
      <h1>Insights</h1>
      {error ? (
        <ErrorState message={error} onRetry={() => setAttempt((a) => a + 1)} />
      ) : !trends ? (
        <Loading label="Working out your patterns…" />
      ) : total === 0 ? (
        <Empty title="No laughs to learn from yet">
          <p>Once a few days are processed, this page shows when you laugh most, your calendar and your best days.</p>
        </Empty>
      ) : (
        <>
          <p class="streak">
            {plural(total, 'laugh')} in the last year · {plural(trends.currentStreak, 'day')} in a row now · longest run {plural(trends.longestStreak, 'day')}
          </p>
          <section class="card stack" aria-labelledby="hours-title">
            <h2 id="hours-title">Time of day</h2>
            <HourChart byHour={trends.byHour} />
          </section>
          <section class="card stack" aria-labelledby="calendar-title">
            <h2 id="calendar-title">Your year</h2>
            <Heatmap days={trends.days} />
          </section>
          <section class="card stack" aria-labelledby="best-title">
            <h2 id="best-title">Best days</h2>
            <ol class="best-days">
              {trends.bestDays.map((d) => (
                <li key={d.localDate}>
                  <a href={`/day/${d.localDate}`}>{formatDate(d.localDate)}</a> — {plural(d.laughs, 'laugh')}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </div>
  );
}
