import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Field } from '../components/field';
import { errorMessage } from '../lib/errors';
import { AuthShell } from './auth-shell';

export function ResetPassword() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await api.requestPasswordReset(email.trim());
      setSent(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title="Reset your password">
      {sent ? (
        <p class="notice" role="status">
          If an account uses <strong>{email}</strong>, an e-mail with a link to choose a new password is on its way.
        </p>
      ) : (
        <form class="form" onSubmit={submit}>
          <Field id="email" label="E-mail" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <button class="button button--primary button--block" type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send me a reset link'}
          </button>
        </form>
      )}
      <p class="auth__links">
        <a href="/sign-in">Back to sign in</a>
      </p>
    </AuthShell>
  );
}
