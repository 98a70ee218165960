import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogMelPatcher } from '@giggles/audio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH_SIZE, YamnetModel } from '../src';
import { speech } from './support/audio';
import { meanScores, realModelPath } from './support/model';
import { referenceLogMelPatches } from './support/reference-log-mel';

/**
 * The production front end (@giggles/audio's LogMelPatcher) must produce the patches this
 * library's tests were validated with, and the model must read them the same way.
 */
describe('YAMNet fed by @giggles/audio LogMelPatcher', () => {
  let model: YamnetModel;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'yamnet-frontend-'));
    model = await YamnetModel.load(realModelPath(), { cacheDir, intraOpThreads: 1 });
  });
  afterAll(async () => {
    await model?.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('agrees with the reference log-mel and classifies speech as Speech', async () => {
    const waveform = speech('The pendant heard somebody talking about the weather today.');
    const patcher = new LogMelPatcher();
    const produced = [...patcher.push(waveform), ...patcher.end()];
    const reference = referenceLogMelPatches(waveform);
    expect(produced.length).toBe(reference.count);

    let maxDiff = 0;
    produced.forEach((patch, p) => {
      for (let i = 0; i < PATCH_SIZE; i++) maxDiff = Math.max(maxDiff, Math.abs(patch[i]! - reference.patches[p * PATCH_SIZE + i]!));
    });
    expect(maxDiff).toBeLessThan(1e-3);

    const joined = new Float32Array(produced.length * PATCH_SIZE);
    produced.forEach((patch, p) => joined.set(patch, p * PATCH_SIZE));
    const { scores } = await model.run(joined, produced.length);
    const { top } = meanScores(scores, produced.length);
    expect(model.classMap.names[top]).toBe('Speech');
  });
});
