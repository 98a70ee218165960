import type { ComponentChildren } from 'preact';

/** A notice across the page: `error` for what needs the user (invalid key), `warning` for gaps, `info` otherwise. */
export function Banner({ kind, title, children }: { kind: 'error' | 'warning' | 'info'; title: string; children?: ComponentChildren }) {
  return (
    <section class={`banner banner--${kind}`} role={kind === 'error' ? 'alert' : 'status'} aria-label={title}>
      <strong class="banner__title">{title}</strong>
      {children && <div class="banner__body">{children}</div>}
    </section>
  );
}
