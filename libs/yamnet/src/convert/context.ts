import { ModelLoadError } from '../errors';
import { OnnxGraphBuilder } from '../onnx/graph-builder';
import { OnnxDataType } from '../onnx/onnx-proto';
import { dequantize } from '../tflite/dequantize';
import { BuiltinOp, TensorType, tensorTypeName } from '../tflite/schema';
import { type TfliteModel, type TfliteOperator, type TfliteSubGraph, type TfliteTensor } from '../tflite/schema-reader';

/**
 * How an ONNX value relates to the TFLite tensor it stands for. TFLite activations are NHWC; the
 * ONNX graph keeps 4-D activations NCHW (what Conv/Pool want) and everything else in TFLite order.
 * Dimension 0 is always the batch, fixed at 1 in TFLite and dynamic ('N') in ONNX.
 */
export type Layout = 'nchw' | 'tflite';

export interface OnnxValue {
  name: string;
  layout: Layout;
}

/** Where each weight came from, to report whether the model was float32, int8 or mixed. */
export type WeightSource = 'float32' | 'float16' | 'int8' | 'uint8';

/** State shared by the per-op converters while one subgraph is translated. */
export class ConversionContext {
  readonly builder = new OnnxGraphBuilder();
  readonly weightSources: WeightSource[] = [];
  private readonly values = new Map<number, OnnxValue>();
  private readonly transposed = new Map<string, string>();
  private readonly scalars = new Map<number, string>();
  private readonly constants = new Map<number, Float32Array>();
  private readonly producers = new Map<number, TfliteOperator>();

  constructor(
    readonly model: TfliteModel,
    readonly graph: TfliteSubGraph,
  ) {
    for (const op of graph.operators) for (const o of op.outputs) this.producers.set(o, op);
  }

  tensor(index: number): TfliteTensor {
    const t = this.graph.tensors[index];
    if (!t) throw new ModelLoadError('MALFORMED', `missing tensor ${index}`);
    return t;
  }

  shape(index: number): number[] {
    return this.tensor(index).shape;
  }

  producer(index: number): TfliteOperator | undefined {
    return this.producers.get(index);
  }

  /** True when the tensor's value is known at conversion time (stored data, or DEQUANTIZE of it). */
  isConstant(index: number): boolean {
    if (index < 0) return true;
    if (this.hasData(index)) return true;
    const p = this.producers.get(index);
    return p?.builtinCode === BuiltinOp.DEQUANTIZE && p.inputs[0] !== undefined && this.hasData(p.inputs[0]);
  }

  private hasData(index: number): boolean {
    const t = this.tensor(index);
    return (this.model.buffers[t.buffer]?.length ?? 0) > 0;
  }

  /**
   * A constant tensor as float32: float32 as stored, float16 widened, int8/uint8 dequantized with
   * its (per-tensor or per-channel) scales; also through a DEQUANTIZE op that feeds a weight.
   */
  constantFloat(index: number, role?: 'weight'): Float32Array {
    const source = this.dataTensor(index);
    if (role === 'weight') this.weightSources.push(weightSource(source));
    let cached = this.constants.get(source.index);
    if (!cached) {
      cached = dequantize(this.model.buffers[source.buffer]!, source.type, source.shape, source.quantization, source.name);
      this.constants.set(source.index, cached);
    }
    return cached;
  }

  /** An int32/int64 constant (shapes, axes). */
  constantInts(index: number): number[] {
    const t = this.tensor(index);
    const raw = this.model.buffers[t.buffer];
    if (!raw || raw.length === 0) throw new ModelLoadError('UNSUPPORTED_OP', `tensor "${t.name}" must be a constant`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (t.type === TensorType.INT32) return Array.from({ length: raw.length / 4 }, (_, i) => view.getInt32(i * 4, true));
    if (t.type === TensorType.INT64) return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    throw new ModelLoadError('UNSUPPORTED_TYPE', `tensor "${t.name}" should hold integers but is ${tensorTypeName(t.type)}`);
  }

  private dataTensor(index: number): TfliteTensor {
    if (this.hasData(index)) return this.tensor(index);
    const p = this.producers.get(index);
    if (p?.builtinCode === BuiltinOp.DEQUANTIZE && p.inputs[0] !== undefined && this.hasData(p.inputs[0])) {
      return this.tensor(p.inputs[0]);
    }
    throw new ModelLoadError('UNSUPPORTED_OP', `tensor "${this.tensor(index).name}" is used as a weight but is not constant`);
  }

  setValue(index: number, value: OnnxValue): void {
    this.values.set(index, value);
  }

  value(index: number): OnnxValue {
    const v = this.values.get(index);
    if (!v) throw new ModelLoadError('UNSUPPORTED_OP', `tensor "${this.tensor(index).name}" is used before it is computed`);
    return v;
  }

  /** The value in NCHW order (inserting, once, a Transpose from TFLite order if needed). */
  nchw(index: number): string {
    const v = this.value(index);
    if (v.layout === 'nchw') return v.name;
    if (this.shape(index).length !== 4) {
      throw new ModelLoadError('WRONG_SHAPE', `tensor "${this.tensor(index).name}" must be 4-D, is [${this.shape(index).join(',')}]`);
    }
    return this.transpose(v.name, [0, 3, 1, 2]);
  }

  /** The value in TFLite (NHWC) order. */
  tflite(index: number): string {
    const v = this.value(index);
    return v.layout === 'tflite' ? v.name : this.transpose(v.name, [0, 2, 3, 1]);
  }

  private transpose(name: string, perm: number[]): string {
    const key = `${name}|${perm.join(',')}`;
    let out = this.transposed.get(key);
    if (!out) {
      out = this.builder.addNode('Transpose', [name], `${name}_t`, { perm })[0]!;
      this.transposed.set(key, out);
    }
    return out;
  }

  /** A shared scalar float initializer (Clip bounds, Softmax beta). */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (!name) {
      name = this.builder.addInitializer(`const_${value}`, [], OnnxDataType.FLOAT, Float32Array.of(value));
      this.scalars.set(value, name);
    }
    return name;
  }

  /** A short, readable ONNX name stem for an op: its TFLite output name's first segment. */
  stem(op: TfliteOperator): string {
    const name = this.tensor(op.outputs[0]!).name.split(';')[0]!;
    const parts = name.split('/').filter((p) => p && p !== 'StatefulPartitionedCall');
    return parts.slice(-3).join('/') || `op${op.index}`;
  }
}

function weightSource(t: TfliteTensor): WeightSource {
  switch (t.type) {
    case TensorType.INT8:
      return 'int8';
    case TensorType.UINT8:
      return 'uint8';
    case TensorType.FLOAT16:
      return 'float16';
    default:
      return 'float32';
  }
}
