import { describe, expect, it } from 'vitest';
import { type PatchOutput, PatchScheduler, type ScheduledFrame } from './patch-scheduler';

/** A fake network: patch i scores `laughAt.get(i) ?? 0.001` in slot 0; patch data carries its index. */
function fakeRun(batch: { index: number; patch: Float32Array }[], laughAt: Map<number, number>): PatchOutput[] {
  return batch.map(({ index, patch }) => {
    expect(patch[0]).toBe(index); // the right patch reached the network
    return { scores: Float32Array.of(laughAt.get(index) ?? 0.001, index), embedding: Float32Array.of(index) };
  });
}

function runAll(n: number, laughAt: Map<number, number>, enabled: boolean, batchSize: number, threshold = 0.05) {
  const scheduler = new PatchScheduler({ enabled, refineThreshold: threshold, laughterScore: (o) => o.scores[0] });
  const frames: ScheduledFrame[] = [];
  const ran: number[] = [];
  const drain = (all: boolean) => {
    while (scheduler.queued >= batchSize || (all && scheduler.queued > 0)) {
      const batch = scheduler.takeBatch(batchSize);
      ran.push(...batch.map((b) => b.index));
      frames.push(...scheduler.addResults(batch, fakeRun(batch, laughAt)));
    }
  };
  for (let i = 0; i < n; i++) {
    scheduler.addPatch(Float32Array.of(i));
    drain(false);
  }
  scheduler.end();
  drain(true);
  return { frames, ran, scheduler };
}

describe('PatchScheduler', () => {
  it('runs every patch when disabled', () => {
    const { frames, ran, scheduler } = runAll(9, new Map(), false, 4);
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(frames.every((f) => f.inferred)).toBe(true);
    expect(scheduler.drained).toBe(true);
  });

  it('fills odd patches from their neighbours where there is no laughter evidence', () => {
    const { frames, ran, scheduler } = runAll(9, new Map(), true, 4);
    expect(ran).toEqual([0, 2, 4, 6, 8]);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const f3 = frames[3];
    expect(f3.inferred).toBe(false);
    expect(f3.scores[1]).toBeCloseTo(3); // mean of patches 2 and 4
    expect(f3.embedding[0]).toBeCloseTo(3);
    expect(scheduler.stats).toEqual({ patches: 9, inferred: 5 });
  });

  it('refines both odd neighbours of a patch with laughter evidence', () => {
    const { ran, frames } = runAll(11, new Map([[6, 0.4]]), true, 3);
    expect(new Set(ran)).toEqual(new Set([0, 2, 4, 5, 6, 7, 8, 10]));
    expect(frames.filter((f) => f.inferred).map((f) => f.index)).toEqual([0, 2, 4, 5, 6, 7, 8, 10]);
    expect(frames.map((f) => f.index)).toEqual([...Array(11).keys()]);
  });

  it('treats a score exactly at the threshold as evidence', () => {
    const { ran } = runAll(5, new Map([[2, 0.05]]), true, 2);
    expect(new Set(ran)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it('runs a trailing odd patch that has no right neighbour', () => {
    const { ran, frames } = runAll(4, new Map(), true, 8);
    expect(ran).toEqual([0, 2, 3]);
    expect(frames.find((f) => f.index === 3)?.inferred).toBe(true);
    expect(frames.find((f) => f.index === 1)?.inferred).toBe(false);
  });

  it('always releases every frame exactly once, in order, for random evidence and batch sizes', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      const laughAt = new Map<number, number>();
      for (let i = 0; i < n; i++) if (rand() < 0.15) laughAt.set(i, rand());
      const batch = 1 + Math.floor(rand() * 9);
      const { frames, ran, scheduler } = runAll(n, laughAt, true, batch);
      expect(frames.map((f) => f.index)).toEqual([...Array(n).keys()]);
      expect(new Set(ran).size).toBe(ran.length);
      expect(scheduler.drained).toBe(true);
      for (const [i, p] of laughAt) {
        if (p < 0.05 || i % 2 === 1) continue;
        // every odd neighbour of real evidence (seen on an inferred even patch) was inferred
        for (const j of [i - 1, i + 1]) if (j >= 0 && j < n) expect(ran).toContain(j);
      }
    }
  });

  it('refuses patches after the end', () => {
    const scheduler = new PatchScheduler({ enabled: true, refineThreshold: 0.1, laughterScore: () => 0 });
    scheduler.end();
    expect(() => scheduler.addPatch(new Float32Array(1))).toThrow(/after end/);
  });
});
