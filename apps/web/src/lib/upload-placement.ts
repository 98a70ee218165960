import { nameMatches } from '@giggles/recordings';

/**
 * Where a picked file will land, before anything is sent: the recorder time in its name, read as
 * wall-clock time in the user's zone (the server reads it the same way and DST-correctly), and
 * its length from the browser's own decoder. Without a time in the name the server tries the
 * file's embedded creation time; the page says so and offers a start to set.
 */
export interface PlacementPreview {
  /** `YYYY-MM-DDTHH:MM:SS` wall-clock time, the value sent as `start` when the user keeps it. */
  localStart?: string;
  source: 'name' | 'edited' | 'unknown';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function previewFromName(fileName: string, nowMs = Date.now()): PlacementPreview {
  const thisYear = new Date(nowMs).getUTCFullYear();
  for (const match of nameMatches(fileName)) {
    const w = match.wall;
    // The same plausibility as the server: a real calendar time from 2000 to next year.
    const probe = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
    const real = probe.getUTCMonth() === w.month - 1 && probe.getUTCDate() === w.day && w.hour < 24 && w.minute < 60 && w.second < 60;
    if (!real || w.year < 2000 || w.year > thisYear + 1) continue;
    if (match.offsetMinutes !== undefined) continue; // an explicit offset: let the server place it exactly
    return { localStart: `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`, source: 'name' };
  }
  return { source: 'unknown' };
}

/** `2026-12-03T14:15:00` + seconds → the wall-clock end (no zone involved: for display only). */
export function addSecondsToLocal(localStart: string, seconds: number): string {
  const [date, time] = localStart.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm, ss] = time.split(':').map(Number);
  const end = new Date(Date.UTC(y, m - 1, d, hh, mm, ss ?? 0) + Math.round(seconds * 1000));
  return `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}T${pad(end.getUTCHours())}:${pad(end.getUTCMinutes())}:${pad(end.getUTCSeconds())}`;
}

/** "Thu 3 Dec 2026, 14:15–14:25" or, across midnight, "Thu 3 Dec 2026, 23:59 – Fri 4 Dec, 00:09". */
export function describeRange(localStart: string, localEnd: string | undefined): string {
  const day = (local: string) => {
    const [y, m, d] = local.slice(0, 10).split('-').map(Number);
    return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  };
  const time = (local: string) => local.slice(11, 16);
  if (!localEnd) return `${day(localStart)}, from ${time(localStart)}`;
  if (localEnd.slice(0, 10) === localStart.slice(0, 10)) return `${day(localStart)}, ${time(localStart)}–${time(localEnd)}`;
  return `${day(localStart)}, ${time(localStart)} – ${day(localEnd)}, ${time(localEnd)}`;
}

/** The recording's length as the browser decodes it (undefined when it cannot: the server still can). */
export function audioDuration(file: File): Promise<number | undefined> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const audio = new Audio();
    const done = (value: number | undefined) => {
      URL.revokeObjectURL(url);
      audio.removeAttribute('src');
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), 10_000);
    audio.preload = 'metadata';
    audio.onloadedmetadata = () => {
      clearTimeout(timer);
      done(Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : undefined);
    };
    audio.onerror = () => {
      clearTimeout(timer);
      done(undefined);
    };
    audio.src = url;
  });
}
