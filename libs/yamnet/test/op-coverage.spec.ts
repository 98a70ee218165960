import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importTfliteBytes } from '../src';
import { writeTflite } from './support/tflite-writer';
import { tinyModel, tinyModelByHand, type TinyVariant } from './support/tiny-models';

/** A log-mel-like patch with structure in both directions, so padding and layout mistakes show. */
function patch(): Float32Array {
  return Float32Array.from({ length: 96 * 64 }, (_, i) => -4 + 3 * Math.sin(i / 37) * Math.cos((i % 64) / 5) + ((i * 7919) % 13) / 13);
}

const VARIANTS: Array<[string, Partial<TinyVariant>]> = [
  ['CONV_2D+RELU6, global AVERAGE_POOL_2D, RESHAPE, LOGISTIC', {}],
  ['CONV_2D, ADD+RELU6 of a per-channel constant, global MAX_POOL_2D, SQUEEZE, SOFTMAX', { add: true, pool: 'max', flatten: 'squeeze', head: 'softmax' }],
  ['CONV_2D+RELU, 3×3/2 SAME AVERAGE_POOL_2D, MEAN over H,W', { activation: 1, pool: 'avg3x3+mean' }],
];

describe('op converters against direct computation', () => {
  it.each(VARIANTS)('%s', async (_name, variant) => {
    const { onnx, weightType } = importTfliteBytes(writeTflite(tinyModel([1, 96, 64, 1], variant)));
    expect(weightType).toBe('float32');
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
    try {
      const input = patch();
      const out = await session.run({ patches: new ort.Tensor('float32', input, [1, 96, 64]) });
      const scores = out['scores']!.data as Float32Array;
      const expected = tinyModelByHand(input, variant);
      expect(scores).toHaveLength(3);
      for (let i = 0; i < 3; i++) expect(scores[i]).toBeCloseTo(expected[i]!, 5);
    } finally {
      await session.release();
    }
  });
});
