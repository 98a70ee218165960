import { ModelLoadError } from '../errors';
import { OnnxDataType } from '../onnx/onnx-proto';
import { type TfliteModel } from '../tflite/schema-reader';
import { ConversionContext, type WeightSource } from './context';
import { PATCH_BANDS, PATCH_FRAMES, planNetwork } from './network';
import { OP_CONVERTERS } from './ops';

/** Names of the ONNX graph's input and outputs, which the runtime binds by name. */
export const ONNX_INPUT = 'patches';
export const ONNX_SCORES = 'scores';
export const ONNX_EMBEDDINGS = 'embeddings';

export interface ConvertedNetwork {
  onnx: Uint8Array;
  weightType: 'int8' | 'float32' | 'mixed';
  /** TFLite ops converted, by name. */
  ops: Record<string, number>;
  numClasses: number;
  embeddingSize: number;
}

/**
 * Converts the network part of a parsed TFLite YAMNet into an ONNX model:
 * patches [N,96,64] float32 → scores [N,K], embeddings [N,E], with a dynamic batch N.
 */
export function convertNetwork(model: TfliteModel, meta: { sourceSha256: string; producerVersion: string }): ConvertedNetwork {
  const graph = model.subgraphs[0]!;
  const ctx = new ConversionContext(model, graph);
  const plan = planNetwork(ctx);
  const b = ctx.builder;

  // [N,96,64] and NCHW [N,1,96,64] share one memory order, so a Reshape is all it takes.
  b.addInput(ONNX_INPUT, OnnxDataType.FLOAT, ['N', PATCH_FRAMES, PATCH_BANDS]);
  const nchwShape = b.addInt64Initializer('patch_shape', [-1, 1, PATCH_FRAMES, PATCH_BANDS]);
  const patch = b.addNode('Reshape', [ONNX_INPUT, nchwShape], 'patch_nchw')[0]!;
  ctx.setValue(plan.patch, { name: patch, layout: 'nchw' });

  const ops: Record<string, number> = {};
  for (const op of plan.ops) {
    const convert = OP_CONVERTERS.get(op.builtinCode);
    if (!convert) {
      throw new ModelLoadError('UNSUPPORTED_OP', `unsupported TFLite op ${op.opName} (operator ${op.index}, "${ctx.stem(op)}")`);
    }
    convert(ctx, op);
    ops[op.opName] = (ops[op.opName] ?? 0) + 1;
  }

  const numClasses = ctx.shape(plan.scores).at(-1)!;
  const embeddingSize = ctx.shape(plan.embeddings).at(-1)!;
  emitOutput(ctx, plan.scores, ONNX_SCORES, numClasses);
  emitOutput(ctx, plan.embeddings, ONNX_EMBEDDINGS, embeddingSize);

  const weightType = summarise(ctx.weightSources);
  const onnx = b.build({
    graphName: 'yamnet',
    producerVersion: meta.producerVersion,
    docString: 'YAMNet network (log-mel patch to scores and embeddings), converted from TFLite by @giggles/yamnet',
    metadata: { source_sha256: meta.sourceSha256, source_weight_type: weightType },
  });
  return { onnx, weightType, ops, numClasses, embeddingSize };
}

function emitOutput(ctx: ConversionContext, tensor: number, name: string, size: number): void {
  const shape = ctx.shape(tensor);
  let value = ctx.tflite(tensor);
  if (shape.length !== 2) value = ctx.builder.addNode('Flatten', [value], `${name}_flat`, { axis: 1 })[0]!;
  ctx.builder.addNode('Identity', [value], [name]);
  ctx.builder.addOutput(name, OnnxDataType.FLOAT, ['N', size]);
}

function summarise(sources: WeightSource[]): 'int8' | 'float32' | 'mixed' {
  const quantized = sources.filter((s) => s === 'int8' || s === 'uint8').length;
  if (quantized === 0) return 'float32';
  return quantized === sources.length ? 'int8' : 'mixed';
}
