import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';

const NAV = [
  { href: '/', label: 'Days' },
  { href: '/insights', label: 'Insights' },
  { href: '/upload', label: 'Upload' },
  { href: '/settings', label: 'Settings' },
];

/** Header with the app's name and the main navigation; the page content in <main>. */
export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const current = (href: string) => (href === '/' ? path === '/' || path.startsWith('/day/') : path.startsWith(href));
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          <span class="brand__mark" aria-hidden="true" />
          Giggles
        </a>
        <nav aria-label="Main">
          <ul class="nav">
            {NAV.map((item) => (
              <li key={item.href}>
                <a class="nav__link" href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main class="page" id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
