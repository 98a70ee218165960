import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { Field } from '../components/field';
import { errorMessage } from '../lib/errors';
import { browserTimezone } from '../lib/format';
import { AuthShell } from './auth-shell';

/** Password length the API accepts (docs/api.md: 8–72; bcrypt reads at most 72 bytes). */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 72;

export function Register({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { route } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const timezone = browserTimezone();

  const submit = async (e: Event) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      setError(`Use ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters for the password.`);
      return;
    }
    setBusy(true);
    setError('');
    try {
      const { user } = await api.register(email.trim(), password, timezone);
      route('/key');
      onSignedIn(user);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <AuthShell title="Create your account">
      <form class="form" onSubmit={submit}>
        <Field id="email" label="E-mail" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field
          id="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          maxLength={MAX_PASSWORD_LENGTH}
          hint={`${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters.`}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <p class="form-note">
          Your days will be counted in <strong>{timezone}</strong> time (this browser's zone). You can change it later in Settings.
        </p>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button class="button button--primary button--block" type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p class="auth__links">
        <a href="/sign-in">I already have an account</a>
      </p>
    </AuthShell>
  );
}
