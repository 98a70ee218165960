import { describe, expect, it } from 'vitest';
import { rng } from '../test/support';
import { StreamingSmoother, smoothWindow, windowExtent } from './smoothing';

function naive(values: number[], n: number, method: 'mean' | 'median'): number[] {
  const { before, after } = windowExtent(n);
  return values.map((_, i) => smoothWindow(values.slice(Math.max(0, i - before), i + after + 1), method));
}

describe('windowExtent', () => {
  it('centres the window, leaning forward for even widths', () => {
    expect(windowExtent(1)).toEqual({ before: 0, after: 0 });
    expect(windowExtent(2)).toEqual({ before: 0, after: 1 });
    expect(windowExtent(3)).toEqual({ before: 1, after: 1 });
    expect(windowExtent(4)).toEqual({ before: 1, after: 2 });
    expect(windowExtent(5)).toEqual({ before: 2, after: 2 });
  });
});

describe('smoothWindow', () => {
  it('mean averages', () => {
    expect(smoothWindow([0.25, 0.5, 0.75], 'mean')).toBe(0.5);
  });

  it('max (used internally for cough context) takes the largest', () => {
    expect(smoothWindow([0.25, 0.75, 0.5], 'max')).toBe(0.75);
    expect(smoothWindow([0.25], 'max')).toBe(0.25);
  });

  it('median takes the middle, or the mean of the two middles', () => {
    expect(smoothWindow([0.9, 0.1, 0.2], 'median')).toBe(0.2);
    expect(smoothWindow([0.9, 0.1, 0.2, 0.4], 'median')).toBeCloseTo(0.3, 12);
    expect(smoothWindow([0.7], 'median')).toBe(0.7);
  });
});

describe('StreamingSmoother', () => {
  it('emits each value half a window late, then the rest on flush', () => {
    const s = new StreamingSmoother<string>(3, 'mean');
    // Binary fractions, so the averages below are exact.
    expect(s.push(0.25, 'a')).toEqual([]);
    expect(s.pending).toBe(1);
    // Frame a's window is [a, b] (nothing before the stream start): (0.25 + 0.5) / 2.
    expect(s.push(0.5, 'b')).toEqual([{ item: 'a', value: 0.25, smoothed: 0.375 }]);
    expect(s.push(0.75, 'c')).toEqual([{ item: 'b', value: 0.5, smoothed: 0.5 }]);
    expect(s.flush()).toEqual([{ item: 'c', value: 0.75, smoothed: 0.625 }]);
    expect(s.pending).toBe(0);
  });

  it('passes values straight through with a window of one', () => {
    const s = new StreamingSmoother<number>(1, 'median');
    expect(s.push(0.4, 1)).toEqual([{ item: 1, value: 0.4, smoothed: 0.4 }]);
    expect(s.flush()).toEqual([]);
  });

  it('removes a one-frame spike with the median but not at the stream edge', () => {
    const s = new StreamingSmoother<number>(3, 'median');
    const out = [0.75, 0, 0, 0.75, 0, 0, 0.75].flatMap((v, i) => s.push(v, i)).concat(s.flush());
    // Inside, [0, 0.75, 0] → 0. At the edges the window has two values and the median is their mean.
    expect(out.map((o) => o.smoothed)).toEqual([0.375, 0, 0, 0, 0, 0, 0.375]);
  });

  it('matches whole-array smoothing for random input, widths and methods', () => {
    const random = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 9);
      const method = random() < 0.5 ? 'mean' : 'median';
      const values = Array.from({ length: Math.floor(random() * 30) }, () => random());
      const s = new StreamingSmoother<number>(n, method);
      const out = values.flatMap((v, i) => s.push(v, i)).concat(s.flush());
      expect(out.map((o) => o.item)).toEqual(values.map((_, i) => i));
      expect(out.map((o) => o.smoothed)).toEqual(naive(values, n, method));
    }
  });

  it('never holds more than its window', () => {
    const s = new StreamingSmoother<number>(5, 'mean');
    for (let i = 0; i < 1000; i++) s.push(i % 3, i);
    expect(s.state().values.length).toBeLessThanOrEqual(5);
  });

  it('continues identically from a saved state', () => {
    const values = [0.1, 0.8, 0.3, 0.5, 0.9, 0.2, 0.4];
    const whole = new StreamingSmoother<number>(4, 'median');
    const expected = values.flatMap((v, i) => whole.push(v, i)).concat(whole.flush());

    const first = new StreamingSmoother<number>(4, 'median');
    const head = values.slice(0, 3).flatMap((v, i) => first.push(v, i));
    const resumed = new StreamingSmoother<number>(4, 'median', JSON.parse(JSON.stringify(first.state())));
    const tail = values.slice(3).flatMap((v, i) => resumed.push(v, i + 3)).concat(resumed.flush());
    expect([...head, ...tail]).toEqual(expected);
  });

  it('rejects a window that is not a positive integer', () => {
    expect(() => new StreamingSmoother(0, 'mean')).toThrow(RangeError);
    expect(() => new StreamingSmoother(2.5, 'mean')).toThrow(RangeError);
  });
});
