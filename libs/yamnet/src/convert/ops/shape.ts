import { ModelLoadError } from '../../errors';
import { readReshapeOptions, readSqueezeOptions } from '../../tflite/builtin-options';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';

/**
 * RESHAPE within one batch item. TFLite bakes batch size 1 into the target shape; ONNX gets
 * [-1, ...rest] so the batch stays dynamic. Reshapes that move data across the batch dimension
 * cannot be expressed for a dynamic batch and are rejected.
 */
export function convertReshape(ctx: ConversionContext, op: TfliteOperator): void {
  const stem = ctx.stem(op);
  const outShape = ctx.shape(op.outputs[0]!);
  const target = outShape.length > 0 ? outShape : shapeFromInputs(ctx, op);
  if (target[0] !== 1) throw new ModelLoadError('UNSUPPORTED_OP', `RESHAPE "${stem}" to [${target.join(',')}] changes the batch dimension`);
  if (target.slice(1).some((d) => d < 0)) throw new ModelLoadError('UNSUPPORTED_OP', `RESHAPE "${stem}" has a dynamic target shape`);
  const shape = ctx.builder.addInt64Initializer(`${stem}/shape`, [-1, ...target.slice(1)]);
  const out = ctx.builder.addNode('Reshape', [ctx.tflite(op.inputs[0]!), shape], `${stem}/reshape`)[0]!;
  ctx.setValue(op.outputs[0]!, { name: out, layout: 'tflite' });
}

function shapeFromInputs(ctx: ConversionContext, op: TfliteOperator): number[] {
  const shapeInput = op.inputs[1];
  if (shapeInput !== undefined && shapeInput >= 0) return ctx.constantInts(shapeInput);
  return readReshapeOptions(op.options).newShape;
}

/** SQUEEZE: removing H and W from an NCHW [N,C,1,1] gives the TFLite [1,C] order directly. */
export function convertSqueeze(ctx: ConversionContext, op: TfliteOperator): void {
  const stem = ctx.stem(op);
  const input = op.inputs[0]!;
  const shape = ctx.shape(input);
  const given = readSqueezeOptions(op.options).squeezeDims.map((d) => (d < 0 ? d + shape.length : d));
  const dims = given.length > 0 ? given : shape.map((d, i) => (d === 1 && i > 0 ? i : -1)).filter((i) => i > 0);
  if (dims.includes(0)) throw new ModelLoadError('UNSUPPORTED_OP', `SQUEEZE "${stem}" removes the batch dimension`);
  const v = ctx.value(input);
  const inNchw = v.layout === 'nchw' && dims.includes(1) && dims.includes(2);
  const axes = inNchw ? dims.map((d) => [0, 2, 3, 1][d]!) : dims;
  const axesName = ctx.builder.addInt64Initializer(`${stem}/axes`, axes.sort((a, b) => a - b));
  const out = ctx.builder.addNode('Squeeze', [inNchw ? v.name : ctx.tflite(input), axesName], `${stem}/squeeze`)[0]!;
  ctx.setValue(op.outputs[0]!, { name: out, layout: 'tflite' });
}
