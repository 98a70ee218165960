import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { LaughView } from '../api/types';
import { errorMessage } from '../lib/errors';
import { formatSeconds } from '../lib/format';
import { laughStrength, scoreTitle } from '../lib/laugh-strength';
import { ClipPlayer } from './clip-player';
import { ConfirmButton } from './confirm-button';

/** The API's limit on a note (NOTES_MAX_LENGTH in the contracts). */
export const NOTES_MAX_LENGTH = 2000;

interface Props {
  laugh: LaughView;
  selected: boolean;
  onUpdated: (laugh: LaughView) => void;
  onDeleted: (id: string) => void;
}

/** One laugh: when, how long, how strong (the raw score in its title); its clip; a note; "not a laugh"; delete. Notes are always rendered as text. */
export function LaughItem({ laugh, selected, onUpdated, onDeleted }: Props) {
  const [notes, setNotes] = useState(laugh.notes ?? '');
  const [saving, setSaving] = useState(false);
  const [noteStatus, setNoteStatus] = useState('');
  const [error, setError] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const dirty = notes !== (laugh.notes ?? '');
  const label = `laugh at ${laugh.localTime}`;

  const saveNotes = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError('');
    setNoteStatus('');
    try {
      const updated = await api.updateLaugh(laugh.id, { notes: notes.trim() ? notes : null });
      onUpdated(updated);
      setNoteStatus('Note saved.');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const toggleReview = async () => {
    setReviewing(true);
    setError('');
    try {
      onUpdated(await api.updateLaugh(laugh.id, { notLaugh: !laugh.notLaugh }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setReviewing(false);
    }
  };

  const notesId = `notes-${laugh.id}`;
  return (
    <li class={`laugh${laugh.notLaugh ? ' laugh--rejected' : ''}${selected ? ' laugh--selected' : ''}`} id={`laugh-${laugh.id}`} tabIndex={-1}>
      <div class="laugh__head">
        <h3 class="laugh__time">{laugh.localTime}</h3>
        <span class="laugh__facts">
          {formatSeconds(laugh.durationS)} · {laugh.className} ·{' '}
          <span class="laugh__strength" title={scoreTitle(laugh.probability)}>
            {laughStrength(laugh.probability)}
          </span>
        </span>
        {laugh.notLaugh && <span class="pill pill--rejected">Not a laugh</span>}
      </div>
      {laugh.clipUrl ? (
        <ClipPlayer clipUrl={laugh.clipUrl} laughDurationS={laugh.durationS} label={label} />
      ) : (
        <p class="muted">No clip was kept for this laugh.</p>
      )}
      <form class="laugh__notes" onSubmit={saveNotes}>
        <label class="field__label" for={notesId}>
          Note
        </label>
        <textarea
          id={notesId}
          class="field__input"
          rows={2}
          maxLength={NOTES_MAX_LENGTH}
          value={notes}
          placeholder="Who, what was funny…"
          onInput={(e) => {
            setNotes(e.currentTarget.value);
            setNoteStatus('');
          }}
        />
        <div class="row">
          <button type="submit" class="button" disabled={saving || !dirty}>
            {saving ? 'Saving…' : 'Save note'}
          </button>
          <span class="muted" role="status">
            {noteStatus}
          </span>
        </div>
      </form>
      <div class="row laugh__actions">
        <button type="button" class="button button--quiet" aria-pressed={laugh.notLaugh} onClick={toggleReview} disabled={reviewing}>
          {laugh.notLaugh ? 'Count it as a laugh again' : 'Not a laugh'}
        </button>
        <ConfirmButton
          label="Delete"
          question="Delete this laugh and its clip? This cannot be undone."
          confirmLabel="Delete laugh"
          onConfirm={async () => {
            await api.deleteLaugh(laugh.id);
            onDeleted(laugh.id);
          }}
        />
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
