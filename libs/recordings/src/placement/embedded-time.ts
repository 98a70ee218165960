/**
 * Tags that may carry when a recording started, as ffprobe reports them (`format.tags` and the
 * first audio stream's `tags`, keys compared case-insensitively), in the order they are trusted:
 * - `com.apple.quicktime.creationdate`: iOS, local time with its offset (`2026-12-03T14:15:00+0100`);
 * - `creation_time`: MP4/M4A/MOV/Matroska, UTC (`2026-12-03T13:15:00.000000Z`);
 * - `date`: ID3 TDRC / Vorbis DATE (`2026-12-03T14:15`, often only a day or a year — ignored then);
 * - `origination_date` + `origination_time`: Broadcast WAV (bext), local time;
 * - `date` + `creation_time` holding only a day and only a clock time: the same bext origination
 *   as ffmpeg 5.1's WAV demuxer reports it (`date=2026-12-03`, `creation_time=14:15:00`).
 * Values without an offset are local time in the user's zone.
 */
export const EMBEDDED_TIME_KEYS = ['com.apple.quicktime.creationdate', 'creation_time', 'date'] as const;

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK_ONLY = /^\d{2}[:.-]\d{2}[:.-]\d{2}$/;

export interface EmbeddedTime {
  key: string;
  value: string;
}

/** The candidate tag values in trust order (raw text; parsing and range checks happen in placement). */
export function embeddedTimeCandidates(tags: Record<string, unknown> | undefined): EmbeddedTime[] {
  if (!tags || typeof tags !== 'object') return [];
  const lower = new Map<string, string>();
  for (const [key, value] of Object.entries(tags)) {
    // A tag is hostile input too: only short strings are worth parsing.
    if (typeof value === 'string' && value.length <= 64) lower.set(key.toLowerCase(), value.trim());
  }
  const found: EmbeddedTime[] = [];
  for (const key of EMBEDDED_TIME_KEYS) {
    const value = lower.get(key);
    if (value) found.push({ key, value });
  }
  const bextDate = lower.get('origination_date');
  const bextTime = lower.get('origination_time');
  if (bextDate && bextTime) found.push({ key: 'origination_date+origination_time', value: `${bextDate}T${bextTime.replace(/[-.]/g, ':')}` });
  const day = lower.get('date');
  const clock = lower.get('creation_time');
  if (day && clock && DAY_ONLY.test(day) && CLOCK_ONLY.test(clock)) found.push({ key: 'date+creation_time', value: `${day}T${clock.replace(/[-.]/g, ':')}` });
  return found;
}
