import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { JobProgress } from '../api/types';

export type JobWatch =
  | { phase: 'waiting' }
  | { phase: 'progress'; progress: JobProgress }
  | { phase: 'done'; progress: JobProgress }
  | { phase: 'lost'; progress?: JobProgress };

/**
 * Follows a job's Server-Sent Events (`progress` … `done`). The browser reconnects a dropped
 * stream by itself; when it gives up (the stream closed with an error), the watch says so.
 */
export function useJobEvents(jobId: string | null, onDone?: (p: JobProgress) => void): JobWatch {
  const [watch, setWatch] = useState<JobWatch>({ phase: 'waiting' });
  useEffect(() => {
    if (!jobId) return;
    setWatch({ phase: 'waiting' });
    let last: JobProgress | undefined;
    let finished = false;
    const source = new EventSource(api.jobEventsUrl(jobId), { withCredentials: true });
    const read = (e: MessageEvent<string>): JobProgress | undefined => {
      try {
        return JSON.parse(e.data) as JobProgress;
      } catch {
        return undefined;
      }
    };
    source.addEventListener('progress', (e) => {
      last = read(e as MessageEvent<string>) ?? last;
      if (last) setWatch({ phase: 'progress', progress: last });
    });
    source.addEventListener('done', (e) => {
      finished = true;
      source.close();
      const p = read(e as MessageEvent<string>) ?? last;
      if (p) {
        setWatch({ phase: 'done', progress: p });
        onDone?.(p);
      } else setWatch({ phase: 'lost' });
    });
    source.onerror = () => {
      if (!finished && source.readyState === EventSource.CLOSED) setWatch({ phase: 'lost', progress: last });
    };
    return () => source.close();
    // onDone is deliberately not a dependency: re-subscribing when it changes would restart the stream.
  }, [jobId]);
  return watch;
}
