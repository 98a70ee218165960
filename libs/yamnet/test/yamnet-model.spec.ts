import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_SIZE, LAUGHTER_CLASS_IDS, NUM_CLASSES, PATCH_SIZE, YamnetModel } from '../src';
import { silence, sine, speech } from './support/audio';
import { meanScores, realModelPath } from './support/model';
import { referenceLogMelPatches } from './support/reference-log-mel';

describe('YamnetModel on the real YAMNet model', () => {
  let model: YamnetModel;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'yamnet-model-'));
    model = await YamnetModel.load(realModelPath(), { cacheDir, batchSize: 4 });
  });

  afterAll(async () => {
    await model?.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  function classify(waveform: Float32Array) {
    const { patches, count } = referenceLogMelPatches(waveform);
    return { count, patches };
  }

  it('names itself after the source model hash and exposes the class map', () => {
    expect(model.version).toBe('yamnet-687f226c147a');
    expect(model.classMap.names).toHaveLength(NUM_CLASSES);
    expect(model.classMap.names[0]).toBe('Speech');
    expect(LAUGHTER_CLASS_IDS.map((i) => model.classMap.names[i])).toEqual([
      'Laughter',
      'Baby laughter',
      'Giggle',
      'Snicker',
      'Belly laugh',
      'Chuckle, chortle',
    ]);
    expect(model.classMap.indexOf('Laughter')).toBe(13);
  });

  it('hears espeak-ng speech as Speech', async () => {
    const { patches, count } = classify(speech('Hello there. This is a test of the laughter tracker, speaking clearly for a few seconds.'));
    expect(count).toBeGreaterThanOrEqual(3);
    const { scores, embeddings } = await model.run(patches, count);
    expect(scores).toHaveLength(count * NUM_CLASSES);
    expect(embeddings).toHaveLength(count * EMBEDDING_SIZE);
    const { mean, top } = meanScores(scores, count);
    console.log(`speech: top ${model.classMap.names[top]} ${mean[top]!.toFixed(3)} over ${count} patches`);
    expect(model.classMap.names[top]).toBe('Speech');
    expect(mean[0]).toBeGreaterThan(0.6);
  });

  it('hears digital silence as Silence', async () => {
    const { patches, count } = classify(silence(2));
    const { scores } = await model.run(patches, count);
    const { mean, top } = meanScores(scores, count);
    console.log(`silence: top ${model.classMap.names[top]} ${mean[top]!.toFixed(3)}`);
    expect(model.classMap.names[top]).toBe('Silence');
    expect(mean[top]).toBeGreaterThan(0.9);
  });

  it('hears a 1 kHz sine as Beep', async () => {
    const { patches, count } = classify(sine(1000, 2));
    const { scores } = await model.run(patches, count);
    const { mean, top } = meanScores(scores, count);
    console.log(`sine: top ${model.classMap.names[top]} ${mean[top]!.toFixed(3)}`);
    expect(model.classMap.names[top]).toBe('Beep, bleep');
    expect(mean[top]).toBeGreaterThan(0.8);
  });

  it('gives the same results in batches as one patch at a time', async () => {
    const { patches, count } = classify(speech('One two three four five six seven eight nine ten.'));
    expect(count).toBeGreaterThan(4); // more than one batch of 4, with a partial last batch
    const batched = await model.run(patches, count);
    for (let p = 0; p < count; p++) {
      const single = await model.run(patches.subarray(p * PATCH_SIZE, (p + 1) * PATCH_SIZE), 1);
      const batchScores = batched.scores.subarray(p * NUM_CLASSES, (p + 1) * NUM_CLASSES);
      const batchEmbeddings = batched.embeddings.subarray(p * EMBEDDING_SIZE, (p + 1) * EMBEDDING_SIZE);
      for (let c = 0; c < NUM_CLASSES; c++) expect(Math.abs(single.scores[c]! - batchScores[c]!)).toBeLessThan(1e-4);
      for (let e = 0; e < EMBEDDING_SIZE; e++) expect(Math.abs(single.embeddings[e]! - batchEmbeddings[e]!)).toBeLessThan(1e-3);
    }
  });

  it('serialises concurrent runs and keeps each caller\'s results apart', async () => {
    const quiet = referenceLogMelPatches(silence(1.5));
    const tone = referenceLogMelPatches(sine(1000, 1.5));
    const [a, b] = await Promise.all([model.run(quiet.patches, quiet.count), model.run(tone.patches, tone.count)]);
    expect(model.classMap.names[meanScores(a.scores, quiet.count).top]).toBe('Silence');
    expect(model.classMap.names[meanScores(b.scores, tone.count).top]).toBe('Beep, bleep');
  });

  it('gives the same scores with onnxruntime thread spinning on', async () => {
    const { patches, count } = referenceLogMelPatches(sine(1000, 1.5));
    const spinning = await YamnetModel.load(realModelPath(), { cacheDir, allowSpinning: true, intraOpThreads: 2 });
    try {
      const [a, b] = [await model.run(patches, count), await spinning.run(patches, count)];
      for (let i = 0; i < a.scores.length; i++) expect(Math.abs(a.scores[i]! - b.scores[i]!)).toBeLessThan(1e-4);
    } finally {
      await spinning.dispose();
    }
  });

  it('finishes runs submitted before dispose, then refuses new ones', async () => {
    const other = await YamnetModel.load(realModelPath(), { cacheDir, intraOpThreads: 1 });
    const { patches, count } = referenceLogMelPatches(silence(1.5));
    const pending = [other.run(patches, count), other.run(patches, count)];
    await other.dispose();
    const results = await Promise.all(pending);
    expect(results.map((r) => model.classMap.names[meanScores(r.scores, count).top])).toEqual(['Silence', 'Silence']);
    await expect(other.run(patches, count)).rejects.toThrow(/disposed/);
  });

  it('returns empty results for zero patches and rejects short input', async () => {
    const empty = await model.run(new Float32Array(0), 0);
    expect(empty.scores).toHaveLength(0);
    await expect(model.run(new Float32Array(PATCH_SIZE - 1), 1)).rejects.toThrow(RangeError);
    await expect(model.run(new Float32Array(PATCH_SIZE), 1.5)).rejects.toThrow(/non-negative integer/);
  });
});
