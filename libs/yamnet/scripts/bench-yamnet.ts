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
  // CPU seconds are reported too: on a machine shared with other work, wall-clock rates drop with
  // the load, while patches per CPU-second (with spinning off, or at one thread) stay comparable.
  console.log('threads  spin  batch  patches/s  audio-s per wall-s  cpu cores  patches/cpu-s');
  const configs: Array<[threads: number, spin: boolean, batch: number]> = [];
  for (const threads of [1, 2]) for (const batch of [1, 8, 32, 64]) configs.push([threads, false, batch]);
  for (const batch of [8, 32]) configs.push([2, true, batch]);
  for (const [threads, spin, batch] of configs) {
    const model = await YamnetModel.load(modelPath, { batchSize: batch, intraOpThreads: threads, allowSpinning: spin });
    try {
      await model.run(patches, batch); // warm-up: first run allocates and tunes
      let done = 0;
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      let elapsed = 0;
      while (elapsed < seconds) {
        await model.run(patches, batch);
        done += batch;
        elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      }
      const cpu = process.cpuUsage(cpuStart);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const rate = done / elapsed;
      const row = [
        String(threads).padStart(7),
        (spin ? 'on' : 'off').padStart(4),
        String(batch).padStart(5),
        rate.toFixed(0).padStart(9),
        `${(rate * PATCH_HOP_SECONDS).toFixed(0)}×`.padStart(18),
        (cpuSeconds / elapsed).toFixed(2).padStart(9),
        (done / cpuSeconds).toFixed(0).padStart(13),
      ];
      console.log(row.join('  '));
    } finally {
      await model.dispose();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
