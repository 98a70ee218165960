import { ModelLoadError } from '../../errors';
import { readFullyConnectedOptions } from '../../tflite/builtin-options';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';
import { applyActivation } from './activation';

/**
 * FULLY_CONNECTED: weights are [out, in], so y = x·Wᵀ + b is a Gemm with transB=1. The input
 * must hold one row per batch item (TFLite would otherwise fold extra dims into rows).
 */
export function convertFullyConnected(ctx: ConversionContext, op: TfliteOperator): void {
  const o = readFullyConnectedOptions(op.options);
  const stem = ctx.stem(op);
  if (o.weightsFormat !== 0) throw new ModelLoadError('UNSUPPORTED_OP', `FULLY_CONNECTED "${stem}" uses shuffled int8 weights`);
  const inputIndex = op.inputs[0]!;
  const inShape = ctx.shape(inputIndex);
  const wShape = ctx.shape(op.inputs[1]!);
  if (wShape.length !== 2) throw new ModelLoadError('WRONG_SHAPE', `FULLY_CONNECTED "${stem}" weights must be 2-D, are [${wShape.join(',')}]`);
  const [outDim, inDim] = wShape as [number, number];
  const perItem = inShape.slice(1).reduce((a, b) => a * b, 1);
  if (inShape[0] !== 1 || perItem !== inDim) {
    throw new ModelLoadError('WRONG_SHAPE', `FULLY_CONNECTED "${stem}" input [${inShape.join(',')}] does not give one row of ${inDim} per batch item`);
  }
  const x = rows(ctx, inputIndex, stem);
  const inputs = [x, ctx.builder.addFloatInitializer(`${stem}/weights`, [outDim, inDim], ctx.constantFloat(op.inputs[1]!, 'weight'))];
  const biasIndex = op.inputs[2] ?? -1;
  if (biasIndex >= 0) inputs.push(ctx.builder.addFloatInitializer(`${stem}/bias`, [outDim], ctx.constantFloat(biasIndex)));
  const out = ctx.builder.addNode('Gemm', inputs, `${stem}/gemm`, { transB: 1 })[0]!;
  ctx.setValue(op.outputs[0]!, { name: applyActivation(ctx, out, o.activation, stem), layout: 'tflite' });
}

/** The input as [N, in]. */
function rows(ctx: ConversionContext, index: number, stem: string): string {
  const shape = ctx.shape(index);
  const v = ctx.value(index);
  if (shape.length === 2 && v.layout === 'tflite') return v.name;
  // An NCHW [N,C,1,1] flattens to the same order as NHWC [N,1,1,C]; larger maps must go via NHWC.
  const source = v.layout === 'nchw' && shape[1] === 1 && shape[2] === 1 ? v.name : ctx.tflite(index);
  return ctx.builder.addNode('Flatten', [source], `${stem}/flatten`, { axis: 1 })[0]!;
}
