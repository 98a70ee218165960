import { describe, expect, it } from 'vitest';
import { SampleRing } from './sample-ring';

function ramp(from: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => from + i);
}

describe('SampleRing', () => {
  it('returns exactly the samples asked for across wrap-around', () => {
    const ring = new SampleRing(10);
    ring.push(ramp(0, 7));
    ring.push(ramp(7, 7)); // wraps
    expect(ring.start).toBe(4);
    expect(ring.position).toBe(14);
    expect(Array.from(ring.read(4, 14))).toEqual(Array.from(ramp(4, 10)));
    expect(Array.from(ring.read(9, 12))).toEqual([9, 10, 11]);
  });

  it('keeps only the tail of a push larger than the ring, with positions intact', () => {
    const ring = new SampleRing(5);
    ring.push(ramp(0, 12));
    expect(ring.position).toBe(12);
    expect(Array.from(ring.read(7, 12))).toEqual([7, 8, 9, 10, 11]);
  });

  it('refuses ranges that left the ring or have not arrived', () => {
    const ring = new SampleRing(4);
    ring.push(ramp(0, 10));
    expect(() => ring.read(5, 8)).toThrow(/not in the ring/);
    expect(() => ring.read(8, 11)).toThrow(/not in the ring/);
    expect(() => ring.read(3, 2)).toThrow(/bad sample range/);
    expect(ring.read(8, 8).length).toBe(0);
  });
});
