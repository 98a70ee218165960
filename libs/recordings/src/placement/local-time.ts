import { DateTime, IANAZone } from 'luxon';

/** Wall-clock fields read from a name or a tag, before a time zone gives them an instant. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The instant a wall-clock time names in `timezone`, or undefined when the fields are no real
 * calendar time (month 13, 31 February, 25:00).
 *
 * DST, documented choices (luxon's, and what a recorder that writes local time means):
 * - a time that does not exist (inside the spring-forward gap, e.g. 02:30 on the night clocks go
 *   from 02:00 to 03:00) is read with the offset from before the change, i.e. it lands one hour
 *   later on the wall clock (03:30): the recorder's clock had not changed yet;
 * - a time that exists twice (the fall-back hour) is the first occurrence (the earlier instant,
 *   summer time).
 */
export function wallClockToMs(wall: WallClock, timezone: string): number | undefined {
  if (!isPlausibleWallClock(wall)) return undefined;
  const local = DateTime.fromObject(wall, { zone: timezone });
  if (!local.isValid) return undefined;
  return firstOccurrence(wall, timezone) ?? local.toMillis();
}

/**
 * The earliest instant whose wall clock in `timezone` reads `wall`, or undefined when none does
 * (a spring-forward gap). luxon alone picks the later (standard-time) reading of a repeated hour.
 * Every offset the zone uses within a day of the time is tried (covers 30-minute shifts too).
 */
function firstOccurrence(wall: WallClock, timezone: string): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  const offsets = new Set<number>();
  for (const probe of [asUtc - 86_400_000, asUtc, asUtc + 86_400_000]) offsets.add(DateTime.fromMillis(probe, { zone: timezone }).offset);
  let earliest: number | undefined;
  for (const offset of offsets) {
    const candidate = asUtc - offset * 60_000;
    const back = DateTime.fromMillis(candidate, { zone: timezone });
    const same = back.year === wall.year && back.month === wall.month && back.day === wall.day && back.hour === wall.hour &&
      back.minute === wall.minute && back.second === wall.second;
    if (same && (earliest === undefined || candidate < earliest)) earliest = candidate;
  }
  return earliest;
}

function isPlausibleWallClock(w: WallClock): boolean {
  // luxon accepts nothing invalid either, but its errors are for the whole object: checking the
  // ranges first keeps "not a time" apart from "not a zone".
  return (
    w.month >= 1 && w.month <= 12 && w.day >= 1 && w.day <= 31 && w.hour >= 0 && w.hour <= 23 &&
    w.minute >= 0 && w.minute <= 59 && w.second >= 0 && w.second <= 59 && w.millisecond >= 0 && w.millisecond <= 999
  );
}

/** How an instant reads in `timezone`: `2026-12-03 14:15:00 (+01:00)`. */
export function describeLocal(epochMs: number, timezone: string): string {
  return DateTime.fromMillis(epochMs, { zone: timezone }).toFormat("yyyy-MM-dd HH:mm:ss '('ZZ')'");
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDateOf(epochMs: number, timezone: string): string {
  return DateTime.fromMillis(epochMs, { zone: timezone }).toISODate() ?? '';
}

/** The first instant of the local day after the one `epochMs` falls in (DST-correct: 23 or 25 h days). */
export function nextLocalMidnight(epochMs: number, timezone: string): number {
  return DateTime.fromMillis(epochMs, { zone: timezone }).startOf('day').plus({ days: 1 }).startOf('day').toMillis();
}
