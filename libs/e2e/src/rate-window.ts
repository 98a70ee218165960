/**
 * The most requests inside any 60-second window, from their start times (ms, any order): what a
 * per-minute rate limit such as Limitless's 180 requests a minute per key is judged against.
 */
export function peakPerMinute(atMs: readonly number[]): number {
  const sorted = [...atMs].sort((a, b) => a - b);
  let peak = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[to]! - sorted[from]! >= 60_000) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}
