import { readActivationOnlyOptions } from '../../tflite/builtin-options';
import { type TfliteOperator } from '../../tflite/schema-reader';
import { type ConversionContext } from '../context';
import { applyActivation } from './activation';

/**
 * ADD/MUL/SUB of two activations or of an activation and a constant. A constant operand is
 * stored in TFLite order, so the op runs in TFLite order unless the constant is a per-channel
 * vector (shape [C]) that can be broadcast over NCHW as [C,1,1].
 */
export function binary(onnxOp: 'Add' | 'Mul' | 'Sub') {
  return (ctx: ConversionContext, op: TfliteOperator): void => {
    const [a, b] = [op.inputs[0]!, op.inputs[1]!];
    const { activation } = readActivationOnlyOptions(op.options);
    const stem = ctx.stem(op);
    const operand = (index: number, nchw: boolean): string => {
      if (!ctx.isConstant(index)) return nchw ? ctx.nchw(index) : ctx.tflite(index);
      const data = ctx.constantFloat(index);
      const shape = ctx.shape(index);
      const dims = nchw && shape.length === 1 ? [shape[0]!, 1, 1] : shape;
      return ctx.builder.addFloatInitializer(`${stem}/const`, dims, data);
    };
    const rank = Math.max(ctx.shape(a).length, ctx.shape(b).length);
    const vectorOrScalar = (i: number) => !ctx.isConstant(i) || ctx.shape(i).length <= 1;
    const runNchw =
      rank === 4 &&
      vectorOrScalar(a) &&
      vectorOrScalar(b) &&
      [a, b].every((i) => ctx.isConstant(i) || ctx.shape(i).length === 4) &&
      [a, b].some((i) => !ctx.isConstant(i) && ctx.value(i).layout === 'nchw');
    const out = ctx.builder.addNode(onnxOp, [operand(a, runNchw), operand(b, runNchw)], `${stem}/${onnxOp.toLowerCase()}`)[0]!;
    ctx.setValue(op.outputs[0]!, { name: applyActivation(ctx, out, activation, stem), layout: runNchw ? 'nchw' : 'tflite' });
  };
}
