import { useLocation } from 'preact-iso';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { DayDetail, JobRef, LaughView } from '../api/types';
import { Banner } from '../components/banner';
import { ConfirmButton } from '../components/confirm-button';
import { DayAudioDownload } from '../components/day-audio';
import { JobProgress } from '../components/job-progress';
import { LaughItem } from '../components/laugh-item';
import { Empty, ErrorState, Loading } from '../components/states';
import { Timeline } from '../components/timeline';
import { errorMessage } from '../lib/errors';
import { filterLabel, STRENGTH_FILTERS } from '../lib/laugh-strength';
import { addDays, formatAudio, formatDate, formatSeconds, plural, startOfLocalDay, stateLabel } from '../lib/format';

/** Laughs per page of the list (the API allows up to 200). */
const LAUGHS_PER_PAGE = 50;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function DayPage({ date }: { date: string }) {
  const { route } = useLocation();
  const [detail, setDetail] = useState<DayDetail | null>(null);
  const [detailError, setDetailError] = useState<{ status: number; message: string } | null>(null);
  const [laughs, setLaughs] = useState<LaughView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [laughsError, setLaughsError] = useState('');
  const [minProbability, setMinProbability] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [jobs, setJobs] = useState<JobRef[]>([]);
  const [reprocessError, setReprocessError] = useState('');
  const [attempt, setAttempt] = useState(0);

  const loadDetail = useCallback(async () => {
    try {
      setDetail(await api.day(date));
      setDetailError(null);
    } catch (err) {
      setDetailError({ status: err instanceof ApiError ? err.status : 0, message: errorMessage(err) });
    }
  }, [date]);

  const loadLaughs = useCallback(async () => {
    setLaughsError('');
    try {
      const page = await api.dayLaughs(date, { minProbability: minProbability || undefined, limit: LAUGHS_PER_PAGE });
      setLaughs(page.laughs);
      setTotal(page.total);
    } catch (err) {
      setLaughsError(errorMessage(err));
    }
  }, [date, minProbability]);

  useEffect(() => {
    if (!LOCAL_DATE.test(date)) return;
    setDetail(null);
    setDetailError(null);
    void loadDetail();
  }, [loadDetail, date, attempt]);

  useEffect(() => {
    if (!LOCAL_DATE.test(date)) return;
    setLaughs(null);
    void loadLaughs();
  }, [loadLaughs, date, attempt]);

  if (!LOCAL_DATE.test(date)) {
    return <Empty title="That is not a date">{<a href="/">Back to your days</a>}</Empty>;
  }

  const loadMore = async () => {
    if (!laughs) return;
    setLoadingMore(true);
    try {
      const page = await api.dayLaughs(date, { minProbability: minProbability || undefined, offset: laughs.length, limit: LAUGHS_PER_PAGE });
      setLaughs([...laughs, ...page.laughs]);
      setTotal(page.total);
    } catch (err) {
      setLaughsError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const select = (laugh: LaughView) => {
    setSelected(laugh.id);
    const el = document.getElementById(`laugh-${laugh.id}`);
    el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    el?.focus({ preventScroll: true });
  };

  const reprocess = async () => {
    setReprocessError('');
    try {
      setJobs((await api.reprocess(date, date)).jobs);
    } catch (err) {
      setReprocessError(errorMessage(err));
    }
  };

  const header = (
    <div class="day-head">
      <a class="back" href="/">
        ← All days
      </a>
      <h1>{formatDate(date)}</h1>
      <nav class="row day-head__nav" aria-label="Other days">
        <a href={`/day/${addDays(date, -1)}`}>← Day before</a>
        <a href={`/day/${addDays(date, 1)}`}>Day after →</a>
      </nav>
    </div>
  );

  if (detailError) {
    return (
      <div class="stack">
        {header}
        {detailError.status === 404 ? (
          <Empty title="Nothing recorded this day">
            <p>Giggles has no audio or laughs for {formatDate(date)}. Days appear after they are processed.</p>
          </Empty>
        ) : (
          <ErrorState message={detailError.message} onRetry={() => setAttempt((a) => a + 1)} />
        )}
      </div>
    );
  }
  if (!detail) {
    return (
      <div class="stack">
        {header}
        <Loading label="Loading the day…" />
      </div>
    );
  }

  const s = detail.summary;
  const dayStartMs = startOfLocalDay(date, detail.timezone);
  const dayEndMs = startOfLocalDay(addDays(date, 1), detail.timezone);
  const onLaughChanged = () => void loadDetail();

  return (
    <div class="stack">
      {header}
      <section class="card stack" aria-labelledby="summary-title">
        <h2 id="summary-title" class="visually-hidden">
          Summary
        </h2>
        <dl class="stats" aria-live="polite">
          <div>
            <dt>Laughs</dt>
            <dd data-testid="laugh-count">{s.laughCount}</dd>
          </div>
          <div>
            <dt>Laughing</dt>
            <dd>{formatSeconds(s.laughSeconds)}</dd>
          </div>
          <div>
            <dt>Recorded</dt>
            <dd>{formatAudio(s.audioSeconds)}</dd>
          </div>
          <div>
            <dt>Not a laugh</dt>
            <dd data-testid="rejected-count">{s.rejectedCount}</dd>
          </div>
        </dl>
        <p>
          <span class={`pill pill--${s.state}`}>{stateLabel(s.state)}</span> {s.stateMessage}
        </p>
        {s.windowsFailed > 0 && (
          <Banner kind="warning" title={`${plural(s.windowsFailed, 'stretch', 'stretches')} of audio failed`}>
            <p>Giggles retries failed downloads; you can also reprocess the day below.</p>
          </Banner>
        )}
        <Timeline dayStartMs={dayStartMs} dayEndMs={dayEndMs} windows={detail.windows} laughs={laughs ?? []} onSelect={select} />
      </section>

      <section class="stack" aria-labelledby="laughs-title">
        <div class="row row--between">
          <h2 id="laughs-title">Laughs</h2>
          <label class="inline-field">
            <span>Show</span>
            <select class="field__input field__input--inline" value={String(minProbability)} onChange={(e) => setMinProbability(Number(e.currentTarget.value))}>
              {STRENGTH_FILTERS.map((f) => (
                <option key={f.minScore} value={String(f.minScore)}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {laughsError ? (
          <ErrorState message={laughsError} onRetry={() => void loadLaughs()} />
        ) : !laughs ? (
          <Loading label="Loading laughs…" />
        ) : laughs.length === 0 ? (
          <Empty title={minProbability ? 'No clear or strong laughs' : s.audioSeconds > 0 ? 'No laughs found this day' : 'No audio this day'}>
            <p>
              {minProbability
                ? 'Show all laughs to see the faint ones: most of them are real laughs too.'
                : s.audioSeconds > 0
                  ? `Giggles listened to ${formatAudio(s.audioSeconds)} and heard no laughter.`
                  : 'The pendant recorded nothing this day.'}
            </p>
          </Empty>
        ) : (
          <>
            <p class="muted">
              {laughs.length < total ? `Showing ${laughs.length} of ${total}` : plural(total, 'laugh')}
              {minProbability ? `, ${filterLabel(minProbability)} only` : ''}.
            </p>
            <ol class="laugh-list">
              {laughs.map((l) => (
                <LaughItem
                  key={l.id}
                  laugh={l}
                  selected={selected === l.id}
                  onUpdated={(u) => {
                    setLaughs((list) => list?.map((x) => (x.id === u.id ? u : x)) ?? null);
                    onLaughChanged();
                  }}
                  onDeleted={(id) => {
                    setLaughs((list) => list?.filter((x) => x.id !== id) ?? null);
                    setTotal((t) => t - 1);
                    onLaughChanged();
                  }}
                />
              ))}
            </ol>
            {laughs.length < total && (
              <button type="button" class="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'More laughs'}
              </button>
            )}
          </>
        )}
      </section>

      <section class="card stack" aria-labelledby="day-actions-title">
        <h2 id="day-actions-title">This day</h2>
        <p class="muted">Reprocessing downloads and listens to the day again; laughs you deleted stay deleted.</p>
        {jobs.map((j) => (
          <JobProgress
            key={j.jobId}
            jobId={j.jobId}
            label={`Reprocessing ${formatDate(j.localDate, 'short')}`}
            onDone={() => setAttempt((a) => a + 1)}
          />
        ))}
        {reprocessError && (
          <p class="form-error" role="alert">
            {reprocessError}
          </p>
        )}
        <DayAudioDownload date={date} />
        <div class="row">
          <button type="button" class="button" onClick={reprocess}>
            Reprocess this day
          </button>
          <ConfirmButton
            label="Delete this day's laughs"
            question={`Delete every laugh of ${formatDate(date, 'short')}, their clips and any audio of the day you kept?`}
            confirmLabel="Delete the day"
            onConfirm={async () => {
              await api.deleteDay(date);
              route('/');
            }}
          />
        </div>
      </section>
    </div>
  );
}
