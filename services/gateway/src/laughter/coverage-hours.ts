import type { CoverageWindow } from '@giggles/contracts';

/** Every zone offset in use is a multiple of 15 minutes, so local hours change only on these UTC boundaries. */
const QUARTER_HOUR_MS = 15 * 60 * 1000;
export const HOURS_PER_DAY = 24;

export interface CoverageHour {
  hour: number;
  audioSeconds: number;
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

function localHour(epochMs: number, timezone: string): number {
  let formatter = hourFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' });
    if (hourFormatters.size > 600) hourFormatters.clear();
    hourFormatters.set(timezone, formatter);
  }
  return Number(formatter.format(new Date(epochMs))) % HOURS_PER_DAY;
}

/**
 * Which local hours of a day had audio: each window's recorded seconds spread over the local hours
 * it spans, in proportion to the overlap (a window records `audioSeconds` somewhere inside it; the
 * coverage band only needs where roughly). On a DST day the repeated hour adds up under one number.
 */
export function coverageHours(windows: readonly CoverageWindow[], timezone: string): CoverageHour[] {
  const seconds = new Array<number>(HOURS_PER_DAY).fill(0);
  for (const window of windows) {
    const span = window.endMs - window.startMs;
    if (window.audioSeconds <= 0 || span <= 0) continue;
    let piece = window.startMs;
    while (piece < window.endMs) {
      const next = Math.min(window.endMs, (Math.floor(piece / QUARTER_HOUR_MS) + 1) * QUARTER_HOUR_MS);
      seconds[localHour(piece, timezone)] += (window.audioSeconds * (next - piece)) / span;
      piece = next;
    }
  }
  return seconds.map((audioSeconds, hour) => ({ hour, audioSeconds: Math.round(audioSeconds * 10) / 10 }));
}
