/**
 * Peak memory and speed of the inference service on one long segment.
 *
 *   TSX_TSCONFIG_PATH=services/inference/tsconfig.run.json \
 *     node libs/cli/bin/run-script.js services/inference/scripts/measure-long-segment.ts [--loops 11]
 *
 * (tsx applies experimentalDecorators only to files its tsconfig includes; tsconfig.run.json
 * includes the libs, whose contracts use decorators.)
 *
 * Loops /work/shared/eval/long_d1.ogg (600 s) with `ffmpeg -stream_loop N -c copy` into a temp dir
 * (11 → 12 × 600 s = 2 h), starts a private nats-server, stores the file in the audio bucket, runs the
 * service (src/main.ts) as its own process, publishes one segment event and waits for the result.
 * Reports the service process's peak RSS (VmHWM from /proc) and its speed. `--dist` runs the build
 * (`npx nx run inference:build` first) as the image does; tsx adds its compiler to the RSS.
 * ANALYSIS_*, DETECTION_*, YAMNET_* and INFERENCE_* variables are passed on to the service.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeTempDir } from '@giggles/testing';
import { EVAL_RECORDING, ffmpegCopy, MODEL_PATH, publishSegment, putAudioFile, resultsFor, segmentEvent, startTestNats, waitUntil } from '../test/support/fixtures';
import { countLogs, logLines, memoryOf, startInferenceProcess } from '../test/support/service-process';

async function main(): Promise<void> {
  const loopsArg = process.argv.indexOf('--loops');
  const loops = loopsArg >= 0 ? Number(process.argv[loopsArg + 1]) : 11;
  const dist = process.argv.includes('--dist');
  const passed = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => /^(ANALYSIS_|DETECTION_|YAMNET_|INFERENCE_)/.test(k) && v !== undefined)) as Record<string, string>;
  const dir = makeTempDir('inference-long');
  const nats = await startTestNats();
  let service: ReturnType<typeof startInferenceProcess> | undefined;
  // Ctrl-C / kill: do not leave the service and nats-server running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.allSettled([service?.stop(5_000), nats.close()]).finally(() => {
        dir.remove();
        process.exit(130);
      });
    });
  }
  try {
    const file = join(dir.path, `long-${loops + 1}x.ogg`);
    ffmpegCopy(EVAL_RECORDING, file, { loops });
    const bytes = statSync(file).size;
    process.stdout.write(`segment: ${file} (${(bytes / 1e6).toFixed(1)} MB, ${(loops + 1) * 600} s)\n`);
    await putAudioFile(nats.audio, 'long.ogg', file);

    service = startInferenceProcess('inference', { ...passed, NATS_URL: nats.server.url, GIGGLES_MODEL: MODEL_PATH, LOG_LEVEL: 'info', HEALTH_PORT: String(await freePort()) }, { dist });
    process.stdout.write(`service: ${dist ? 'dist/main.js' : 'src/main.ts via tsx'}${Object.keys(passed).length ? ` with ${JSON.stringify(passed)}` : ''}\n`);
    const proc = service;
    await waitUntil('the service to consume', () => countLogs(proc, 'consuming segment events') > 0 || (proc.hasExited() && Promise.reject(new Error(proc.logs()))), 120_000);
    const idle = memoryOf(proc.pid);
    process.stdout.write(`service ready: RSS ${idle?.rssMb.toFixed(0)} MiB (peak so far ${idle?.peakRssMb.toFixed(0)} MiB)\n`);

    const segment = segmentEvent('long.ogg', { audioBytes: bytes });
    const started = Date.now();
    await publishSegment(nats.js, segment);
    let maxRss = 0;
    const [result] = await waitUntil(
      'the segment result',
      async () => {
        const m = memoryOf(proc.pid);
        if (m) maxRss = Math.max(maxRss, m.rssMb);
        const found = await resultsFor(nats.jsm, segment);
        return found.length > 0 ? found : undefined;
      },
      Number(process.env.MEASURE_TIMEOUT_MS ?? 30 * 60_000),
      250,
    );
    const wallS = (Date.now() - started) / 1000;
    const peak = memoryOf(proc.pid);
    const r = result.data;
    process.stdout.write(
      [
        `status: ${r.status}${r.error ? ` (${r.error.code}: ${r.error.message})` : ''}`,
        `decoded: ${r.decodedSeconds} s, events: ${r.events.length}, clips: ${r.events.filter((e) => e.clipObject).length}`,
        `processing: ${(r.processingMs / 1000).toFixed(1)} s in the service (${(r.decodedSeconds / (r.processingMs / 1000)).toFixed(0)}× realtime), ${wallS.toFixed(1)} s publish→result`,
        `service RSS: peak ${peak?.peakRssMb.toFixed(0)} MiB (VmHWM, whole process life), max sampled ${maxRss.toFixed(0)} MiB, now ${peak?.rssMb.toFixed(0)} MiB`,
      ].join('\n') + '\n',
    );
  } finally {
    if (service) {
      const problems = logLines(service).filter((l) => l.level === 'warn' || l.level === 'error' || l.level === 'fatal');
      for (const line of problems) process.stdout.write(`service ${String(line.level)}: ${JSON.stringify(line)}\n`);
    }
    await service?.stop(30_000);
    await nats.close();
    dir.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
