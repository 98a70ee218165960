import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from './api/types';

/** The signed-in user, shared by every page; `setMe(null)` shows the sign-in page. */
export interface Session {
  me: Me;
  setMe: (me: Me | null) => void;
  /** Reads /api/me again (after the key or the timezone changed). */
  reload: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
