import { readFileSync } from 'node:fs';
import { LogMelPatcher } from '@giggles/audio';
import { describe, expect, it } from 'vitest';
import { readTfliteModel } from '../src/tflite/schema-reader';
import { speech } from './support/audio';
import { realModelPath } from './support/model';
import { interpretFrontEnd } from './support/reference-interpreter';
import { referenceLogMelPatches } from './support/reference-log-mel';

/**
 * The TFLite YAMNet carries Google's own waveform → log-mel graph. Running it (naively) on the
 * same 0.975 s of audio checks our front ends' framing, window, FFT and mel matrix against it.
 * Its mel matrix is stored as int8, so agreement is to int8 precision, not float precision.
 */
describe('log-mel front ends against the TFLite model’s own front end', () => {
  it('match on a second of speech', () => {
    const model = readTfliteModel(readFileSync(realModelPath()));
    const full = speech('Somebody laughed at the joke about the weather.');
    const waveform = full.subarray(4000, 4000 + 15600);
    expect(waveform.length).toBe(15600);

    const google = interpretFrontEnd(model, waveform);
    const ours = referenceLogMelPatches(waveform);
    expect(ours.count).toBe(1);
    const patcher = new LogMelPatcher();
    const production = [...patcher.push(waveform), ...patcher.end()][0]!;

    for (const candidate of [ours.patches, production]) {
      let maxDiff = 0;
      let sumDiff = 0;
      let loud = 0;
      for (let i = 0; i < google.length; i++) {
        const d = Math.abs(candidate[i]! - google[i]!);
        sumDiff += d;
        // Compare where there is signal: at the log floor (log 0.001 ≈ -6.9) int8 rounding of
        // near-zero mel weights dominates.
        if (google[i]! > -4) {
          maxDiff = Math.max(maxDiff, d);
          loud++;
        }
      }
      console.log(`front end: mean abs diff ${(sumDiff / google.length).toFixed(4)}, max (loud cells) ${maxDiff.toFixed(4)}, loud cells ${loud}`);
      expect(loud).toBeGreaterThan(1000);
      expect(sumDiff / google.length).toBeLessThan(0.005);
      expect(maxDiff).toBeLessThan(0.05);
    }
  });
});
