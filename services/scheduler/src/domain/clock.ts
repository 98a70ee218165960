/** Where "now" comes from. Injected so tests drive the scheduler through fake days and DST changes. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
