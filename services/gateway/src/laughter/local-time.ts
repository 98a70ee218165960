/**
 * Wall-clock time of an instant in an IANA zone, `HH:mm:ss` (24 h). Formatters are cached per
 * zone because building one is far slower than using it; the cache is bounded by the number of
 * IANA zones (a few hundred), and an unknown zone falls back to UTC instead of failing a reply.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 600;

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    } catch {
      return formatterFor('UTC');
    }
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function localTimeOf(epochMs: number, timezone: string): string {
  return formatterFor(timezone).format(new Date(epochMs));
}
