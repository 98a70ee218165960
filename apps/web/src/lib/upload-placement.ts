/**
 * Where a picked file will land, before anything is sent — computed by lib/placement-preview.ts
 * (loaded on demand) with the server's rules: the start the user set, else the file's embedded
 * recording time, else a recorder time in its name, all in the user's time zone.
 */
export type PlacementPreview =
  | { state: 'reading' }
  | {
      state: 'placed';
      source: 'start' | 'embedded' | 'name';
      /** `YYYY-MM-DDTHH:MM:SS` on the user's clock. */
      localStart: string;
      /** Undefined when the browser could not tell the length. */
      localEnd?: string;
      /** What was read (`tag creation_time=…`, `name "20261203_141500"`). */
      evidence: string;
    }
  | { state: 'unplaced'; code: string; message: string };

/** Why the page says the file lands there, in the words the page uses. */
export const PLACED_BY: Record<'start' | 'embedded' | 'name', string> = {
  embedded: 'from its recording time',
  name: 'from its name',
  start: 'set by you',
};

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
