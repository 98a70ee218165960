import { DateTime } from 'luxon';
import { embeddedTimeCandidates } from './embedded-time';
import { describeLocal, isValidTimezone, localDateOf, nextLocalMidnight, wallClockToMs, type WallClock } from './local-time';
import { nameMatches } from './name-patterns';
import { PlacementError } from './placement-error';

/** Where a placement came from, in the order they are tried. */
export type PlacementSource = 'start' | 'embedded' | 'name';

export interface PlacementInput {
  /** The file's name as the user had it (directories are ignored). */
  fileName: string;
  /** The decoded length of the recording. */
  durationMs: number;
  /** The user's IANA time zone: times without an offset are read in it. */
  timezone: string;
  /** An explicit start (`--start`, the page's edited start): ISO-8601, with or without an offset. */
  start?: string;
  /** Container/stream tags as ffprobe reports them (format.tags merged over stream tags). */
  tags?: Record<string, unknown>;
  /** Now, for the plausibility bound (injected: this module is pure). */
  nowMs: number;
}

export interface Placement {
  startMs: number;
  endMs: number;
  source: PlacementSource;
  /** What was read, for people: `--start 2026-12-03T14:15`, `tag creation_time=…`, `name "20261203_141500"`. */
  evidence: string;
  /** The start as the user's clock reads it, e.g. `2026-12-03 14:15:00 (+01:00)`. */
  localStart: string;
  localEnd: string;
}

/** One local day's share of a placed recording. */
export interface DayPart {
  localDate: string;
  startMs: number;
  endMs: number;
}

/**
 * Times before this are a recorder with an unset clock (1970, QuickTime's 1904), not a recording
 * anyone made with a pendant or a phone: such tags and names are skipped, not trusted.
 */
export const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);
/** A start this far after now is a wrong clock too (a day covers every time zone's "today"). */
export const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

/**
 * A recording's place on the user's timeline: (a) the explicit start, (b) the embedded creation
 * time, (c) a time in its name; else a CANNOT_PLACE error that says to give a start. An explicit
 * start that cannot be read is an error (never silently replaced by a guess).
 */
export function placeRecording(input: PlacementInput): Placement {
  const { timezone, durationMs } = input;
  if (!isValidTimezone(timezone)) throw new PlacementError('INVALID_TIMEZONE', `not an IANA time zone: ${JSON.stringify(timezone)}`);
  if (!Number.isFinite(durationMs) || durationMs <= 0) {
    throw new PlacementError('INVALID_DURATION', `the recording has no length (${durationMs} ms): nothing to place`);
  }

  if (input.start !== undefined) {
    const startMs = parseIsoInstant(input.start, timezone);
    if (startMs === undefined) {
      throw new PlacementError('INVALID_START', `cannot read the start ${JSON.stringify(input.start.slice(0, 64))}: give an ISO-8601 date and time such as 2026-12-03T14:15:00 (your time zone) or 2026-12-03T14:15:00+01:00`);
    }
    if (!isPlausible(startMs, input.nowMs)) {
      throw new PlacementError('INVALID_START', `the start ${input.start} is ${startMs < EARLIEST_PLAUSIBLE_MS ? 'before 2000' : 'in the future'}: give the time the recording began`);
    }
    return placed(startMs, durationMs, timezone, 'start', `start ${input.start}`);
  }

  for (const tag of embeddedTimeCandidates(input.tags)) {
    const startMs = parseIsoInstant(tag.value, timezone);
    if (startMs !== undefined && isPlausible(startMs, input.nowMs)) {
      return placed(startMs, durationMs, timezone, 'embedded', `tag ${tag.key}=${tag.value}`);
    }
  }

  for (const match of nameMatches(input.fileName)) {
    const startMs = match.offsetMinutes === undefined
      ? wallClockToMs(match.wall, timezone)
      : utcWallClockToMs(match.wall, match.offsetMinutes);
    if (startMs !== undefined && isPlausible(startMs, input.nowMs)) {
      return placed(startMs, durationMs, timezone, 'name', `name "${match.text}"`);
    }
  }

  throw new PlacementError(
    'CANNOT_PLACE',
    'cannot place this file: it has no creation time and its name holds no date and time (like 20261203_141500): give --start',
  );
}

/**
 * Splits [startMs, endMs) at the user's local midnights (DST-correct), so each part's laughs land
 * in that day's view. A recording within one day is one part.
 */
export function splitByLocalDay(startMs: number, endMs: number, timezone: string): DayPart[] {
  const parts: DayPart[] = [];
  for (let from = startMs; from < endMs; ) {
    const to = Math.min(endMs, nextLocalMidnight(from, timezone));
    parts.push({ localDate: localDateOf(from, timezone), startMs: from, endMs: to });
    from = to;
  }
  return parts;
}

function placed(startMs: number, durationMs: number, timezone: string, source: PlacementSource, evidence: string): Placement {
  const endMs = startMs + Math.round(durationMs);
  return { startMs, endMs, source, evidence, localStart: describeLocal(startMs, timezone), localEnd: describeLocal(endMs, timezone) };
}

function isPlausible(ms: number, nowMs: number): boolean {
  return ms >= EARLIEST_PLAUSIBLE_MS && ms <= nowMs + FUTURE_TOLERANCE_MS;
}

/** A time written with a date and a clock time has one; a date or a year alone (ID3 "2026") does not. */
const HAS_CLOCK_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** Real offsets run from −12:00 to +14:00; anything wider is a broken or hostile value. */
const MAX_UTC_OFFSET_MINUTES = 14 * 60;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * An ISO-8601 (or SQL-style, space-separated) date and time as an instant: with an offset it is
 * that instant; without, a wall-clock time in `timezone` (DST choices as in wallClockToMs).
 */
export function parseIsoInstant(text: string, timezone: string): number | undefined {
  const value = text.trim();
  if (value.length > 64 || !HAS_CLOCK_TIME.test(value)) return undefined;
  const iso = value.replace(' ', 'T');
  if (HAS_OFFSET.test(value)) {
    const instant = DateTime.fromISO(iso, { setZone: true });
    return instant.isValid && Math.abs(instant.offset) <= MAX_UTC_OFFSET_MINUTES ? instant.toMillis() : undefined;
  }
  // No offset: read the fields in UTC (no DST there to shift them), then as the wall clock in the
  // user's zone with the same DST choices as names.
  const c = DateTime.fromISO(iso, { zone: 'UTC' });
  if (!c.isValid) return undefined;
  return wallClockToMs({ year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second, millisecond: c.millisecond }, timezone);
}

function utcWallClockToMs(wall: WallClock, offsetMinutes: number): number | undefined {
  const utc = wallClockToMs(wall, 'UTC');
  return utc === undefined ? undefined : utc - offsetMinutes * 60_000;
}
