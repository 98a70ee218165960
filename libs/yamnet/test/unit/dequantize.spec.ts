import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src';
import { dequantize, halfToFloat } from '../../src/tflite/dequantize';
import { TensorType } from '../../src/tflite/schema';
import { float16Bytes, float32Bytes } from '../support/tflite-writer';

const int8 = (values: number[]) => new Uint8Array(Int8Array.from(values).buffer);

describe('dequantize', () => {
  it('passes float32 through unchanged', () => {
    expect(Array.from(dequantize(float32Bytes([1.5, -2, 0.25]), TensorType.FLOAT32, [3], undefined))).toEqual([1.5, -2, 0.25]);
  });

  it('applies one scale and zero point to a per-tensor int8 tensor', () => {
    const out = dequantize(int8([-128, -1, 0, 5, 127]), TensorType.INT8, [5], { scale: [0.5], zeroPoint: [-1], quantizedDimension: 0 });
    expect(Array.from(out)).toEqual([-63.5, 0, 0.5, 3, 64]);
  });

  it('applies uint8 zero points', () => {
    const out = dequantize(Uint8Array.of(0, 128, 255), TensorType.UINT8, [3], { scale: [0.1], zeroPoint: [128], quantizedDimension: 0 });
    expect(Array.from(out).map((v) => Math.round(v * 10) / 10)).toEqual([-12.8, 0, 12.7]);
  });

  it('uses per-channel scales along quantized_dimension 0 (conv filters, OHWI)', () => {
    // shape [2,1,1,3]: channel 0 has scale 1, channel 1 has scale 10.
    const out = dequantize(int8([1, 2, 3, 1, 2, 3]), TensorType.INT8, [2, 1, 1, 3], { scale: [1, 10], zeroPoint: [0, 0], quantizedDimension: 0 });
    expect(Array.from(out)).toEqual([1, 2, 3, 10, 20, 30]);
  });

  it('uses per-channel scales along the last dimension (depthwise filters, 1HWC)', () => {
    // shape [1,2,1,3]: scales per last-axis channel, repeating every 3 elements.
    const out = dequantize(int8([1, 1, 1, 2, 2, 2]), TensorType.INT8, [1, 2, 1, 3], { scale: [1, 2, 4], zeroPoint: [0, 0, 0], quantizedDimension: 3 });
    expect(Array.from(out)).toEqual([1, 2, 4, 2, 4, 8]);
  });

  it('widens float16', () => {
    expect(Array.from(dequantize(float16Bytes([1, -2.5, 0.0999755859375]), TensorType.FLOAT16, [3], undefined))).toEqual([1, -2.5, 0.0999755859375]);
    expect(halfToFloat(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(halfToFloat(0x0001)).toBeCloseTo(5.96e-8, 10);
  });

  it('rejects int8 without quantization, scale counts that do not fit, short data and other types', () => {
    expect(() => dequantize(int8([1]), TensorType.INT8, [1], undefined)).toThrow(ModelLoadError);
    expect(() => dequantize(int8([1, 2]), TensorType.INT8, [2], { scale: [1, 2, 3], zeroPoint: [0], quantizedDimension: 0 })).toThrow(/3 scales/);
    expect(() => dequantize(float32Bytes([1]), TensorType.FLOAT32, [2], undefined)).toThrow(/expected 8/);
    expect(() => dequantize(new Uint8Array(8), TensorType.INT64, [1], undefined)).toThrow(/unsupported type INT64/);
  });
});
