import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { ArchiveSummary } from '../api/archive-types';
import { archiveSizeWords, retentionWords } from '../lib/archive-format';
import { errorMessage } from '../lib/errors';
import { ErrorState, Loading } from './states';
import '../styles/archive.css';

/**
 * "Keep my audio" (the archive): the switch with one line on what is kept and for how long, and
 * how much is kept now. A deployment that keeps no audio says so instead of offering a switch
 * that would do nothing.
 */
export function ArchiveCard() {
  const [summary, setSummary] = useState<ArchiveSummary | null>(null);
  const [loadError, setLoadError] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState('');
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    setLoadError('');
    try {
      setSummary(await api.archive());
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const toggle = async (enabled: boolean) => {
    setSaving(true);
    setSaveError('');
    setStatus('');
    try {
      setSummary(await api.setArchive(enabled));
      setStatus(enabled ? 'On: audio of days processed from now on is kept.' : 'Off: no new audio is kept; what is kept stays.');
    } catch (err) {
      setSaveError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card stack archive" aria-labelledby="archive-title">
      <h2 id="archive-title">Keep my audio</h2>
      {!summary && !loadError && <Loading label="Loading the audio archive…" />}
      {loadError && <ErrorState message={loadError} onRetry={load} />}
      {summary && summary.mode === 'off' && (
        <p class="muted">This Giggles server keeps no audio: recordings are deleted once they are processed.</p>
      )}
      {summary && summary.mode !== 'off' && (
        <>
          <div class="archive__switch">
            <input
              id="archive-switch"
              type="checkbox"
              role="switch"
              class="archive__toggle"
              checked={summary.enabled}
              disabled={saving}
              aria-describedby="archive-what"
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />
            <label for="archive-switch" class="archive__label">
              Keep the recordings of processed days
            </label>
          </div>
          <p id="archive-what" class="field__hint">
            Keeps the original audio of each processed day (about 7 MB per recorded hour) {retentionWords(summary.retentionDays)}, so you can download it and
            reprocessing needs no new download from Limitless.
          </p>
          <p class="archive__size">{archiveSizeWords(summary)}</p>
          {saveError && (
            <p class="form-error" role="alert">
              {saveError}
            </p>
          )}
          <p role="status" class="muted">
            {status}
          </p>
        </>
      )}
    </section>
  );
}
