import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { Field } from '../components/field';
import { AuthShell } from './auth-shell';
import { errorMessage } from '../lib/errors';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const { user } = await api.signIn(email.trim(), password);
      onSignedIn(user);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <AuthShell title="Sign in">
      <form class="form" onSubmit={submit}>
        <Field id="email" label="E-mail" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field
          id="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button class="button button--primary button--block" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="auth__links">
        <a href="/register">Create an account</a>
        <a href="/reset-password">Forgot your password?</a>
      </p>
    </AuthShell>
  );
}
