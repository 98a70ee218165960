const DAY_MS = 86_400_000;

/** The local calendar day (`YYYY-MM-DD`) an instant falls on in an IANA zone. */
export function localDateOf(epochMs: number, timezone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(epochMs));
}

/** `date` moved by `days` calendar days (dates are plain calendar days, so UTC arithmetic is exact). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
