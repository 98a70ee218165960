import { ModelLoadError } from '../../errors';
import { readPoolOptions, readReducerOptions } from '../../tflite/builtin-options';
import { Padding } from '../../tflite/schema';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';
import { spatialPads } from '../padding';
import { applyActivation } from './activation';


/**
 * MEAN over height and width of a 4-D activation is global average pooling (how Keras'
 * GlobalAveragePooling2D reaches TFLite); other reductions become ReduceMean in TFLite order.
 */
export function convertMean(ctx: ConversionContext, op: TfliteOperator): void {
  const { keepDims } = readReducerOptions(op.options);
  const input = op.inputs[0]!;
  const rank = ctx.shape(input).length;
  const axes = ctx.constantInts(op.inputs[1]!).map((a) => (a < 0 ? a + rank : a));
  if (axes.includes(0)) throw new ModelLoadError('UNSUPPORTED_OP', `MEAN "${ctx.stem(op)}" reduces over the batch dimension`);
  const stem = ctx.stem(op);
  const spatial = rank === 4 && axes.length === 2 && axes.includes(1) && axes.includes(2);
  if (spatial && ctx.value(input).layout === 'nchw') {
    const pooled = ctx.builder.addNode('GlobalAveragePool', [ctx.nchw(input)], `${stem}/gap`)[0]!;
    if (keepDims) {
      ctx.setValue(op.outputs[0]!, { name: pooled, layout: 'nchw' });
    } else {
      // [N,C,1,1] → [N,C], which is also the TFLite [1,C] order.
      const flat = ctx.builder.addNode('Flatten', [pooled], `${stem}/flatten`, { axis: 1 })[0]!;
      ctx.setValue(op.outputs[0]!, { name: flat, layout: 'tflite' });
    }
    return;
  }
  const out = ctx.builder.addNode('ReduceMean', [ctx.tflite(input)], `${stem}/mean`, { axes, keepdims: keepDims ? 1 : 0 })[0]!;
  ctx.setValue(op.outputs[0]!, { name: out, layout: 'tflite' });
}

export function convertAveragePool(ctx: ConversionContext, op: TfliteOperator): void {
  convertPool(ctx, op, 'AveragePool');
}

export function convertMaxPool(ctx: ConversionContext, op: TfliteOperator): void {
  convertPool(ctx, op, 'MaxPool');
}

function convertPool(ctx: ConversionContext, op: TfliteOperator, onnxOp: 'AveragePool' | 'MaxPool'): void {
  const o = readPoolOptions(op.options);
  const input = op.inputs[0]!;
  const [, inH, inW] = ctx.shape(input);
  if (inH === undefined || inW === undefined) throw new ModelLoadError('WRONG_SHAPE', `${op.opName} "${ctx.stem(op)}" needs a 4-D input`);
  const stem = ctx.stem(op);
  let out: string;
  if (o.padding === Padding.VALID && o.filterH === inH && o.filterW === inW) {
    out = ctx.builder.addNode(onnxOp === 'AveragePool' ? 'GlobalAveragePool' : 'GlobalMaxPool', [ctx.nchw(input)], `${stem}/global`)[0]!;
  } else {
    const strides = [o.strideH || 1, o.strideW || 1];
    const attrs: Record<string, number | number[]> = {
      kernel_shape: [o.filterH, o.filterW],
      strides,
      pads: spatialPads(o.padding, inH, inW, o.filterH, o.filterW, strides[0]!, strides[1]!),
    };
    // TFLite's SAME average pooling divides by the number of real (unpadded) elements.
    if (onnxOp === 'AveragePool') attrs['count_include_pad'] = 0;
    out = ctx.builder.addNode(onnxOp, [ctx.nchw(input)], `${stem}/pool`, attrs)[0]!;
  }
  ctx.setValue(op.outputs[0]!, { name: applyActivation(ctx, out, o.activation, stem), layout: 'nchw' });
}

