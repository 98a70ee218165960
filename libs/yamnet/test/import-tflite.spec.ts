import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTflite, importTfliteBytes, ModelLoadError } from '../src';
import { decodeModel } from '../src/onnx/onnx-proto';
import { BuiltinOp, TensorType } from '../src/tflite/schema';
import { realModelPath } from './support/model';
import { tinyModel } from './support/tiny-models';
import { writeTflite } from './support/tflite-writer';
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
  let original: ReturnType<typeof importTfliteBytes>;
  let originalScores: Float32Array;
  const patch = syntheticPatch();

  beforeAll(async () => {
    bytes = readFileSync(realModelPath());
    dir = mkdtempSync(join(tmpdir(), 'yamnet-import-'));
    original = importTfliteBytes(bytes);
    originalScores = await runOnnx(original.onnx, patch);
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
    const converted = importTfliteBytes(networkVariant(bytes, 'float32'));
    expect(converted.weightType).toBe('float32');
    expect(converted.ops).toEqual(original.ops);
    expect(maxAbsDiff(originalScores, await runOnnx(converted.onnx, patch))).toBeLessThan(1e-5);
  });

  it('folds DEQUANTIZE ops that feed float16 weights', async () => {
    const converted = importTfliteBytes(networkVariant(bytes, 'float16-dequantize'));
    expect(converted.weightType).toBe('float32');
    expect(converted.ops['DEQUANTIZE']).toBeUndefined(); // folded into initializers, not converted
    expect(maxAbsDiff(originalScores, await runOnnx(converted.onnx, patch))).toBeLessThan(0.02); // float16 rounding of the weights
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
    const convOut = spec.operators[0]!.outputs[0]!;
    const swished = spec.tensors.push({ name: 'swished', shape: [1, 48, 32, 2], type: TensorType.FLOAT32 }) - 1;
    spec.operators.splice(1, 0, { builtinCode: BuiltinOp.HARD_SWISH, inputs: [convOut], outputs: [swished] });
    spec.operators[2]!.inputs[0] = swished;
    expect(() => importTfliteBytes(writeTflite(spec))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/unsupported TFLite op HARD_SWISH/) }),
    );
  });

  it('rejects a network whose input is not a 96×64 patch', () => {
    const spec = tinyModel([1, 48, 64, 1]);
    expect(() => importTfliteBytes(writeTflite(spec))).toThrow(expect.objectContaining({ code: 'WRONG_SHAPE', message: expect.stringMatching(/\[1,48,64,1\]/) }));
  });
});
