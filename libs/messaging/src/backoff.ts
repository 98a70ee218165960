export const DEFAULT_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

/** Delay before redelivering after failed delivery number `deliveryCount` (1-based); the last step repeats. */
export function backoffDelay(deliveryCount: number, schedule: readonly number[] = DEFAULT_BACKOFF_MS): number {
  if (schedule.length === 0) return 0;
  const index = Math.min(Math.max(deliveryCount, 1), schedule.length) - 1;
  return schedule[index] ?? 0;
}
