/**
 * TEST HELPER ONLY — rewrites the real YAMNet TFLite file into network-only variants (input is
 * the [1,96,64,1] patch, no waveform front end) whose weights are stored differently:
 * - 'float32': every int8 weight dequantized and stored as FLOAT32 (like Google's float model);
 * - 'float16-dequantize': every conv/dense weight stored as FLOAT16 behind a DEQUANTIZE op.
 */
import { readConv2DOptions, readDepthwiseOptions, readFullyConnectedOptions, readReducerOptions } from '../../src/tflite/builtin-options';
import { dequantize } from '../../src/tflite/dequantize';
import { BuiltinOp, TensorType } from '../../src/tflite/schema';
import { readTfliteModel, type TfliteOperator } from '../../src/tflite/schema-reader';
import { float16Bytes, float32Bytes, type ModelSpec, type OpSpec, type OptionField, type TensorSpec, writeTflite } from './tflite-writer';

export function networkVariant(bytes: Uint8Array, mode: 'float32' | 'float16-dequantize'): Uint8Array {
  const model = readTfliteModel(bytes);
  const sg = model.subgraphs[0]!;
  const start = sg.operators.findIndex((op) => op.builtinCode === BuiltinOp.CONV_2D);
  const netOps = sg.operators.slice(start);
  const tensors: TensorSpec[] = [];
  const remap = new Map<number, number>();
  const operators: OpSpec[] = [];

  const addTensor = (spec: TensorSpec): number => tensors.push(spec) - 1;
  const tensorFor = (index: number, isWeight: boolean): number => {
    const known = remap.get(index);
    if (known !== undefined) return known;
    const t = sg.tensors[index]!;
    const raw = model.buffers[t.buffer]!;
    let created: number;
    if (raw.length === 0 || t.type === TensorType.INT32) {
      created = addTensor({ name: t.name, shape: t.shape, type: t.type, data: raw.length ? raw.slice() : undefined });
    } else {
      const values = dequantize(raw, t.type, t.shape, t.quantization, t.name);
      if (mode === 'float16-dequantize' && isWeight) {
        const half = addTensor({ name: `${t.name}_f16`, shape: t.shape, type: TensorType.FLOAT16, data: float16Bytes(values) });
        created = addTensor({ name: t.name, shape: t.shape, type: TensorType.FLOAT32 });
        operators.push({ builtinCode: BuiltinOp.DEQUANTIZE, inputs: [half], outputs: [created] });
      } else {
        created = addTensor({ name: t.name, shape: t.shape, type: TensorType.FLOAT32, data: float32Bytes(values) });
      }
    }
    remap.set(index, created);
    return created;
  };

  for (const op of netOps) {
    const inputs = op.inputs.map((i, k) => (i < 0 ? i : tensorFor(i, k === 1 && op.builtinCode !== BuiltinOp.MEAN)));
    const outputs = op.outputs.map((o) => tensorFor(o, false));
    operators.push({ builtinCode: op.builtinCode, inputs, outputs, options: options(op) });
  }
  const spec: ModelSpec = {
    tensors,
    inputs: [remap.get(netOps[0]!.inputs[0]!)!],
    outputs: sg.outputs.map((o) => remap.get(o)!),
    operators,
  };
  return writeTflite(spec);
}

function options(op: TfliteOperator): OpSpec['options'] {
  const fields = (entries: Array<[number, 'int8' | 'int32' | 'bool', number | boolean]>): OptionField[] =>
    entries.map(([id, kind, value]) => ({ id, [kind]: value }) as OptionField);
  switch (op.builtinCode) {
    case BuiltinOp.CONV_2D: {
      const o = readConv2DOptions(op.options);
      return { type: 1, fields: fields([[0, 'int8', o.padding], [1, 'int32', o.strideW], [2, 'int32', o.strideH], [3, 'int8', o.activation], [4, 'int32', o.dilationW], [5, 'int32', o.dilationH]]) };
    }
    case BuiltinOp.DEPTHWISE_CONV_2D: {
      const o = readDepthwiseOptions(op.options);
      return { type: 2, fields: fields([[0, 'int8', o.padding], [1, 'int32', o.strideW], [2, 'int32', o.strideH], [3, 'int32', o.depthMultiplier], [4, 'int8', o.activation], [5, 'int32', o.dilationW], [6, 'int32', o.dilationH]]) };
    }
    case BuiltinOp.MEAN:
      return { type: 27, fields: fields([[0, 'bool', readReducerOptions(op.options).keepDims]]) };
    case BuiltinOp.FULLY_CONNECTED: {
      const o = readFullyConnectedOptions(op.options);
      return { type: 8, fields: fields([[0, 'int8', o.activation], [1, 'int8', o.weightsFormat], [2, 'bool', o.keepNumDims]]) };
    }
    default:
      return undefined;
  }
}
