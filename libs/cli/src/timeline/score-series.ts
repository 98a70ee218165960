import type { FrameScorePoint } from '@giggles/detection';

/**
 * The laughter score over time, max-pooled into at most `maxBuckets` buckets as it arrives, so an
 * 8-hour recording's timeline costs the same memory as a 10-minute one and no laugh disappears
 * from the plot (max, not mean, keeps short peaks visible).
 */
export class ScoreSeries {
  private bucketS: number;
  private values: number[] = [];

  constructor(private readonly maxBuckets = 4000, initialBucketS = 0.48) {
    this.bucketS = initialBucketS;
  }

  add(point: FrameScorePoint): void {
    let bucket = Math.floor(point.timeS / this.bucketS);
    while (bucket >= this.maxBuckets) {
      this.coarsen();
      bucket = Math.floor(point.timeS / this.bucketS);
    }
    while (this.values.length <= bucket) this.values.push(0);
    this.values[bucket] = Math.max(this.values[bucket], point.smoothed);
  }

  /** Halves the resolution: pairs of buckets become one. */
  private coarsen(): void {
    const merged: number[] = [];
    for (let i = 0; i < this.values.length; i += 2) merged.push(Math.max(this.values[i], this.values[i + 1] ?? 0));
    this.values = merged;
    this.bucketS *= 2;
  }

  points(): { timeS: number; score: number }[] {
    return this.values.map((score, i) => ({ timeS: (i + 0.5) * this.bucketS, score }));
  }
}
