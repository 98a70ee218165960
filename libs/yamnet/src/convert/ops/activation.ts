import { ModelLoadError } from '../../errors';
import { readSoftmaxOptions } from '../../tflite/builtin-options';
import { Activation } from '../../tflite/schema';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';

/** Appends the node for a TFLite fused activation (if any) and returns the resulting value name. */
export function applyActivation(ctx: ConversionContext, input: string, activation: number, stem: string): string {
  switch (activation) {
    case Activation.NONE:
      return input;
    case Activation.RELU:
      return ctx.builder.addNode('Relu', [input], `${stem}/relu`)[0]!;
    case Activation.RELU6:
      return ctx.builder.addNode('Clip', [input, ctx.scalar(0), ctx.scalar(6)], `${stem}/relu6`)[0]!;
    case Activation.RELU_N1_TO_1:
      return ctx.builder.addNode('Clip', [input, ctx.scalar(-1), ctx.scalar(1)], `${stem}/relu1`)[0]!;
    case Activation.TANH:
      return ctx.builder.addNode('Tanh', [input], `${stem}/tanh`)[0]!;
    default:
      throw new ModelLoadError('UNSUPPORTED_OP', `unsupported fused activation ${activation} in "${stem}"`);
  }
}

/** Element-wise ops keep whatever layout their input has. */
function unary(onnxOp: string, suffix: string) {
  return (ctx: ConversionContext, op: TfliteOperator): void => {
    const input = ctx.value(op.inputs[0]!);
    const out = ctx.builder.addNode(onnxOp, [input.name], `${ctx.stem(op)}/${suffix}`)[0]!;
    ctx.setValue(op.outputs[0]!, { name: out, layout: input.layout });
  };
}

export const convertLogistic = unary('Sigmoid', 'sigmoid');
export const convertRelu = unary('Relu', 'relu');
export const convertTanh = unary('Tanh', 'tanh');

export function convertRelu6(ctx: ConversionContext, op: TfliteOperator): void {
  const input = ctx.value(op.inputs[0]!);
  const out = applyActivation(ctx, input.name, Activation.RELU6, ctx.stem(op));
  ctx.setValue(op.outputs[0]!, { name: out, layout: input.layout });
}

/** TFLite SOFTMAX normalises over the last axis of the NHWC tensor, scaled by beta. */
export function convertSoftmax(ctx: ConversionContext, op: TfliteOperator): void {
  const { beta } = readSoftmaxOptions(op.options);
  let input = ctx.tflite(op.inputs[0]!);
  const stem = ctx.stem(op);
  if (beta !== 1 && beta !== 0) input = ctx.builder.addNode('Mul', [input, ctx.scalar(beta)], `${stem}/beta`)[0]!;
  const out = ctx.builder.addNode('Softmax', [input], `${stem}/softmax`, { axis: -1 })[0]!;
  ctx.setValue(op.outputs[0]!, { name: out, layout: 'tflite' });
}
