import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

interface Props {
  label: string;
  /** The question shown after the first press, e.g. "Delete this laugh and its clip?" */
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  class?: string;
}

/**
 * A destructive action in two presses: the first asks, inline (no modal to trap focus in), the
 * second does it. Errors are shown beside the buttons.
 */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, class: className = '' }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await onConfirm();
      setAsking(false);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!asking) {
    return (
      <button type="button" class={`button button--danger-quiet ${className}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={question}>
      <p class="confirm__question">{question}</p>
      <div class="confirm__actions">
        <button type="button" class="button button--danger" onClick={confirm} disabled={busy} ref={confirmRef}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" class="button button--quiet" onClick={() => setAsking(false)} disabled={busy}>
          Cancel
        </button>
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
