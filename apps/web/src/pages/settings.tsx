import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { KeyStatus } from '../api/types';
import { ConfirmButton } from '../components/confirm-button';
import { KeyForm, KeyHelp } from '../components/key-form';
import { HistoryCard } from '../components/history-card';
import { ArchiveCard } from '../components/archive-card';
import { errorMessage } from '../lib/errors';
import { useSession } from '../session';

/** What the user must type to delete everything. */
export const DELETE_EVERYTHING_PHRASE = 'delete everything';

function when(iso?: string): string {
  return iso ? new Date(iso).toLocaleString() : 'unknown';
}

function keyWords(key: KeyStatus): string {
  if (key.state === 'none') return 'No key saved — Giggles cannot download your days.';
  if (key.state === 'invalid')
    return `Limitless rejected the key on ${when(key.invalidSince)}${key.invalidReason ? ` (${key.invalidReason})` : ''}. Replace it to continue.`;
  return `Working. Saved ${when(key.savedAt)}${key.lastUsedAt ? `, last used ${when(key.lastUsedAt)}` : ', not used yet'}.`;
}

function timezones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

export function Settings() {
  const { me, setMe } = useSession();
  const { route } = useLocation();
  const [timezone, setTimezone] = useState(me.timezone);
  const [tzStatus, setTzStatus] = useState('');
  const [tzError, setTzError] = useState('');
  const [replacing, setReplacing] = useState(false);
  const [keyStatus, setKeyStatus] = useState('');
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState('');
  const [phrase, setPhrase] = useState('');
  const [deleteError, setDeleteError] = useState('');
  const [deleting, setDeleting] = useState(false);

  const saveTimezone = async (e: Event) => {
    e.preventDefault();
    setTzStatus('');
    setTzError('');
    try {
      const updated = await api.setTimezone(timezone);
      setMe(updated);
      setTzStatus('Saved. Days from now on are counted in this zone.');
    } catch (err) {
      setTzError(errorMessage(err));
    }
  };

  const signOut = async () => {
    setSigningOut(true);
    setSignOutError('');
    try {
      await api.signOut();
      setMe(null);
      route('/sign-in', true);
    } catch (err) {
      setSignOutError(errorMessage(err));
      setSigningOut(false);
    }
  };

  const deleteEverything = async (e: Event) => {
    e.preventDefault();
    if (phrase.trim().toLowerCase() !== DELETE_EVERYTHING_PHRASE) {
      setDeleteError(`Type “${DELETE_EVERYTHING_PHRASE}” to confirm.`);
      return;
    }
    setDeleting(true);
    setDeleteError('');
    try {
      await api.deleteEverything();
      setMe(null);
      route('/register', true);
    } catch (err) {
      setDeleteError(errorMessage(err));
      setDeleting(false);
    }
  };

  return (
    <div class="stack narrow">
      <h1>Settings</h1>
      <p class="muted">Signed in as {me.email}</p>

      <section class="card stack" aria-labelledby="tz-title">
        <h2 id="tz-title">Time zone</h2>
        <form class="form" onSubmit={saveTimezone}>
          <div class="field">
            <label class="field__label" for="timezone">
              Your days run midnight to midnight in
            </label>
            <select id="timezone" class="field__input" value={timezone} aria-describedby="tz-hint" onChange={(e) => setTimezone(e.currentTarget.value)}>
              {timezones(me.timezone).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
            <p class="field__hint" id="tz-hint">
              A change applies to days not processed yet; days already processed keep their dates.
            </p>
          </div>
          {tzError && (
            <p class="form-error" role="alert">
              {tzError}
            </p>
          )}
          <div class="row">
            <button type="submit" class="button" disabled={timezone === me.timezone}>
              Save time zone
            </button>
            <span role="status" class="muted">
              {tzStatus}
            </span>
          </div>
        </form>
      </section>

      <section class="card stack" aria-labelledby="key-title">
        <h2 id="key-title">Limitless key</h2>
        <p>{keyWords(me.key)}</p>
        <p role="status" class="muted">
          {keyStatus}
        </p>
        {replacing || me.key.state === 'none' ? (
          <>
            <KeyHelp />
            <KeyForm
              submitLabel={me.key.state === 'none' ? 'Save key' : 'Replace key'}
              onSaved={(key) => {
                setMe({ ...me, key });
                setReplacing(false);
                setKeyStatus('Key saved.');
              }}
            />
          </>
        ) : (
          <div class="row">
            <button type="button" class="button" onClick={() => setReplacing(true)}>
              Replace key
            </button>
            <ConfirmButton
              label="Remove key"
              question="Remove the key? Giggles stops downloading new days until you add one again; your laughs stay."
              confirmLabel="Remove key"
              onConfirm={async () => {
                await api.deleteKey();
                setMe({ ...me, key: { state: 'none' } });
                setKeyStatus('Key removed.');
              }}
            />
          </div>
        )}
      </section>

      <HistoryCard />

      <ArchiveCard />

      <section class="card stack" aria-labelledby="export-title">
        <h2 id="export-title">Your data</h2>
        <p>Every laugh with its time, scores, notes and review marks.</p>
        <div class="row">
          <a class="button" href={api.exportUrl('json')} download="giggles-export.json">
            Export JSON
          </a>
          <a class="button" href={api.exportUrl('csv')} download="giggles-export.csv">
            Export CSV
          </a>
        </div>
      </section>

      <section class="card stack" aria-labelledby="session-title">
        <h2 id="session-title">Session</h2>
        {signOutError && (
          <p class="form-error" role="alert">
            {signOutError}
          </p>
        )}
        <div>
          <button type="button" class="button" onClick={signOut} disabled={signingOut}>
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </section>

      <section class="card card--danger stack" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete everything</h2>
        <p>Deletes every laugh, clip, recording record, your key and your account. This cannot be undone — export first if you want a copy.</p>
        <form class="form" onSubmit={deleteEverything}>
          <div class="field">
            <label class="field__label" for="delete-phrase">
              Type “{DELETE_EVERYTHING_PHRASE}” to confirm
            </label>
            <input id="delete-phrase" class="field__input" autocomplete="off" value={phrase} onInput={(e) => setPhrase(e.currentTarget.value)} />
          </div>
          {deleteError && (
            <p class="form-error" role="alert">
              {deleteError}
            </p>
          )}
          <div>
            <button type="submit" class="button button--danger" disabled={deleting}>
              {deleting ? 'Deleting…' : 'Delete my account and data'}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
