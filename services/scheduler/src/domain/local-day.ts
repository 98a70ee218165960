import { DateTime, IANAZone } from 'luxon';

/** One local calendar day of a time zone as a UTC range: [startMs, endMs). 23, 24 or 25 hours long. */
export interface LocalDayRange {
  localDate: string;
  timezone: string;
  startMs: number;
  endMs: number;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Luxon builds an Intl formatter per validity check and parses per range; a tick asks for the same
 * few (zone, date) pairs for every user again and again, so both are memoised (bounded).
 */
const MEMO_LIMIT = 10_000;
const zoneValidity = new Map<string, boolean>();
const dayRanges = new Map<string, LocalDayRange>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

export function isValidTimezone(zone: string): boolean {
  return zoneValidity.get(zone) ?? remember(zoneValidity, zone, IANAZone.isValidZone(zone));
}

/**
 * Midnight to next midnight in `timezone`. Where a DST change skips midnight itself, the day starts
 * at the first local instant that exists (luxon moves a missing local time forward).
 */
export function localDayRange(localDate: string, timezone: string): LocalDayRange {
  const key = `${timezone} ${localDate}`;
  const known = dayRanges.get(key);
  if (known) return { ...known };
  if (!isValidTimezone(timezone)) throw new Error(`not an IANA time zone: ${timezone}`);
  const start = startOfLocalDay(localDate, timezone);
  const end = startOfLocalDay(addDays(localDate, 1), timezone);
  return { ...remember(dayRanges, key, { localDate, timezone, startMs: start, endMs: end }) };
}

function startOfLocalDay(localDate: string, timezone: string): number {
  const day = DateTime.fromISO(localDate, { zone: timezone });
  if (!LOCAL_DATE.test(localDate) || !day.isValid) throw new Error(`not a local date (YYYY-MM-DD): ${localDate}`);
  return day.startOf('day').toMillis();
}

/** The local calendar date of an instant in `timezone`. */
export function localDateAt(epochMs: number, timezone: string): string {
  const date = DateTime.fromMillis(epochMs, { zone: timezone }).toISODate();
  if (!date) throw new Error(`not an IANA time zone: ${timezone}`);
  return date;
}

/** Calendar arithmetic on YYYY-MM-DD (no time zone involved). */
export function addDays(localDate: string, days: number): string {
  const date = DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate();
  if (!date) throw new Error(`not a local date (YYYY-MM-DD): ${localDate}`);
  return date;
}

/** Days from `from` to `to` inclusive (1 for the same day; 0 or less when `to` is before `from`). */
export function daysInclusive(from: string, to: string): number {
  const a = DateTime.fromISO(from, { zone: 'utc' });
  const b = DateTime.fromISO(to, { zone: 'utc' });
  return Math.round(b.diff(a, 'days').days) + 1;
}

/** Every date of [from, to], oldest first. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}
