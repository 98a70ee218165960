import type { BackfillView } from '../api/history-types';
import { plural } from './format';

/** Words for the backfill's figures; DOM-free so the unit tests can check them. */

/** 0 → "less than a minute", 5400 → "about 1 h 30 min", 3 days → "about 3 days". */
export function formatEta(seconds: number): string {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${plural(minutes, 'minute')}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `about ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `about ${plural(Math.round(hours / 24), 'day')}`;
}

/** Audio hours with one decimal ("0 h", "0.4 h", "1,234.5 h"): the whole history is counted in hours. */
export function formatAudioHours(audioSeconds: number): string {
  const hours = Math.round((audioSeconds / 3600) * 10) / 10;
  return `${hours.toLocaleString(undefined, { maximumFractionDigits: 1 })} h`;
}

/**
 * Days finished out of the range: what the progress bar shows. Done days and days given up count;
 * days waiting for a retry do not (they are retried by themselves and may still come out done —
 * a day done with gaps is already among the done ones, so adding daysFailed would count it twice).
 */
export function daysFinished(b: BackfillView): number {
  return Math.min(b.totalDays, b.daysDone + (b.daysGivenUp ?? 0));
}

/** One sentence for screen readers and the status line. */
export function backfillSentence(b: BackfillView): string {
  const days = `${b.daysDone.toLocaleString()} of ${plural(b.totalDays, 'day')} done`;
  const retrying = b.daysFailed > 0 ? `, ${plural(b.daysFailed, 'day')} to retry` : '';
  const givenUp = (b.daysGivenUp ?? 0) > 0 ? `, ${plural(b.daysGivenUp, 'day')} given up` : '';
  const failed = retrying + givenUp;
  if (b.state === 'done') return `Your whole history is processed: ${days}${failed}, ${plural(b.laughs, 'laugh')} found.`;
  if (b.state === 'paused') return `Paused: ${days}${failed}. Resume whenever you like.`;
  const eta = b.etaSeconds !== undefined ? ` — ${formatEta(b.etaSeconds)} left` : '';
  return `Processing your history: ${days}${failed}${eta}.`;
}
