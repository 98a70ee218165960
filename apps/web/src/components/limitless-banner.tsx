import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { LimitlessStatus } from '../api/history-types';
import { Banner } from './banner';

/**
 * Home-page notice while Limitless has been unreachable long enough that downloads are paused.
 * A warning, not the red "stopped accepting your key" alert: nothing is wrong with the key and
 * nothing is for the user to fix; it resumes by itself. Shows nothing when the status cannot be read.
 */
export function LimitlessBanner({ onStatus }: { onStatus?: (status: LimitlessStatus) => void } = {}) {
  const [status, setStatus] = useState<LimitlessStatus | null>(null);
  useEffect(() => {
    let live = true;
    api
      .limitlessStatus()
      .then((s) => {
        if (!live) return;
        setStatus(s);
        onStatus?.(s);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (status?.state !== 'unreachable') return null;
  const since = status.unreachableSince ?? status.pausedAt;
  return (
    <Banner kind="warning" title="Limitless can’t be reached">
      <p>
        {since ? `Since ${new Date(since).toLocaleString()}, ` : ''}Limitless has not answered, so new days are not downloaded for now. Your key is
        fine and everything already processed is still here; downloads resume by themselves when Limitless is back.
      </p>
    </Banner>
  );
}
