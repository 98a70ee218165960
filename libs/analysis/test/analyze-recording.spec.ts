import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDetectionSettings } from '@giggles/detection';
import { stopIdleFrontEndWorkers } from '@giggles/audio';
import { resolveDefaultModelPath, YamnetModel } from '@giggles/yamnet';
import { analyzeRecording, type CutClip, resolveAnalysisSettings } from '../src';

const recording = path.resolve(__dirname, '../../../../shared/eval/long_d1.ogg');
const modelPath = resolveDefaultModelPath(path.resolve(__dirname, '../../..'));
const available = existsSync(recording) && modelPath !== undefined;

describe.skipIf(!available)('analyzeRecording on a real recording', () => {
  let model: YamnetModel;
  // A low threshold gives many events, so clips are cut all along the recording.
  const detection = validateDetectionSettings({ startThreshold: 0.1, stopThreshold: 0.05 });

  beforeAll(async () => {
    model = await YamnetModel.load(modelPath as string, { batchSize: 32 });
  });
  afterAll(async () => {
    await model?.dispose();
    await stopIdleFrontEndWorkers();
  });

  it('finds the same events and clips with the front end in a worker thread or on this thread', async () => {
    const runs = [];
    for (const frontEndWorker of [true, false]) {
      const clips: CutClip[] = [];
      const result = await analyzeRecording(recording, {
        model,
        detection,
        analysis: resolveAnalysisSettings({ frontEndWorker }),
        onClip: (clip) => void clips.push(clip),
      });
      runs.push({ events: result.events, patches: result.patches, inferred: result.inferredPatches, clips: clips.map((c) => Buffer.from(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength).toString('base64')) });
    }
    expect(runs[0].events.length).toBeGreaterThan(5);
    expect(runs[1]).toEqual(runs[0]);
  });

  for (const coarseToFine of [true, false]) {
    it(`cuts a clip for every event, inside the recording (coarse-to-fine ${coarseToFine})`, async () => {
      const clips: CutClip[] = [];
      const progress: number[] = [];
      const result = await analyzeRecording(recording, {
        model,
        detection,
        analysis: resolveAnalysisSettings({ coarseToFine }),
        onClip: (clip) => void clips.push(clip),
        onProgress: (s) => progress.push(s),
      });
      expect(result.durationS).toBeCloseTo(600, 1);
      expect(result.patches).toBe(1248);
      if (coarseToFine) expect(result.inferredPatches).toBeLessThan(result.patches);
      else expect(result.inferredPatches).toBe(result.patches);
      expect(result.events.length).toBeGreaterThan(5);
      expect(clips.map((c) => c.event)).toEqual(result.events);
      for (const clip of clips) {
        expect(clip.window.startS).toBeGreaterThanOrEqual(0);
        expect(clip.window.endS).toBeLessThanOrEqual(result.durationS + 1e-9);
        expect(clip.window.startS).toBeLessThanOrEqual(clip.event.startS);
        expect(clip.samples.length).toBe(Math.round(clip.window.endS * 16000) - Math.round(clip.window.startS * 16000));
        expect(clip.samples.some((x) => x !== 0)).toBe(true);
      }
      expect(progress.at(-1)).toBeCloseTo(result.durationS, 3);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    });
  }
});
