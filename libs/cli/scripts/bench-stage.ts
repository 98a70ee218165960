/**
 * One benchmark stage in its own process, so its peak RSS is its own: prints one JSON line
 * `{stage, file, audioS, wallS, stageS, cpuS, maxRssMb}` (cpuS: user + system seconds of every
 * thread of the process during the stage). Run by bench.ts; usage:
 *   bench-stage.ts <decode|features|inference|e2e> <file.ogg> [--model PATH] [--threads N] [--batch-size N]
 * e2e reads the analysis settings from the environment (ANALYSIS_FRONT_END_WORKER, …).
 */
import { analysisSettingsFromEnv, analyzeRecording } from '@giggles/analysis';
import { LogMelPatcher, openAudio, YAMNET_SAMPLE_RATE } from '@giggles/audio';
import { DEFAULT_DETECTION_SETTINGS } from '@giggles/detection';
import { PATCH_SIZE, resolveDefaultModelPath, YamnetModel } from '@giggles/yamnet';

type Stage = 'decode' | 'features' | 'inference' | 'e2e';

/** Inference is measured on this much real audio (its speed does not depend on length). */
const INFERENCE_SAMPLE_S = 600;

async function main(): Promise<void> {
  const [stage, file] = process.argv.slice(2) as [Stage, string];
  const modelFlag = process.argv.indexOf('--model');
  const modelPath = modelFlag > 0 ? process.argv[modelFlag + 1] : resolveDefaultModelPath(process.cwd());
  const numberFlag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const yamnet = { intraOpThreads: numberFlag('threads'), batchSize: numberFlag('batch-size') };
  const started = performance.now();
  let audioS = 0;
  let stageS = 0;
  let cpuS = 0;
  const cpuSince = (from: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(from);
    return (used.user + used.system) / 1e6;
  };

  if (stage === 'decode' || stage === 'features') {
    const patcher = new LogMelPatcher();
    const cpu = process.cpuUsage();
    const { samples } = await openAudio(file);
    let samplesSeen = 0;
    for await (const chunk of samples) {
      samplesSeen += chunk.length;
      if (stage === 'features') {
        const t = performance.now();
        patcher.push(chunk);
        stageS += (performance.now() - t) / 1000;
      }
    }
    audioS = samplesSeen / YAMNET_SAMPLE_RATE;
    if (stage === 'decode') stageS = (performance.now() - started) / 1000;
    cpuS = cpuSince(cpu); // decode: all of it; features: decode included
  } else if (stage === 'inference') {
    if (!modelPath) throw new Error('no model: set GIGGLES_MODEL');
    const model = await YamnetModel.load(modelPath, yamnet);
    const patcher = new LogMelPatcher();
    const patches: Float32Array[] = [];
    const { samples } = await openAudio(file);
    for await (const chunk of samples) {
      patches.push(...patcher.push(chunk));
      if (patches.length * 0.48 >= INFERENCE_SAMPLE_S) break;
    }
    const input = new Float32Array(patches.length * PATCH_SIZE);
    patches.forEach((p, i) => input.set(p, i * PATCH_SIZE));
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < patches.length; i += model.settings.batchSize) {
      const n = Math.min(model.settings.batchSize, patches.length - i);
      await model.run(input.subarray(i * PATCH_SIZE, (i + n) * PATCH_SIZE), n);
    }
    stageS = (performance.now() - t) / 1000;
    cpuS = cpuSince(cpu);
    audioS = patches.length * 0.48;
    await model.dispose();
  } else if (stage === 'e2e') {
    if (!modelPath) throw new Error('no model: set GIGGLES_MODEL');
    const model = await YamnetModel.load(modelPath, yamnet);
    const t = performance.now();
    const cpu = process.cpuUsage();
    const result = await analyzeRecording(file, { model, detection: { ...DEFAULT_DETECTION_SETTINGS }, analysis: analysisSettingsFromEnv() });
    stageS = (performance.now() - t) / 1000;
    cpuS = cpuSince(cpu);
    audioS = result.durationS;
    await model.dispose();
  } else {
    throw new Error(`unknown stage ${String(stage)}`);
  }
  const wallS = (performance.now() - started) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ stage, file, audioS, wallS, stageS, cpuS, maxRssMb }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-stage: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
