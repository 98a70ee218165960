import type { JobProgress as Progress } from '../api/types';
import { useJobEvents } from '../lib/job-events';
import { plural } from '../lib/format';

const OUTCOME: Record<string, string> = {
  done: 'Done',
  failed: 'Some of the audio could not be processed — Giggles retries later',
  key_invalid: 'Limitless rejected your key — replace it in Settings',
};

/** Live progress of one job, announced politely to screen readers as it moves. */
export function JobProgress({ jobId, label, onDone }: { jobId: string; label: string; onDone?: (p: Progress) => void }) {
  const watch = useJobEvents(jobId, onDone);
  let text: string;
  let value: number | undefined;
  let max: number | undefined;
  if (watch.phase === 'waiting') text = 'Starting…';
  else if (watch.phase === 'lost') text = 'Lost touch with the job — it keeps running; reload the page to see its result.';
  else {
    const p = watch.progress;
    // Until the windows are planned the bar is indeterminate (no value), not a misleading 0 %.
    if (p.windowsPlanned > 0) {
      max = p.windowsPlanned;
      value = Math.min(p.windowsDone, max);
    }
    const windows = p.windowsPlanned > 0 ? `${p.windowsDone} of ${plural(p.windowsPlanned, 'stretch', 'stretches')} of audio` : 'planning';
    const laughs = plural(p.laughsFound, 'laugh');
    text = watch.phase === 'done' ? `${OUTCOME[p.status] ?? p.status}: ${laughs} found.` : `Working: ${windows}, ${laughs} so far.`;
  }
  return (
    <div class="job" data-phase={watch.phase}>
      <p class="job__label" id={`job-${jobId}`}>
        {label}
      </p>
      {watch.phase !== 'lost' && watch.phase !== 'done' && (
        <progress class="job__bar" aria-labelledby={`job-${jobId}`} value={value} max={max} />
      )}
      <p class="job__text" aria-live="polite" role="status">
        {text}
      </p>
    </div>
  );
}
