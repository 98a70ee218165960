import { useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { KeyStatus } from '../api/types';

/** Plain words for what went wrong with a key, by the gateway's status. */
function keyError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 400)
      return `${(err.message || 'Limitless did not accept this key').replace(/\.$/, '')}. Check that you copied the whole key (Limitless app → Settings → Developer).`;
    if (err.status === 502 || err.status === 503 || err.status === 0)
      return 'Could not reach Limitless to check the key — try again in a minute.';
    return err.message;
  }
  return 'Something went wrong — try again.';
}

/** Where the key lives in the Limitless app; shown beside every key form. */
export function KeyHelp() {
  return (
    <details class="help">
      <summary>Where do I find my Limitless API key?</summary>
      <ol>
        <li>Open the Limitless app (phone or desktop) and sign in.</li>
        <li>
          Go to <strong>Settings → Developer</strong>.
        </li>
        <li>Create an API key (or copy the one you have) and paste it here.</li>
      </ol>
      <p>Giggles checks the key with Limitless before saving it, stores it encrypted, and never shows it again.</p>
    </details>
  );
}

export function KeyForm({ submitLabel, onSaved }: { submitLabel: string; onSaved: (status: KeyStatus) => void }) {
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    const key = apiKey.trim();
    if (!key) {
      setError('Paste your Limitless API key first.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const status = await api.saveKey(key);
      setApiKey('');
      onSaved(status);
    } catch (err) {
      setError(keyError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit}>
      <div class="field">
        <label class="field__label" for="api-key">
          Limitless API key
        </label>
        <input
          class="field__input"
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={apiKey}
          onInput={(e) => setApiKey(e.currentTarget.value)}
        />
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button class="button button--primary" type="submit" disabled={busy}>
        {busy ? 'Checking the key with Limitless…' : submitLabel}
      </button>
    </form>
  );
}
