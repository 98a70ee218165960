import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { BackfillStatus, BackfillView } from '../api/history-types';
import { useBackfillEvents } from '../lib/backfill-events';
import { errorMessage } from '../lib/errors';
import { formatDate, plural } from '../lib/format';
import { backfillSentence, daysFinished, formatAudioHours, formatEta } from '../lib/history-format';
import { useSession } from '../session';
import '../styles/history.css';

/**
 * "Process my whole history": why (the Limitless API is committed only through 2026), one button,
 * then live progress (days, audio hours, laughs, failures, ETA) with pause and resume.
 */
export function HistoryCard() {
  const { me } = useSession();
  const [loaded, setLoaded] = useState<BackfillStatus | null>(null);
  const [loadError, setLoadError] = useState('');
  const [busy, setBusy] = useState<'' | 'start' | 'pause' | 'resume'>('');
  const [actionError, setActionError] = useState('');

  const load = useCallback(async () => {
    setLoadError('');
    try {
      setLoaded(await api.backfillStatus());
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const following = !!loaded?.backfill && loaded.backfill.state !== 'done';
  const { status, lost } = useBackfillEvents(following, loaded);
  const backfill = status?.backfill ?? null;

  const act = async (which: 'start' | 'pause' | 'resume') => {
    setBusy(which);
    setActionError('');
    try {
      const call = which === 'start' ? api.startBackfill() : which === 'pause' ? api.pauseBackfill() : api.resumeBackfill();
      const reply = await call;
      setLoaded({ backfill: reply.backfill, limitless: status?.limitless ?? { state: 'reachable' } });
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy('');
    }
  };

  const keyActive = me.key.state === 'active';
  const canStart = keyActive && (!backfill || backfill.state === 'done');

  return (
    <section class="card stack history" aria-labelledby="history-title">
      <h2 id="history-title">Your whole history</h2>
      <p>
        Limitless keeps your recordings, and its developer API is promised only through 2026. Giggles looks back 7 days on its own — process your whole
        history now, oldest day first, so every laugh is saved here before the API goes away.
      </p>
      <p class="muted">It runs in the background, a day at a time, without slowing your nightly runs. You can pause it and leave this page.</p>

      {loadError && (
        <p class="form-error" role="alert">
          {loadError}{' '}
          <button type="button" class="button button--quiet" onClick={load}>
            Try again
          </button>
        </p>
      )}
      {status?.limitless.state === 'unreachable' && (
        <p class="history__note" role="status">
          Limitless cannot be reached right now, so downloads are paused. Progress continues by itself when it answers again.
        </p>
      )}

      {backfill && <BackfillProgress backfill={backfill} />}
      {lost && <p class="muted">Lost touch with the live progress — it keeps running; reload the page to see where it is.</p>}

      {actionError && (
        <p class="form-error" role="alert">
          {actionError}
        </p>
      )}
      {!keyActive && (
        <p class="muted">
          This needs a working Limitless key. <a href="/key">{me.key.state === 'invalid' ? 'Replace your key' : 'Add your key'}</a>
        </p>
      )}
      <div class="row">
        {canStart && (
          <button type="button" class="button button--primary" disabled={!!busy || !loaded} onClick={() => act('start')}>
            {busy === 'start' ? 'Finding your first recorded day…' : backfill ? 'Process new days too' : 'Process my whole history'}
          </button>
        )}
        {backfill?.state === 'active' && (
          <button type="button" class="button" disabled={!!busy} onClick={() => act('pause')}>
            {busy === 'pause' ? 'Pausing…' : 'Pause'}
          </button>
        )}
        {backfill?.state === 'paused' && (
          <button type="button" class="button button--primary" disabled={!!busy || !keyActive} onClick={() => act('resume')}>
            {busy === 'resume' ? 'Resuming…' : 'Resume'}
          </button>
        )}
      </div>
    </section>
  );
}

function BackfillProgress({ backfill: b }: { backfill: BackfillView }) {
  return (
    <div class="history__progress" data-state={b.state}>
      <p class="history__range" id="history-range">
        {formatDate(b.from, 'short')}, {b.from.slice(0, 4)} – {formatDate(b.to, 'short')}, {b.to.slice(0, 4)}
      </p>
      <progress class="history__bar" aria-labelledby="history-range" value={daysFinished(b)} max={Math.max(1, b.totalDays)} />
      <p class="history__sentence" role="status" aria-live="polite">
        {backfillSentence(b)}
      </p>
      <dl class="history__figures">
        <div>
          <dt>Days done</dt>
          <dd>
            {b.daysDone.toLocaleString()} / {b.totalDays.toLocaleString()}
          </dd>
        </div>
        <div>
          <dt>Audio found</dt>
          <dd>{formatAudioHours(b.audioSeconds)}</dd>
        </div>
        <div>
          <dt>Laughs</dt>
          <dd>{b.laughs.toLocaleString()}</dd>
        </div>
        <div>
          <dt>To retry</dt>
          <dd>{b.daysFailed.toLocaleString()}</dd>
        </div>
        <div class="history__eta">
          <dt>Time left</dt>
          <dd>{b.state === 'done' ? 'finished' : b.state === 'paused' ? 'paused' : b.etaSeconds !== undefined ? formatEta(b.etaSeconds) : 'estimating…'}</dd>
        </div>
      </dl>
      {b.daysFailed > 0 && (
        <p class="muted">
          {plural(b.daysFailed, 'day')} could not be fully downloaded yet; Giggles tries again by itself, waiting a little longer each time.
        </p>
      )}
      {b.daysGivenUp > 0 && (
        <details class="history__given-up">
          <summary>
            {plural(b.daysGivenUp, 'day')} given up after every retry
          </summary>
          <ul>
            {b.givenUp.map((day) => (
              <li key={day.localDate}>
                <a href={`/day/${day.localDate}`}>{day.localDate}</a>: {day.reason}
              </li>
            ))}
          </ul>
          <p class="muted">Open a day and choose “Reprocess” to try it once more.</p>
        </details>
      )}
    </div>
  );
}
