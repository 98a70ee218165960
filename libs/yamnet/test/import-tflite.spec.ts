import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTflite, importTfliteBytes, ModelLoadError } from '../src';
import { decodeModel } from '../src/onnx/onnx-proto';
import { BuiltinOp, TensorType } from '../src/tflite/schema';
import { realModelPath } from './support/model';
import { float32Bytes, writeTflite, type ModelSpec } from './support/tflite-writer';
import { networkVariant } from './support/yamnet-variants';

async function runOnnx(onnx: Uint8Array, patch: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ patches: new ort.Tensor('float32', patch, [1, 96, 64]) });
    return out['scores']!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** A smooth, speech-like log-mel patch (values in the usual -7..1 range). */
function syntheticPatch(): Float32Array {
  return Float32Array.from({ length: 96 * 64 }, (_, i) => -4 + 3 * Math.sin(i / 37) * Math.cos((i % 64) / 5));
}

describe('importTflite', () => {
  let bytes: Buffer;
  let dir: string;

  beforeAll(() => {
    bytes = readFileSync(realModelPath());
    dir = mkdtempSync(join(tmpdir(), 'yamnet-import-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts the real model (int8 and float32 weights mixed) and records its source', async () => {
    const result = await importTflite(realModelPath());
    expect(result.sha256).toBe('687f226c147a2caab4706fbbab5e9cecb14b9a368264bf61108078b1fddf68f5');
    expect(result.weightType).toBe('mixed');
    expect(result.ops).toEqual({ CONV_2D: 14, DEPTHWISE_CONV_2D: 13, MEAN: 1, FULLY_CONNECTED: 1, LOGISTIC: 1 });
    const onnx = decodeModel(result.onnx);
    expect(onnx.ir_version).toBe(8);
    expect(onnx.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(onnx.graph.input.map((i) => i.name)).toEqual(['patches']);
    expect(onnx.graph.output.map((o) => o.name)).toEqual(['scores', 'embeddings']);
    expect(onnx.graph.input[0]!.type.tensor_type.shape.dim).toEqual([{ dim_param: 'N' }, { dim_value: 96 }, { dim_value: 64 }]);
    expect(onnx.metadata_props).toContainEqual({ key: 'source_sha256', value: result.sha256 });
  });

  it('converts a float32-weight model to the same network', async () => {
    const float32 = networkVariant(bytes, 'float32');
    const original = importTfliteBytes(bytes);
    const converted = importTfliteBytes(float32);
    expect(converted.weightType).toBe('float32');
    expect(converted.ops).toEqual(original.ops);
    const patch = syntheticPatch();
    const [a, b] = [await runOnnx(original.onnx, patch), await runOnnx(converted.onnx, patch)];
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
  });

  it('folds DEQUANTIZE ops that feed float16 weights', async () => {
    const half = networkVariant(bytes, 'float16-dequantize');
    const converted = importTfliteBytes(half);
    expect(converted.weightType).toBe('float32');
    expect(converted.ops['DEQUANTIZE']).toBeUndefined(); // folded into initializers, not converted
    const patch = syntheticPatch();
    const [a, b] = [await runOnnx(importTfliteBytes(bytes).onnx, patch), await runOnnx(converted.onnx, patch)];
    expect(maxAbsDiff(a, b)).toBeLessThan(0.02); // float16 rounding of the weights
  });

  it('rejects a missing file as NOT_FOUND', async () => {
    await expect(importTflite(join(dir, 'nope.tflite'))).rejects.toMatchObject({ name: 'ModelLoadError', code: 'NOT_FOUND' });
  });

  it('rejects a file that is not TFLite with a clear error', async () => {
    const path = join(dir, 'not-a-model.tflite');
    writeFileSync(path, 'index,mid,display_name\n0,/m/09x0r,Speech\n');
    const error = await importTflite(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect(error).toMatchObject({ code: 'NOT_TFLITE' });
    expect((error as Error).message).toMatch(/not a TFLite model.*TFL3.*not-a-model\.tflite/);
  });

  it('rejects a truncated TFLite file as malformed', () => {
    const truncated = bytes.subarray(0, 4096);
    expect(() => importTfliteBytes(truncated)).toThrow(ModelLoadError);
  });

  it('names an unsupported op', () => {
    const spec = tinyModel();
    // Put a HARD_SWISH between the conv and the pooling.
    spec.tensors.push({ name: 'swished', shape: [1, 48, 32, 2], type: TensorType.FLOAT32 });
    spec.operators.splice(1, 0, { builtinCode: BuiltinOp.HARD_SWISH, inputs: [2], outputs: [spec.tensors.length - 1] });
    spec.operators[2]!.inputs[0] = spec.tensors.length - 1;
    expect(() => importTfliteBytes(writeTflite(spec))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/unsupported TFLite op HARD_SWISH/) }),
    );
  });

  it('rejects a network whose input is not a 96×64 patch', () => {
    const spec = tinyModel([1, 48, 64, 1]);
    expect(() => importTfliteBytes(writeTflite(spec))).toThrow(expect.objectContaining({ code: 'WRONG_SHAPE', message: expect.stringMatching(/\[1,48,64,1\]/) }));
  });

  it('converts a small float32 model with AVERAGE_POOL_2D, RESHAPE and RELU6 and matches a hand computation', async () => {
    const spec = tinyModel();
    const onnx = importTfliteBytes(writeTflite(spec)).onnx;
    const patch = syntheticPatch();
    const scores = await runOnnx(onnx, patch);
    expect(Array.from(scores)).toHaveLength(3);
    const expected = tinyModelByHand(patch);
    expect(maxAbsDiff(scores, expected)).toBeLessThan(1e-5);
  });
});

// Tiny model: patch → CONV_2D 3×3 stride 2 SAME, 2 channels, RELU6 → AVERAGE_POOL_2D (global)
// → RESHAPE [1,2] → FULLY_CONNECTED 2→3 → LOGISTIC.
const CONV_W = [0.5, -0.25, 0.1, 0.2, 0.3, -0.1, 0.05, 0.4, -0.3, /* ch1 */ -0.2, 0.1, 0.3, 0.25, -0.5, 0.15, 0.2, 0.1, -0.05];
const CONV_B = [0.1, 2.5];
const FC_W = [1, -1, 0.5, 0.5, -2, 0.25];
const FC_B = [0, 0.1, -0.2];

function tinyModel(patchShape = [1, 96, 64, 1]): ModelSpec {
  const f = TensorType.FLOAT32;
  return {
    tensors: [
      { name: 'patch', shape: patchShape, type: f },
      { name: 'conv_w', shape: [2, 3, 3, 1], type: f, data: float32Bytes(CONV_W) },
      { name: 'conv_out', shape: [1, patchShape[1]! / 2, 32, 2], type: f },
      { name: 'conv_b', shape: [2], type: f, data: float32Bytes(CONV_B) },
      { name: 'pooled', shape: [1, 1, 1, 2], type: f },
      { name: 'shape', shape: [2], type: TensorType.INT32, data: new Uint8Array(Int32Array.of(1, 2).buffer) },
      { name: 'flat', shape: [1, 2], type: f },
      { name: 'fc_w', shape: [3, 2], type: f, data: float32Bytes(FC_W) },
      { name: 'fc_b', shape: [3], type: f, data: float32Bytes(FC_B) },
      { name: 'logits', shape: [1, 3], type: f },
      { name: 'scores', shape: [1, 3], type: f },
    ],
    inputs: [0],
    outputs: [10],
    operators: [
      { builtinCode: BuiltinOp.CONV_2D, inputs: [0, 1, 3], outputs: [2], options: { type: 1, fields: [{ id: 0, int8: 0 }, { id: 1, int32: 2 }, { id: 2, int32: 2 }, { id: 3, int8: 3 }] } },
      { builtinCode: BuiltinOp.AVERAGE_POOL_2D, inputs: [2], outputs: [4], options: { type: 5, fields: [{ id: 0, int8: 1 }, { id: 1, int32: 1 }, { id: 2, int32: 1 }, { id: 3, int32: 32 }, { id: 4, int32: patchShape[1]! / 2 }] } },
      { builtinCode: BuiltinOp.RESHAPE, inputs: [4, 5], outputs: [6] },
      { builtinCode: BuiltinOp.FULLY_CONNECTED, inputs: [6, 7, 8], outputs: [9], options: { type: 8, fields: [{ id: 0, int8: 0 }] } },
      { builtinCode: BuiltinOp.LOGISTIC, inputs: [9], outputs: [10] },
    ],
  };
}

/** The tiny model computed directly from TensorFlow's definitions (SAME: pad 0 top/left, 1 bottom/right). */
function tinyModelByHand(patch: Float32Array): Float32Array {
  const sums = [0, 0];
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 32; x++) {
      for (let c = 0; c < 2; c++) {
        let v = CONV_B[c]!;
        for (let ky = 0; ky < 3; ky++) {
          for (let kx = 0; kx < 3; kx++) {
            const iy = 2 * y + ky;
            const ix = 2 * x + kx;
            if (iy < 96 && ix < 64) v += patch[iy * 64 + ix]! * CONV_W[c * 9 + ky * 3 + kx]!;
          }
        }
        sums[c]! += Math.min(6, Math.max(0, v));
      }
    }
  }
  const pooled = sums.map((s) => s / (48 * 32));
  return Float32Array.from([0, 1, 2], (o) => 1 / (1 + Math.exp(-(FC_B[o]! + pooled[0]! * FC_W[o * 2]! + pooled[1]! * FC_W[o * 2 + 1]!))));
}
