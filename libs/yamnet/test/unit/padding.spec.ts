import { describe, expect, it } from 'vitest';
import { axisOutput, axisPads, spatialPads } from '../../src/convert/padding';
import { Padding } from '../../src/tflite/schema';

describe('TensorFlow padding', () => {
  it('pads SAME with the odd pixel at the end', () => {
    expect(axisPads(Padding.SAME, 96, 3, 2)).toEqual([0, 1]); // out 48: (47*2+3-96)=1
    expect(axisPads(Padding.SAME, 48, 3, 1)).toEqual([1, 1]);
    expect(axisPads(Padding.SAME, 5, 4, 1)).toEqual([1, 2]);
    expect(axisPads(Padding.SAME, 6, 3, 1, 2)).toEqual([2, 2]); // dilated kernel spans 5
    expect(spatialPads(Padding.SAME, 96, 64, 3, 3, 2, 2)).toEqual([0, 0, 1, 1]);
  });

  it('does not pad VALID and computes output sizes like TensorFlow', () => {
    expect(axisPads(Padding.VALID, 96, 3, 2)).toEqual([0, 0]);
    expect(axisOutput(Padding.VALID, 96, 3, 2)).toBe(47);
    expect(axisOutput(Padding.SAME, 97, 3, 2)).toBe(49);
  });
});
