export type Stage = 'decode' | 'features' | 'inference' | 'detection';
export type StageTimings = Record<Stage, number>;

/** Wall milliseconds spent in each stage of one analysis, for progress lines and benchmarks. */
export class StageClock {
  private readonly ms: StageTimings = { decode: 0, features: 0, inference: 0, detection: 0 };

  time<T>(stage: Stage, work: () => T): T {
    const start = performance.now();
    try {
      return work();
    } finally {
      this.ms[stage] += performance.now() - start;
    }
  }

  async timeAsync<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.ms[stage] += performance.now() - start;
    }
  }

  /** Adds time measured elsewhere (e.g. in a worker thread). */
  add(stage: Stage, ms: number): void {
    this.ms[stage] += ms;
  }

  totals(): StageTimings {
    return { ...this.ms };
  }
}
