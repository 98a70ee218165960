/** PostgREST returns timestamptz as ISO strings; the wire uses epoch milliseconds. */
export function isoToMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${iso}`);
  return ms;
}

export function optionalIsoToMs(iso: string | null): number | null {
  return iso === null ? null : isoToMs(iso);
}

export function msToIso(ms: number): string {
  return new Date(ms).toISOString();
}
