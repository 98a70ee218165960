import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { DaySummary, JobRef } from '../api/types';
import { Banner } from '../components/banner';
import { DayCard } from '../components/day-card';
import { JobProgress } from '../components/job-progress';
import { LimitlessBanner } from '../components/limitless-banner';
import { Empty, ErrorState, Loading } from '../components/states';
import { TrendPanel } from '../components/trend-panel';
import { errorMessage } from '../lib/errors';
import { formatDate, plural } from '../lib/format';
import { useSession } from '../session';

/** Days per page of cards (the API allows up to 100). */
const DAYS_PER_PAGE = 14;

interface DaysState {
  timezone: string;
  days: DaySummary[];
  nextBefore?: string;
}

export function Home() {
  const { me, reload } = useSession();
  const [state, setState] = useState<DaysState | null>(null);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState('');
  const [limitlessUnreachable, setLimitlessUnreachable] = useState(false);
  const [job, setJob] = useState<JobRef | null>(null);
  const [jobError, setJobError] = useState('');
  const [starting, setStarting] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);

  const load = useCallback(async () => {
    setError('');
    try {
      const page = await api.days(undefined, DAYS_PER_PAGE);
      setState({ timezone: page.timezone, days: page.days, nextBefore: page.nextBefore });
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const loadOlder = async () => {
    if (!state?.nextBefore) return;
    setLoadingMore(true);
    setMoreError('');
    try {
      const page = await api.days(state.nextBefore, DAYS_PER_PAGE);
      setState({ timezone: page.timezone, days: [...state.days, ...page.days], nextBefore: page.nextBefore });
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const processToday = async () => {
    setStarting(true);
    setJobError('');
    try {
      setJob((await api.processToday()).job);
    } catch (err) {
      setJobError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  };

  const days = state?.days ?? [];
  const noAudioDays = days.filter((d) => d.state === 'no_audio' || (d.audioSeconds <= 0 && d.state !== 'processing'));
  const failedDays = days.filter((d) => d.windowsFailed > 0 || d.state === 'failed' || d.state === 'partial');

  return (
    <div class="stack">
      <h1 class="visually-hidden">Your laughter</h1>

      {me.key.state === 'none' && (
        <Banner kind="info" title="Connect your Limitless pendant">
          <p>
            Giggles needs your Limitless API key to download your days. <a href="/key">Add your key</a> — or{' '}
            <a href="/upload">upload recordings</a> from your phone or any recorder.
          </p>
        </Banner>
      )}
      <LimitlessBanner onStatus={(s) => setLimitlessUnreachable(s.state === 'unreachable')} />
      {me.key.state === 'invalid' && (
        <Banner kind="error" title="Limitless stopped accepting your key">
          <p>
            {me.key.invalidSince ? `Since ${new Date(me.key.invalidSince).toLocaleString()}, no` : 'No'} new days can be downloaded
            {me.key.invalidReason ? ` (${me.key.invalidReason})` : ''}. <a href="/key">Replace the key</a>
          </p>
        </Banner>
      )}
      {noAudioDays.length > 0 && (
        <Banner kind="warning" title={`${plural(noAudioDays.length, 'day')} without audio`}>
          <p>
            The pendant recorded nothing on {noAudioDays.slice(0, 3).map((d) => formatDate(d.localDate, 'short')).join(', ')}
            {noAudioDays.length > 3 ? ' and more' : ''} — was it worn and charged?
          </p>
        </Banner>
      )}
      {failedDays.length > 0 && (
        <Banner kind="warning" title={`${plural(failedDays.length, 'day')} not fully processed`}>
          <p>
            {failedDays
              .slice(0, 3)
              .map((d) => `${formatDate(d.localDate, 'short')}: ${d.stateMessage}`)
              .join(' · ')}
          </p>
          {limitlessUnreachable && <p>Retries wait until Limitless answers again.</p>}
        </Banner>
      )}

      {me.key.state === 'active' && (
        <section class="card stack" aria-labelledby="today-title">
          <h2 id="today-title">Today so far</h2>
          <p class="muted">Giggles processes each day overnight. To see today's laughs now, process what has been recorded so far.</p>
          {job && (
            <JobProgress
              key={job.jobId}
              jobId={job.jobId}
              label={`Processing ${formatDate(job.localDate, 'short')} so far`}
              onDone={() => {
                setRefreshKey((k) => k + 1);
                void reload();
              }}
            />
          )}
          {jobError && (
            <p class="form-error" role="alert">
              {jobError}
            </p>
          )}
          <div>
            <button type="button" class="button button--primary" onClick={processToday} disabled={starting}>
              {starting ? 'Starting…' : job ? 'Process today again' : 'Process today so far'}
            </button>
          </div>
        </section>
      )}

      <section class="stack" aria-labelledby="days-title">
        <h2 id="days-title">Days</h2>
        {error ? (
          <ErrorState message={error} onRetry={load} />
        ) : !state ? (
          <Loading label="Loading your days…" />
        ) : days.length === 0 ? (
          <Empty title="No days yet">
            <p>
              {me.key.state === 'active'
                ? 'Your first day appears here after tonight’s run — or press “Process today so far” above.'
                : 'Once your Limitless key is saved — or you upload recordings — each recorded day appears here with its laughs.'}
            </p>
          </Empty>
        ) : (
          <>
            <ul class="day-list">
              {days.map((d) => (
                <DayCard key={d.localDate} day={d} timezone={state.timezone} />
              ))}
            </ul>
            {moreError && (
              <p class="form-error" role="alert">
                {moreError}
              </p>
            )}
            {state.nextBefore && (
              <button type="button" class="button" onClick={loadOlder} disabled={loadingMore}>
                {loadingMore ? 'Loading older days…' : 'Older days'}
              </button>
            )}
          </>
        )}
      </section>

      {days.length > 0 && <TrendPanel refreshKey={refreshKey} />}
    </div>
  );
}
