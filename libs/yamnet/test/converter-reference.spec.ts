import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importTfliteBytes } from '../src';
import { readTfliteModel } from '../src/tflite/schema-reader';
import { speech } from './support/audio';
import { realModelPath } from './support/model';
import { interpret } from './support/reference-interpreter';
import { referenceLogMelPatches } from './support/reference-log-mel';

describe('converted network against a naive TFLite interpreter', () => {
  it('matches scores and embeddings on a real speech patch', async () => {
    const bytes = readFileSync(realModelPath());
    const model = readTfliteModel(bytes);
    const sg = model.subgraphs[0]!;
    const firstConv = sg.operators.find((op) => op.opName === 'CONV_2D')!;
    const lastFc = sg.operators.filter((op) => op.opName === 'FULLY_CONNECTED').at(-1)!;
    const { patches } = referenceLogMelPatches(speech('Laughter is the best medicine.'));
    const patch = patches.subarray(0, 96 * 64);

    const [expectedScores, expectedEmbeddings] = interpret(model, firstConv.inputs[0]!, patch, [sg.outputs[0]!, lastFc.inputs[0]!]);

    const { onnx } = importTfliteBytes(bytes);
    const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
    try {
      const out = await session.run({ patches: new ort.Tensor('float32', patch, [1, 96, 64]) });
      const scores = out['scores']!.data as Float32Array;
      const embeddings = out['embeddings']!.data as Float32Array;
      let maxScoreDiff = 0;
      for (let i = 0; i < 521; i++) maxScoreDiff = Math.max(maxScoreDiff, Math.abs(scores[i]! - expectedScores![i]!));
      let maxEmbeddingDiff = 0;
      let maxEmbedding = 0;
      for (let i = 0; i < 1024; i++) {
        maxEmbeddingDiff = Math.max(maxEmbeddingDiff, Math.abs(embeddings[i]! - expectedEmbeddings![i]!));
        maxEmbedding = Math.max(maxEmbedding, Math.abs(expectedEmbeddings![i]!));
      }
      expect(maxEmbedding).toBeGreaterThan(0.1); // a live signal, not all zeros
      expect(maxEmbeddingDiff / maxEmbedding).toBeLessThan(1e-4);
      expect(maxScoreDiff).toBeLessThan(1e-4);
    } finally {
      await session.release();
    }
  });
});
