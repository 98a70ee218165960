import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { BackfillStatus } from '../api/history-types';

/**
 * Follows `GET /api/backfill/events` (Server-Sent Events: `progress` … `done`) while `follow` is
 * true, returning the newest status (or `initial` until the first event). The browser reconnects a
 * dropped stream by itself; `lost` says when it gave up.
 */
export function useBackfillEvents(follow: boolean, initial: BackfillStatus | null): { status: BackfillStatus | null; lost: boolean } {
  const [status, setStatus] = useState<BackfillStatus | null>(initial);
  const [lost, setLost] = useState(false);
  useEffect(() => setStatus(initial), [initial]);
  useEffect(() => {
    if (!follow) return;
    setLost(false);
    let finished = false;
    const source = new EventSource(api.backfillEventsUrl(), { withCredentials: true });
    const take = (e: Event) => {
      try {
        setStatus(JSON.parse((e as MessageEvent<string>).data) as BackfillStatus);
      } catch {
        // a malformed event changes nothing; the next one will
      }
    };
    source.addEventListener('progress', take);
    source.addEventListener('done', (e) => {
      finished = true;
      source.close();
      take(e);
    });
    source.onerror = () => {
      if (!finished && source.readyState === EventSource.CLOSED) setLost(true);
    };
    return () => source.close();
  }, [follow]);
  return { status, lost };
}
