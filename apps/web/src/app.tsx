import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, csrfToken, setSignedOutHandler } from './api/client';
import type { Me } from './api/types';
import { Layout } from './components/layout';
import { ErrorState, Loading } from './components/states';
import { Home } from './pages/home';
import { KeySetup } from './pages/key-setup';
import { NotFound } from './pages/not-found';
import { Register } from './pages/register';
import { ResetPassword } from './pages/reset-password';
import { SignIn } from './pages/sign-in';
import { SessionContext, type Session } from './session';

// Pages a first visit does not need are loaded when opened (keeps the first page small on phones).
const DayPage = lazy(() => import('./pages/day').then((m) => m.DayPage));
const Insights = lazy(() => import('./pages/insights').then((m) => m.Insights));
const Settings = lazy(() => import('./pages/settings').then((m) => m.Settings));
const UploadPage = lazy(() => import('./pages/upload').then((m) => m.UploadPage));

type Boot = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; me: Me | null };

export function App() {
  return (
    <LocationProvider>
      <Root />
    </LocationProvider>
  );
}

function Root() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  const load = useCallback(async () => {
    // The gateway sets the readable CSRF cookie with every session and clears it on sign-out:
    // without it there is no session to ask about (and no 401 to log on a first visit).
    if (!csrfToken()) {
      setBoot({ state: 'ready', me: null });
      return;
    }
    try {
      setBoot({ state: 'ready', me: await api.me() });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setBoot({ state: 'ready', me: null });
      else setBoot({ state: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  useEffect(() => {
    setSignedOutHandler(() => setBoot({ state: 'ready', me: null }));
    void load();
  }, [load]);

  const setMe = useCallback((me: Me | null) => setBoot({ state: 'ready', me }), []);
  const session = useMemo<Session | null>(
    () => (boot.state === 'ready' && boot.me ? { me: boot.me, setMe, reload: load } : null),
    [boot, setMe, load],
  );

  if (boot.state === 'loading') {
    return (
      <main class="page page--center" id="main">
        <Loading label="Opening Giggles…" />
      </main>
    );
  }
  if (boot.state === 'error') {
    return (
      <main class="page page--center" id="main">
        <ErrorState message={boot.message} onRetry={load} />
      </main>
    );
  }
  if (!session) return <SignedOut onSignedIn={setMe} />;
  return (
    <SessionContext.Provider value={session}>
      <Layout>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Home} />
            <Route path="/key" component={KeySetup} />
            <Route path="/day/:date" component={DayPage} />
            <Route path="/insights" component={Insights} />
            <Route path="/upload" component={UploadPage} />
            <Route path="/settings" component={Settings} />
            <Route path="/sign-in" component={RedirectHome} />
            <Route path="/register" component={RedirectHome} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </Layout>
    </SessionContext.Provider>
  );
}

function SignedOut({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  return (
    <Router>
      <Route path="/register" component={Register} onSignedIn={onSignedIn} />
      <Route path="/reset-password" component={ResetPassword} />
      <Route default component={SignIn} onSignedIn={onSignedIn} />
    </Router>
  );
}

function RedirectHome() {
  const { route } = useLocation();
  useEffect(() => route('/', true), [route]);
  return null;
}
