/**
 * Inference throughput of YamnetModel: patches per second for batch sizes 1, 8, 32, 64 with 1 and
 * 2 intra-op threads. One patch advances 0.48 s of audio (hop), so realtime factor = patches/s × 0.48;
 * the pipeline target of 300× realtime needs ≳ 650 patches/s from inference alone.
 * Usage: node libs/cli/bin/run-script.js libs/yamnet/scripts/bench-yamnet.ts [model] [--seconds=N]
 */
import { PATCH_SIZE, resolveDefaultModelPath, YamnetModel } from '../src';

const PATCH_HOP_SECONDS = 0.48;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const modelPath = args.find((a) => !a.startsWith('--')) ?? resolveDefaultModelPath();
  const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? 3);
  if (!modelPath) throw new Error('no model: pass a path or set GIGGLES_MODEL');

  const maxBatch = 64;
  const patches = new Float32Array(maxBatch * PATCH_SIZE);
  // Log-mel-like values (log of small magnitudes); the content does not change the cost.
  for (let i = 0; i < patches.length; i++) patches[i] = -6 + 4 * Math.sin(i * 0.37) * Math.cos(i * 0.011);

  console.log(`model ${modelPath}`);
  console.log('threads  spin  batch  patches/s  audio-s per wall-s');
  const configs: Array<[threads: number, spin: boolean, batch: number]> = [];
  for (const threads of [1, 2]) for (const batch of [1, 8, 32, 64]) configs.push([threads, true, batch]);
  for (const batch of [8, 32]) configs.push([2, false, batch]);
  for (const [threads, spin, batch] of configs) {
    const model = await YamnetModel.load(modelPath, { batchSize: batch, intraOpThreads: threads, allowSpinning: spin });
    try {
      await model.run(patches, batch); // warm-up: first run allocates and tunes
      let done = 0;
      const start = process.hrtime.bigint();
      let elapsed = 0;
      while (elapsed < seconds) {
        await model.run(patches, batch);
        done += batch;
        elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      }
      const rate = done / elapsed;
      const row = [String(threads).padStart(7), (spin ? 'on' : 'off').padStart(4), String(batch).padStart(5), rate.toFixed(0).padStart(9)];
      console.log(`${row.join('  ')}  ${(rate * PATCH_HOP_SECONDS).toFixed(0).padStart(18)}×`);
    } finally {
      await model.dispose();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
