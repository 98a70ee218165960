import type { DaySummary } from '../api/types';

/** Human words for numbers and dates. Local dates (`YYYY-MM-DD`) are formatted as calendar dates, never shifted by a zone. */

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** 75 → "1 min 15 s", 12.4 → "12 s", 2.44 → "2.4 s", 0 → "0 s". */
export function formatSeconds(seconds: number): string {
  if (seconds > 0 && seconds < 10) return `${(Math.round(seconds * 10) / 10).toLocaleString()} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** Audio recorded: "no audio", "25 min of audio", "3.4 h of audio". */
export function formatAudio(audioSeconds: number): string {
  if (audioSeconds <= 0) return 'no audio';
  if (audioSeconds < 3600) return `${Math.max(1, Math.round(audioSeconds / 60))} min of audio`;
  return `${(audioSeconds / 3600).toFixed(1)} h of audio`;
}

function parts(localDate: string): [number, number, number] {
  const [y, m, d] = localDate.split('-').map(Number);
  return [y, m, d];
}

/** "Thursday, December 3, 2026" or with `short` "Thu, Dec 3". */
export function formatDate(localDate: string, style: 'long' | 'short' = 'long'): string {
  const [y, m, d] = parts(localDate);
  const date = new Date(Date.UTC(y, m - 1, d));
  const opts: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }
      : { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(undefined, opts).format(date);
}

/** Today's local date in an IANA zone. */
export function todayIn(timezone: string, now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(localDate: string, delta: number): string {
  const [y, m, d] = parts(localDate);
  return new Date(Date.UTC(y, m - 1, d + delta)).toISOString().slice(0, 10);
}

/** "Today", "Yesterday" or the short date. */
export function dayName(localDate: string, timezone: string): string {
  const today = todayIn(timezone);
  if (localDate === today) return 'Today';
  if (localDate === addDays(today, -1)) return 'Yesterday';
  return formatDate(localDate, 'short');
}

/** Offset of `timezone` from UTC at instant `ms`, in ms. */
function zoneOffsetMs(timezone: string, ms: number): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a local day starts in `timezone` (DST-correct: checked at the guessed instant). */
export function startOfLocalDay(localDate: string, timezone: string): number {
  const [y, m, d] = parts(localDate);
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - zoneOffsetMs(timezone, guess);
  return guess - zoneOffsetMs(timezone, first);
}

/** "14:05" from an instant, in `timezone`. */
export function formatClock(ms: number, timezone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

const STATE_LABELS: Record<DaySummary['state'], string> = {
  processing: 'Processing',
  done: 'Done',
  partial: 'Partly downloaded',
  failed: 'Failed',
  no_audio: 'No audio',
  key_invalid: 'Key rejected',
};

export function stateLabel(state: DaySummary['state']): string {
  return STATE_LABELS[state] ?? state;
}

/** The browser's zone, sent on registration. */
export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
