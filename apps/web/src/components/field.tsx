import type { JSX } from 'preact';

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; id: string };

/** A labelled input with an optional hint tied to it by aria-describedby. */
export function Field({ label, hint, id, ...input }: InputProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label class="field__label" for={id}>
        {label}
      </label>
      <input class="field__input" id={id} aria-describedby={hintId} {...input} />
      {hint && (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
