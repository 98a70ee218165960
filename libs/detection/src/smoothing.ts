import type { SmoothingMethod } from './settings';

/**
 * Centred moving mean/median, computed as a stream with a fixed delay.
 *
 * The value for frame i uses frames i - before .. i + after, where before = floor((N - 1) / 2)
 * and after = N - 1 - before (an even N leans one frame forward). Centring keeps events where the
 * laugh is, unlike a purely causal filter that would shift everything late by half the window;
 * the price is that frame i's value is only known once frame i + after has arrived, which is
 * why this is a stream with a delay rather than a per-frame function. Because each value depends
 * only on its window, the output is the same however the input is cut into chunks.
 *
 * At the edges of a stream (recording start, `flush` at the end) the window shrinks to the
 * frames that exist rather than padding with invented values: a laugh in the first or last
 * frame is smoothed only with its real neighbours.
 */
export function windowExtent(frames: number): { before: number; after: number } {
  const before = Math.floor((frames - 1) / 2);
  return { before, after: frames - 1 - before };
}

/**
 * What a window can be reduced with: the user-facing smoothing methods, plus `max` (a running
 * maximum), which the detector uses internally to spread cough evidence to neighbouring frames.
 */
export type WindowMethod = SmoothingMethod | 'max';

export function smoothWindow(values: readonly number[], method: WindowMethod): number {
  if (values.length === 1) return values[0];
  if (method === 'max') return values.reduce((best, v) => (v > best ? v : best), values[0]);
  if (method === 'mean') {
    // Summed left to right every time (no running sum) so the result depends only on the window's
    // contents, never on how much floating-point drift an earlier chunking accumulated.
    let total = 0;
    for (const v of values) total += v;
    return total / values.length;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The whole state of a StreamingSmoother, as plain JSON-able data. */
export interface SmootherState<T> {
  values: number[];
  items: T[];
  /** Position in `values` of the next frame to emit. */
  next: number;
}

export interface SmoothedItem<T> {
  item: T;
  value: number;
  smoothed: number;
}

/**
 * Carries an item (the frame's other data) alongside each value so the caller gets both back
 * together once the value's smoothing is settled. Holds at most `frames` entries.
 */
export class StreamingSmoother<T> {
  private readonly before: number;
  private readonly after: number;
  private values: number[] = [];
  private items: T[] = [];
  private next = 0;

  constructor(
    frames: number,
    private readonly method: WindowMethod,
    state?: SmootherState<T>,
  ) {
    if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`smoothing window must be a positive integer (got ${frames})`);
    ({ before: this.before, after: this.after } = windowExtent(frames));
    if (state) {
      this.values = [...state.values];
      this.items = [...state.items];
      this.next = state.next;
    }
  }

  /** Adds one value; returns the item whose smoothing it completed, if any. */
  push(value: number, item: T): SmoothedItem<T>[] {
    this.values.push(value);
    this.items.push(item);
    const out: SmoothedItem<T>[] = [];
    while (this.values.length - 1 - this.next >= this.after) out.push(this.emit(this.next + this.after));
    this.trim();
    return out;
  }

  /** Ends the stream: emits the remaining items with their windows cut at the last value. */
  flush(): SmoothedItem<T>[] {
    const out: SmoothedItem<T>[] = [];
    while (this.next < this.values.length) out.push(this.emit(Math.min(this.values.length - 1, this.next + this.after)));
    this.values = [];
    this.items = [];
    this.next = 0;
    return out;
  }

  /** Frames pushed but not yet emitted (the streaming delay, in frames). */
  get pending(): number {
    return this.values.length - this.next;
  }

  state(): SmootherState<T> {
    return { values: [...this.values], items: [...this.items], next: this.next };
  }

  private emit(last: number): SmoothedItem<T> {
    const i = this.next;
    const window = this.values.slice(Math.max(0, i - this.before), last + 1);
    this.next += 1;
    return { item: this.items[i], value: this.values[i], smoothed: smoothWindow(window, this.method) };
  }

  /** Drops values no future window can reach. */
  private trim(): void {
    const drop = this.next - this.before;
    if (drop > 0) {
      this.values.splice(0, drop);
      this.items.splice(0, drop);
      this.next -= drop;
    }
  }
}
