import { ModelLoadError } from '../errors';
import { BuiltinOp } from '../tflite/schema';
import { type TfliteOperator } from '../tflite/schema-reader';
import { type ConversionContext } from './context';

/** YAMNet's network input: one log-mel patch of 96 frames × 64 bands, NHWC with one channel. */
export const PATCH_FRAMES = 96;
export const PATCH_BANDS = 64;

export interface NetworkPlan {
  /** The tensor where the log-mel patch enters the network ([1,96,64,1]). */
  patch: number;
  /** Ops to convert, in execution order. */
  ops: TfliteOperator[];
  /** Class scores ([1,K]). */
  scores: number;
  /** The pooled features feeding the final dense layer ([1,E]). */
  embeddings: number;
}

/**
 * Finds the part of the TFLite graph to convert. The published TFLite YAMNet includes its
 * waveform front end (framing, RFFT, mel matrix, log) whose ops have no ONNX counterpart we want:
 * our pipeline computes log-mel patches itself. The network starts at the input of the first
 * CONV_2D; everything downstream of it that leads to the scores or embeddings is the network.
 */
export function planNetwork(ctx: ConversionContext): NetworkPlan {
  const ops = ctx.graph.operators;
  const firstConv = ops.find((op) => op.builtinCode === BuiltinOp.CONV_2D);
  if (!firstConv) throw new ModelLoadError('WRONG_SHAPE', 'the model has no CONV_2D op, so it is not a YAMNet-like network');
  const patch = firstConv.inputs[0]!;
  const patchShape = ctx.shape(patch);
  if (patchShape.join(',') !== `1,${PATCH_FRAMES},${PATCH_BANDS},1`) {
    throw new ModelLoadError(
      'WRONG_SHAPE',
      `the first CONV_2D takes [${patchShape.join(',')}]; a YAMNet log-mel patch is [1,${PATCH_FRAMES},${PATCH_BANDS},1]`,
    );
  }

  // Forward closure: every op that (transitively) consumes the patch.
  const derived = new Set<number>([patch]);
  const downstream: TfliteOperator[] = [];
  for (const op of ops) {
    if (op.inputs.some((i) => derived.has(i))) {
      downstream.push(op);
      for (const o of op.outputs) derived.add(o);
    }
  }

  const outputs = ctx.graph.outputs.filter((o) => derived.has(o));
  if (outputs.length === 0) throw new ModelLoadError('WRONG_SHAPE', 'no model output depends on the log-mel patch');
  const scores = outputs.find((o) => ctx.producer(o)?.builtinCode === BuiltinOp.LOGISTIC) ?? outputs[outputs.length - 1]!;
  requireRowShape(ctx, scores, 'scores');
  const embeddings = findEmbeddings(ctx, scores);
  requireRowShape(ctx, embeddings, 'embeddings');

  // Backward closure from the two results, so unrelated branches are left out.
  const needed = new Set<number>([scores, embeddings]);
  const selected: TfliteOperator[] = [];
  for (let k = downstream.length - 1; k >= 0; k--) {
    const op = downstream[k]!;
    if (!op.outputs.some((o) => needed.has(o))) continue;
    selected.unshift(op);
    for (const i of op.inputs) if (i >= 0 && !ctx.isConstant(i)) needed.add(i);
  }
  for (const op of selected) {
    for (const i of op.inputs) {
      if (i >= 0 && !derived.has(i) && !ctx.isConstant(i)) {
        throw new ModelLoadError('UNSUPPORTED_OP', `${op.opName} "${ctx.stem(op)}" also depends on "${ctx.tensor(i).name}", which is not computed from the patch`);
      }
    }
  }
  return { patch, ops: selected, scores, embeddings };
}

/** Walks back from the scores through the output activation to the final dense layer's input. */
function findEmbeddings(ctx: ConversionContext, scores: number): number {
  const passThrough = new Set<number>([BuiltinOp.LOGISTIC, BuiltinOp.SOFTMAX, BuiltinOp.RESHAPE, BuiltinOp.SQUEEZE]);
  let tensor = scores;
  for (let producer = ctx.producer(tensor); producer; producer = ctx.producer(tensor)) {
    if (producer.builtinCode === BuiltinOp.FULLY_CONNECTED) return producer.inputs[0]!;
    if (!passThrough.has(producer.builtinCode)) break;
    tensor = producer.inputs[0]!;
  }
  throw new ModelLoadError('WRONG_SHAPE', 'cannot find the final FULLY_CONNECTED layer (and so the embeddings) before the scores');
}

function requireRowShape(ctx: ConversionContext, index: number, role: string): void {
  const shape = ctx.shape(index);
  if (shape.length < 2 || shape[0] !== 1 || shape.slice(1, -1).some((d) => d !== 1)) {
    throw new ModelLoadError('WRONG_SHAPE', `${role} tensor "${ctx.tensor(index).name}" is [${shape.join(',')}], expected [1,K]`);
  }
}
