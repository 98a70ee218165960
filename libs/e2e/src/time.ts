/**
 * Local-day arithmetic in an IANA timezone with nothing but Intl (DST-correct: a local day is
 * 23, 24 or 25 hours long).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a timezone. */
function wallClock(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year, mo: parts.month, d: parts.day, h: parts.hour, mi: parts.minute, s: parts.second };
}

/** Offset of the timezone from UTC at an instant, in ms (positive east of Greenwich). */
export function tzOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return asUtc - (ms - (ms % 1000));
}

/** The local calendar date (YYYY-MM-DD) of an instant in a timezone. */
export function localDateOf(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.y}-${String(w.mo).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no timezone involved). */
export function addDays(localDate: string, days: number): string {
  const [y, m, d] = localDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The instant of the first moment of a local day (00:00, or the first existing time after a
 * DST gap at midnight). Two passes of offset correction settle every real timezone.
 */
export function localMidnightMs(localDate: string, timeZone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) throw new Error(`not a local date: ${localDate}`);
  const [y, m, d] = localDate.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d);
  let guess = naive - tzOffsetMs(naive, timeZone);
  guess = naive - tzOffsetMs(guess, timeZone);
  // Midnight skipped by a DST jump: step to the first instant that is on this local date.
  if (localDateOf(guess, timeZone) !== localDate) {
    for (let t = guess; t < guess + 3 * 3_600_000; t += 60_000) {
      if (localDateOf(t, timeZone) === localDate) return t;
    }
  }
  return guess;
}

/** [start, end) of a local day as instants. */
export function localDayRange(localDate: string, timeZone: string): { startMs: number; endMs: number } {
  return { startMs: localMidnightMs(localDate, timeZone), endMs: localMidnightMs(addDays(localDate, 1), timeZone) };
}
