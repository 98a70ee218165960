import { describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src';
import { BuiltinOp, TensorType } from '../../src/tflite/schema';
import { looksLikeTflite, readTfliteModel } from '../../src/tflite/schema-reader';
import { float32Bytes, writeTflite, type ModelSpec } from '../support/tflite-writer';

function spec(codes: number[], legacyOpCodes = false): ModelSpec {
  return {
    tensors: [
      { name: 'x', shape: [1, 4], type: TensorType.FLOAT32 },
      { name: 'w', shape: [2, 4], type: TensorType.INT8, data: new Uint8Array(8), quantization: { scale: [0.5, 0.25], zeroPoint: [0, 0], quantizedDimension: 0 } },
      { name: 'y', shape: [1, 2], type: TensorType.FLOAT32, data: float32Bytes([0, 0]) },
    ],
    inputs: [0],
    outputs: [2],
    operators: codes.map((builtinCode) => ({ builtinCode, inputs: [0, 1], outputs: [2] })),
    legacyOpCodes,
  };
}

describe('TFLite schema reader', () => {
  it('reads tensors, quantization and buffers', () => {
    const model = readTfliteModel(writeTflite(spec([BuiltinOp.FULLY_CONNECTED])));
    const [x, w, y] = model.subgraphs[0]!.tensors;
    expect(x).toMatchObject({ name: 'x', shape: [1, 4], type: TensorType.FLOAT32, buffer: 0, quantization: undefined });
    expect(w!.quantization).toEqual({ scale: [0.5, 0.25], zeroPoint: [0, 0], quantizedDimension: 0 });
    expect(model.buffers[w!.buffer]).toHaveLength(8);
    expect(model.buffers[y!.buffer]).toHaveLength(8);
    expect(model.subgraphs[0]!.operators[0]).toMatchObject({ opName: 'FULLY_CONNECTED', inputs: [0, 1], outputs: [2] });
  });

  it('takes op codes from deprecated_builtin_code in old files and builtin_code past 127', () => {
    expect(readTfliteModel(writeTflite(spec([BuiltinOp.CONV_2D], true))).subgraphs[0]!.operators[0]!.opName).toBe('CONV_2D');
    // RFFT2D (131) does not fit the byte field, which then holds the 127 placeholder.
    expect(readTfliteModel(writeTflite(spec([BuiltinOp.RFFT2D]))).subgraphs[0]!.operators[0]!.opName).toBe('RFFT2D');
  });

  it('recognises the TFL3 identifier and rejects other bytes', () => {
    expect(looksLikeTflite(writeTflite(spec([BuiltinOp.LOGISTIC])))).toBe(true);
    expect(looksLikeTflite(new TextEncoder().encode('PK\u0003\u0004zipfile'))).toBe(false);
    expect(() => readTfliteModel(new Uint8Array(3))).toThrow(expect.objectContaining({ code: 'NOT_TFLITE' }));
  });

  it('reports corrupt offsets as MALFORMED instead of crashing', () => {
    const bytes = writeTflite(spec([BuiltinOp.LOGISTIC]));
    const corrupt = bytes.slice();
    new DataView(corrupt.buffer).setUint32(0, 0x7fffff00, true); // root table offset far past the end
    expect(() => readTfliteModel(corrupt)).toThrow(ModelLoadError);
    expect(() => readTfliteModel(corrupt)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });
});
