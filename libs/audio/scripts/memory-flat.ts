/**
 * Shows that memory does not grow with recording length: streams synthetic 48 kHz audio (a
 * sweeping tone plus noise) through StreamingResampler (48 → 16 kHz) and LogMelPatcher, and
 * samples RSS and heap after a GC every minute of audio.
 *
 *   NODE_OPTIONS=--expose-gc node libs/cli/bin/run-script.js libs/audio/scripts/memory-flat.ts \
 *     [--seconds 3600] [--every 60] [--json]
 *
 * Without --expose-gc the figures include uncollected garbage and are noisier, but still flat.
 */
import { LogMelPatcher } from '../src/features/log-mel-patcher';
import { StreamingResampler } from '../src/resample/streaming-resampler';

interface Checkpoint {
  audioSeconds: number;
  rssMb: number;
  heapUsedMb: number;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const seconds = Number(argument('--seconds') ?? 3600);
  const every = Number(argument('--every') ?? 60);
  const json = process.argv.includes('--json');
  const rate = 48_000;
  const chunk = new Float32Array(rate / 2);
  const resampler = new StreamingResampler(rate, 16_000);
  const patcher = new LogMelPatcher();
  const gc = (globalThis as { gc?: () => void }).gc;
  const checkpoints: Checkpoint[] = [];
  // Ten seconds of a tone sweeping 300–2800 Hz, computed once and cycled (with fresh noise added)
  // so generating the input costs little next to the stages being measured.
  const sweep = new Float32Array(rate * 10);
  let phase = 0;
  for (let i = 0; i < sweep.length; i++) {
    phase += (2 * Math.PI * (300 + 2500 * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / sweep.length)))) / rate;
    sweep[i] = 0.3 * Math.sin(phase);
  }
  let seed = 1;
  let patches = 0;
  const started = performance.now();
  const chunksPerCheckpoint = every * 2;
  for (let c = 0; c < seconds * 2; c++) {
    const offset = (c * chunk.length) % sweep.length;
    for (let i = 0; i < chunk.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      chunk[i] = sweep[offset + i] + 0.02 * (seed / 0x7fffffff - 0.5);
    }
    patches += patcher.push(resampler.process(chunk)).length;
    if ((c + 1) % chunksPerCheckpoint === 0) {
      gc?.();
      const usage = process.memoryUsage();
      checkpoints.push({ audioSeconds: (c + 1) / 2, rssMb: usage.rss / 2 ** 20, heapUsedMb: usage.heapUsed / 2 ** 20 });
    }
  }
  patches += patcher.push(resampler.flush()).length + patcher.end().length;
  const elapsed = (performance.now() - started) / 1000;
  const result = { seconds, patches, elapsedSeconds: elapsed, realtimeFactor: seconds / elapsed, gcExposed: Boolean(gc), checkpoints };
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(`${seconds} s of 48 kHz audio → ${patches} patches in ${elapsed.toFixed(1)} s (${result.realtimeFactor.toFixed(0)}× realtime)`);
  for (const p of checkpoints) console.log(`  at ${String(p.audioSeconds).padStart(5)} s: RSS ${p.rssMb.toFixed(1)} MB, heap ${p.heapUsedMb.toFixed(1)} MB`);
  const after = checkpoints.slice(1);
  if (after.length) {
    const rss = after.map((p) => p.rssMb);
    console.log(`RSS range after the first checkpoint: ${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)} MB`);
  }
}

main();
