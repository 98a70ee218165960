import { ModelLoadError } from '../../errors';
import { readConv2DOptions, readDepthwiseOptions } from '../../tflite/builtin-options';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';
import { axisOutput, spatialPads } from '../padding';
import { applyActivation } from './activation';

/** CONV_2D: filter OHWI → ONNX OIHW; TFLite grouped convs have filter I < input channels. */
export function convertConv2D(ctx: ConversionContext, op: TfliteOperator): void {
  const o = readConv2DOptions(op.options);
  const [, inH, inW, inC] = fourD(ctx, op.inputs[0]!, 'input');
  const [outC, kH, kW, kC] = fourD(ctx, op.inputs[1]!, 'filter');
  if (inC % kC !== 0) throw shapeError(ctx, op, `input channels ${inC} are not a multiple of filter channels ${kC}`);
  const filter = ctx.constantFloat(op.inputs[1]!, 'weight');
  const weights = permute4(filter, [outC, kH, kW, kC], [0, 3, 1, 2]);
  emitConv(ctx, op, {
    inH,
    inW,
    kernel: [kH, kW],
    weightDims: [outC, kC, kH, kW],
    weights,
    group: inC / kC,
    outC,
    ...o,
  });
}

/**
 * DEPTHWISE_CONV_2D: filter [1,H,W,C*M] → ONNX [C*M,1,H,W] with group = C. TFLite numbers the
 * outputs c*M+m, which is exactly the order of an ONNX grouped conv's output channels.
 */
export function convertDepthwise(ctx: ConversionContext, op: TfliteOperator): void {
  const o = readDepthwiseOptions(op.options);
  const [, inH, inW, inC] = fourD(ctx, op.inputs[0]!, 'input');
  const [one, kH, kW, outC] = fourD(ctx, op.inputs[1]!, 'filter');
  if (one !== 1 || outC % inC !== 0) throw shapeError(ctx, op, `depthwise filter [${one},${kH},${kW},${outC}] does not fit ${inC} input channels`);
  const filter = ctx.constantFloat(op.inputs[1]!, 'weight');
  const weights = permute4(filter, [1, kH, kW, outC], [3, 0, 1, 2]);
  emitConv(ctx, op, { inH, inW, kernel: [kH, kW], weightDims: [outC, 1, kH, kW], weights, group: inC, outC, ...o });
}

interface ConvSpec {
  inH: number;
  inW: number;
  kernel: [number, number];
  weightDims: number[];
  weights: Float32Array;
  group: number;
  outC: number;
  padding: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  activation: number;
}

function emitConv(ctx: ConversionContext, op: TfliteOperator, s: ConvSpec): void {
  const stem = ctx.stem(op);
  const [kH, kW] = s.kernel;
  const strideH = s.strideH || 1;
  const strideW = s.strideW || 1;
  // Check our reading of the options against the shapes the TFLite converter computed.
  const expected = [1, axisOutput(s.padding, s.inH, kH, strideH, s.dilationH), axisOutput(s.padding, s.inW, kW, strideW, s.dilationW), s.outC];
  const actual = ctx.shape(op.outputs[0]!);
  if (expected.join(',') !== actual.join(',')) {
    throw shapeError(ctx, op, `computed output [${expected.join(',')}] but the model says [${actual.join(',')}]`);
  }
  const inputs = [ctx.nchw(op.inputs[0]!), ctx.builder.addFloatInitializer(`${stem}/weights`, s.weightDims, s.weights)];
  const biasIndex = op.inputs[2] ?? -1;
  if (biasIndex >= 0) inputs.push(ctx.builder.addFloatInitializer(`${stem}/bias`, [s.outC], ctx.constantFloat(biasIndex)));
  const out = ctx.builder.addNode('Conv', inputs, `${stem}/conv`, {
    kernel_shape: [kH, kW],
    strides: [strideH, strideW],
    dilations: [s.dilationH, s.dilationW],
    pads: spatialPads(s.padding, s.inH, s.inW, kH, kW, strideH, strideW, s.dilationH, s.dilationW),
    group: s.group,
  })[0]!;
  ctx.setValue(op.outputs[0]!, { name: applyActivation(ctx, out, s.activation, stem), layout: 'nchw' });
}

function fourD(ctx: ConversionContext, index: number, role: string): [number, number, number, number] {
  const shape = ctx.shape(index);
  if (shape.length !== 4) {
    throw new ModelLoadError('WRONG_SHAPE', `${role} "${ctx.tensor(index).name}" must be 4-D, is [${shape.join(',')}]`);
  }
  return shape as [number, number, number, number];
}

function shapeError(ctx: ConversionContext, op: TfliteOperator, detail: string): ModelLoadError {
  return new ModelLoadError('WRONG_SHAPE', `${op.opName} "${ctx.stem(op)}": ${detail}`);
}

/** Reorders a 4-D row-major array: output axis i is input axis perm[i]. */
export function permute4(data: Float32Array, dims: number[], perm: number[]): Float32Array {
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = [dims[1]! * dims[2]! * dims[3]!, dims[2]! * dims[3]!, dims[3]!, 1];
  const s = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  let k = 0;
  for (let a = 0; a < outDims[0]!; a++)
    for (let b = 0; b < outDims[1]!; b++)
      for (let c = 0; c < outDims[2]!; c++)
        for (let d = 0; d < outDims[3]!; d++) out[k++] = data[a * s[0]! + b * s[1]! + c * s[2]! + d * s[3]!]!;
  return out;
}
