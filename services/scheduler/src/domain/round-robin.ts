/**
 * Takes from each queue in turn — everyone's first item, then everyone's second — while
 * `take(item)` says whether the item used up one of that queue's `slots`. Queues without slots
 * left are skipped. This is what keeps one user's backfill from delaying everyone's nightly day.
 */
export async function roundRobin<T>(
  queues: { items: readonly T[]; slots: number }[],
  take: (item: T) => Promise<boolean>,
): Promise<void> {
  const cursors = queues.map(() => 0);
  const slots = queues.map((q) => q.slots);
  for (;;) {
    let progressed = false;
    for (const [i, queue] of queues.entries()) {
      if (slots[i]! <= 0 || cursors[i]! >= queue.items.length) continue;
      const item = queue.items[cursors[i]!]!;
      cursors[i]! += 1;
      progressed = true;
      if (await take(item)) slots[i]! -= 1;
    }
    if (!progressed) return;
  }
}
