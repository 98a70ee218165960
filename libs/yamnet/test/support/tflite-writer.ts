/**
 * TEST HELPER ONLY — writes small TFLite flatbuffers ("TFL3") with the `flatbuffers` Builder, so
 * tests can make models the importer must accept (float32/float16 weights, DEQUANTIZE) or reject
 * (unsupported ops, wrong shapes). Field slots follow schema.fbs declaration order.
 */
import { Builder } from 'flatbuffers';

export interface QuantSpec {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension?: number;
}

export interface TensorSpec {
  name: string;
  shape: number[];
  type: number;
  data?: Uint8Array;
  quantization?: QuantSpec;
}

/** One option field: slot id and typed value. */
export type OptionField =
  | { id: number; int8: number }
  | { id: number; int32: number }
  | { id: number; bool: boolean }
  | { id: number; float32: number }
  | { id: number; int32s: number[] };

export interface OpSpec {
  builtinCode: number;
  inputs: number[];
  outputs: number[];
  /** BuiltinOptions union type (e.g. 1 = Conv2DOptions) and the table's fields. */
  options?: { type: number; fields: OptionField[] };
}

export interface ModelSpec {
  tensors: TensorSpec[];
  inputs: number[];
  outputs: number[];
  operators: OpSpec[];
  /** Write operator codes the pre-2.4 way: only the byte-sized deprecated_builtin_code. */
  legacyOpCodes?: boolean;
}

export function writeTflite(spec: ModelSpec): Uint8Array {
  const b = new Builder(1024);
  const int32Vector = (values: number[]): number => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
    return b.endVector();
  };
  const offsetVector = (offsets: number[]): number => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
    return b.endVector();
  };

  // Buffers: 0 is the empty sentinel; each constant tensor gets its own.
  const bufferData: Array<Uint8Array | undefined> = [undefined];
  const tensorBuffer = spec.tensors.map((t) => (t.data ? bufferData.push(t.data) - 1 : 0));
  const buffers = bufferData.map((data) => {
    const vec = data ? b.createByteVector(data) : 0;
    b.startObject(3);
    if (vec) b.addFieldOffset(0, vec, 0);
    return b.endObject();
  });

  const tensors = spec.tensors.map((t, i) => {
    const name = b.createString(t.name);
    const shape = int32Vector(t.shape);
    let quant = 0;
    if (t.quantization) {
      b.startVector(4, t.quantization.scale.length, 4);
      for (let k = t.quantization.scale.length - 1; k >= 0; k--) b.addFloat32(t.quantization.scale[k]!);
      const scale = b.endVector();
      b.startVector(8, t.quantization.zeroPoint.length, 8);
      for (let k = t.quantization.zeroPoint.length - 1; k >= 0; k--) b.addInt64(BigInt(t.quantization.zeroPoint[k]!));
      const zp = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scale, 0);
      b.addFieldOffset(3, zp, 0);
      b.addFieldInt32(6, t.quantization.quantizedDimension ?? 0, 0);
      quant = b.endObject();
    }
    b.startObject(8);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type, 0);
    b.addFieldInt32(2, tensorBuffer[i]!, 0);
    b.addFieldOffset(3, name, 0);
    if (quant) b.addFieldOffset(4, quant, 0);
    return b.endObject();
  });

  const codes = [...new Set(spec.operators.map((o) => o.builtinCode))];
  const operatorCodes = codes.map((code) => {
    b.startObject(4);
    b.addFieldInt8(0, Math.min(code, 127), 0);
    b.addFieldInt32(2, 1, 1);
    if (!spec.legacyOpCodes) b.addFieldInt32(3, code, 0);
    return b.endObject();
  });

  const operators = spec.operators.map((op) => {
    const inputs = int32Vector(op.inputs);
    const outputs = int32Vector(op.outputs);
    let options = 0;
    if (op.options) {
      const vectors = op.options.fields.map((f) => ('int32s' in f ? int32Vector(f.int32s) : 0));
      b.startObject(Math.max(...op.options.fields.map((f) => f.id + 1), 1));
      op.options.fields.forEach((f, k) => {
        if ('int8' in f) b.addFieldInt8(f.id, f.int8, null);
        else if ('int32' in f) b.addFieldInt32(f.id, f.int32, null);
        else if ('bool' in f) b.addFieldInt8(f.id, f.bool ? 1 : 0, null);
        else if ('float32' in f) b.addFieldFloat32(f.id, f.float32, null);
        else b.addFieldOffset(f.id, vectors[k]!, 0);
      });
      options = b.endObject();
    }
    b.startObject(5);
    b.addFieldInt32(0, codes.indexOf(op.builtinCode), 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (op.options) {
      b.addFieldInt8(3, op.options.type, 0);
      b.addFieldOffset(4, options, 0);
    }
    return b.endObject();
  });

  const tensorsVec = offsetVector(tensors);
  const inputsVec = int32Vector(spec.inputs);
  const outputsVec = int32Vector(spec.outputs);
  const operatorsVec = offsetVector(operators);
  const sgName = b.createString('main');
  b.startObject(5);
  b.addFieldOffset(0, tensorsVec, 0);
  b.addFieldOffset(1, inputsVec, 0);
  b.addFieldOffset(2, outputsVec, 0);
  b.addFieldOffset(3, operatorsVec, 0);
  b.addFieldOffset(4, sgName, 0);
  const subgraph = b.endObject();

  const codesVec = offsetVector(operatorCodes);
  const subgraphsVec = offsetVector([subgraph]);
  const buffersVec = offsetVector(buffers);
  const description = b.createString('written by @giggles/yamnet tests');
  b.startObject(5);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, codesVec, 0);
  b.addFieldOffset(2, subgraphsVec, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffersVec, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}

/** float32 values as little-endian bytes. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

/** float32 values as little-endian IEEE binary16 (round to nearest; normal range only). */
export function float16Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    let half: number;
    if (exp <= 0) half = sign; // flush tiny values to zero: fine for weights in tests
    else if (exp >= 31) half = sign | 0x7c00;
    else half = sign | (exp << 10) | ((x >>> 13) & 0x3ff) | 0;
    if (exp > 0 && exp < 31 && x & 0x1000) half += 1; // round half up on the dropped bit
    view.setUint16(i * 2, half, true);
  }
  return out;
}
