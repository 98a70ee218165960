/**
 * Speed and memory of the audio stages on a real recording (default: the 600 s Ogg Opus eval file).
 *
 *   node libs/cli/bin/run-script.js libs/audio/scripts/bench-audio.ts [file.ogg]
 *
 * Realtime factor = audio seconds / seconds spent in that stage (CPU time of this process, so other
 * load on the machine distorts it less than wall time would; wall time is shown too).
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { decodeOggOpus } from '../src/decoders/ogg-opus';
import { LogMelPatcher } from '../src/features/log-mel-patcher';
import { openAudio } from '../src/open-audio';
import { StreamingResampler } from '../src/resample/streaming-resampler';

const sharedDir = process.env.GIGGLES_SHARED_DIR ?? resolve(__dirname, '../../../..', 'shared');
const file = process.argv[2] ?? resolve(sharedDir, 'eval', 'long_d1.ogg');

class Stopwatch {
  cpuMs = 0;
  wallMs = 0;
  time<T>(run: () => T): T {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    try {
      return run();
    } finally {
      const used = process.cpuUsage(cpu);
      this.cpuMs += (used.user + used.system) / 1000;
      this.wallMs += performance.now() - wall;
    }
  }
}

function report(stage: string, audioSeconds: number, watch: Stopwatch): void {
  const cpuRtf = audioSeconds / (watch.cpuMs / 1000);
  const wallRtf = audioSeconds / (watch.wallMs / 1000);
  console.log(`${stage.padEnd(34)} ${cpuRtf.toFixed(0).padStart(6)}× realtime (cpu)  ${wallRtf.toFixed(0).padStart(6)}× (wall)`);
}

async function main(): Promise<void> {
  console.log(`file: ${file}`);
  const baselineRss = process.memoryUsage().rss;
  // Warm-up (untimed): compiles the WASM decoder and JITs the hot loops, as in a long-running service.
  const warm = await openAudio(file);
  const warmPatcher = new LogMelPatcher();
  for await (const chunk of warm.samples) warmPatcher.push(chunk);

  // 1. Opus decode straight to 16 kHz (what openAudio does), streaming; time includes file reads.
  const decodeWatch = new Stopwatch();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const { info, samples } = await openAudio(file);
  let count16 = 0;
  const patcher = new LogMelPatcher();
  const frontEnd = new Stopwatch();
  let patches = 0;
  for await (const chunk of samples) {
    count16 += chunk.length;
    patches += frontEnd.time(() => patcher.push(chunk).length);
  }
  patches += frontEnd.time(() => patcher.end().length);
  const used0 = process.cpuUsage(cpu0);
  decodeWatch.cpuMs = (used0.user + used0.system) / 1000 - frontEnd.cpuMs;
  decodeWatch.wallMs = performance.now() - wall0 - frontEnd.wallMs;
  const seconds = count16 / 16_000;
  console.log(`${info.container}, ${info.channels} ch, ${seconds.toFixed(2)} s → ${patches} patches`);
  report('decode → 16 kHz mono', seconds, decodeWatch);
  report('log-mel front end (patches)', seconds, frontEnd);

  // 2. Resampling 48 kHz → 16 kHz on the same audio, decoded at 48 kHz (as a WAV input would arrive).
  if (info.container === 'ogg-opus') {
    const resampler = new StreamingResampler(48_000, 16_000);
    const resampleWatch = new Stopwatch();
    let count48 = 0;
    let out = 0;
    for await (const chunk of decodeOggOpus(createReadStream(file, { highWaterMark: 64 * 1024 }), { sampleRate: 48_000 })) {
      count48 += chunk.length;
      out += resampleWatch.time(() => resampler.process(chunk).length);
    }
    out += resampleWatch.time(() => resampler.flush().length);
    report(`resample 48 → 16 kHz (${resampler.halfTaps * 2} taps)`, count48 / 48_000, resampleWatch);
    if (out !== count16) console.log(`  note: resampled length ${out} vs direct 16 kHz decode ${count16}`);
  }

  // 3. The whole streaming path once more, end to end, for the total.
  const total = new Stopwatch();
  const cpu1 = process.cpuUsage();
  const wall1 = performance.now();
  const opened = await openAudio(file);
  const endToEnd = new LogMelPatcher();
  for await (const chunk of opened.samples) endToEnd.push(chunk);
  endToEnd.end();
  const used1 = process.cpuUsage(cpu1);
  total.cpuMs = (used1.user + used1.system) / 1000;
  total.wallMs = performance.now() - wall1;
  report('openAudio + front end, end to end', seconds, total);

  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  console.log(`RSS at start ${mb(baselineRss)}, now ${mb(process.memoryUsage().rss)}, peak ${mb(process.resourceUsage().maxRSS * 1024)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
