import type { ComponentChildren } from 'preact';

/** The frame of the signed-out pages: the name, a line about what Giggles is, the form. */
export function AuthShell({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <main class="page page--auth" id="main">
      <div class="auth">
        <p class="auth__brand">
          <span class="brand__mark" aria-hidden="true" />
          Giggles
        </p>
        <p class="auth__tagline">Your laughter, day by day — found in your Limitless pendant's recordings.</p>
        <h1 class="auth__title">{title}</h1>
        {children}
      </div>
    </main>
  );
}
