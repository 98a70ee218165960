/**
 * `npm run bench [-- --hours 1,8 --stages decode,features,inference,e2e --content dense,day --runs N
 *   --threads N --batch-size N]` (analysis settings from the environment, e.g.
 *   ANALYSIS_FRONT_END_WORKER=false for the single-threaded front end)
 *
 * Generates pendant-like recordings (Ogg Opus, 48 kHz mono, ~24 kb/s) of 1 and 8 hours — real
 * speech and laughter from ../shared/eval looped, or synthetic sound when that is absent — and
 * prints, per stage and end to end, the realtime factor (audio seconds per wall second), audio
 * hours per wall second, CPU seconds per audio hour (all threads; robust to a busy machine, unlike
 * the wall figures) and peak RSS, with the load average before each run; with --runs N, the
 * median run by wall time. Then the 8 h / 1 h RSS ratio (flat memory means ≈ 1).
 * Each stage runs in its own process so its peak RSS is its own. Recordings are cached in
 * $GIGGLES_BENCH_DIR (default: the OS temp dir) and never written into the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface StageResult {
  stage: string;
  audioS: number;
  wallS: number;
  stageS: number;
  cpuS: number;
  maxRssMb: number;
  loadAverage: number;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const sharedEval = path.resolve(process.env.GIGGLES_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'), 'eval');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
}

type Content = 'dense' | 'day';

/**
 * A 1-hour pendant-like recording, then longer ones by looping it with stream copy (no re-encode).
 * `dense`: conversation and laughter without a pause (the worst case for speed). `day`: like a
 * pendant day, half of it quiet room tone (-60 dBFS pink noise) in 10-minute stretches.
 */
function recording(dir: string, hours: number, content: Content): string {
  const target = path.join(dir, `bench-${content}-${hours}h.ogg`);
  if (existsSync(target)) return target;
  const oneHour = path.join(dir, `bench-${content}-1h.ogg`);
  if (!existsSync(oneHour)) {
    const d1 = path.join(sharedEval, 'long_d1.ogg');
    const d2 = path.join(sharedEval, 'long_d2.ogg');
    const opus = ['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '24k', '-application', 'voip', '-t', '3600'];
    if (content === 'day') {
      const dense = recording(dir, 1, 'dense');
      process.stderr.write('bench: encoding a 1 h pendant-like day (10 min talk / 10 min quiet)…\n');
      const talk = '[0:a]atrim=0:600,asetpts=N/SR/TB[t1];[0:a]atrim=600:1200,asetpts=N/SR/TB[t2];[0:a]atrim=1200:1800,asetpts=N/SR/TB[t3]';
      const quiet = '[1:a]atrim=0:600,asetpts=N/SR/TB[q1];[1:a]atrim=600:1200,asetpts=N/SR/TB[q2];[1:a]atrim=1200:1800,asetpts=N/SR/TB[q3]';
      ffmpeg(['-i', dense, '-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.001:duration=1800:sample_rate=48000', '-filter_complex', `${talk};${quiet};[t1][q1][t2][q2][t3][q3]concat=n=6:v=0:a=1[a]`, '-map', '[a]', ...opus, oneHour]);
    } else if (existsSync(d1) && existsSync(d2)) {
      process.stderr.write('bench: encoding 1 h of real speech and laughter (../shared/eval looped)…\n');
      ffmpeg(['-stream_loop', '-1', '-i', d1, '-stream_loop', '-1', '-i', d2, '-filter_complex', '[0:a][1:a]amix=inputs=2:duration=longest:normalize=0,volume=0.7[a]', '-map', '[a]', ...opus, oneHour]);
    } else {
      process.stderr.write('bench: ../shared/eval not found; encoding 1 h of synthetic sound\n');
      ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.05:duration=3600', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=3600', '-filter_complex', 'amix=inputs=2', ...opus, oneHour]);
    }
  }
  if (hours !== 1) {
    process.stderr.write(`bench: building ${hours} h by looping the 1 h recording…\n`);
    ffmpeg(['-stream_loop', String(hours - 1), '-i', oneHour, '-c', 'copy', target]);
  }
  return target;
}

function runStage(stage: string, file: string, extraArgs: string[]): StageResult {
  const script = path.join(__dirname, 'bench-stage.ts');
  const loadAverage = os.loadavg()[0];
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'libs', 'cli', 'bin', 'run-script.js'), script, stage, file, ...extraArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`stage ${stage} failed (exit ${run.status})`);
  const line = run.stdout.trim().split('\n').pop() as string;
  return { ...(JSON.parse(line) as Omit<StageResult, 'loadAverage'>), loadAverage };
}

/** The median of `runs` runs by stage time (peak RSS: the highest seen, the figure that must stay bounded). */
function medianRun(runs: number, run: () => StageResult): StageResult {
  const results = Array.from({ length: runs }, run).sort((a, b) => a.stageS - b.stageS);
  return { ...results[Math.floor((results.length - 1) / 2)], maxRssMb: Math.max(...results.map((r) => r.maxRssMb)) };
}

function main(): void {
  const hours = arg('hours', '1,8').split(',').map(Number);
  const stages = arg('stages', 'decode,features,inference,e2e').split(',');
  const contents = arg('content', 'dense,day').split(',') as Content[];
  const runs = Number(arg('runs', '1'));
  const extraArgs = ['threads', 'batch-size'].flatMap((name) => (arg(name, '') ? [`--${name}`, arg(name, '')] : []));
  const dir = process.env.GIGGLES_BENCH_DIR ?? path.join(os.tmpdir(), 'giggles-bench');
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`giggles bench — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write('realtime factor = audio seconds per wall second of the stage itself; e2e includes everything (model load excluded)\n');
  process.stdout.write('CPU s/audio-h = user + system seconds of all threads per hour of audio; load = 1-minute load average before the run\n');
  process.stdout.write(`front end: ${process.env.ANALYSIS_FRONT_END_WORKER === 'false' ? 'main thread' : 'worker thread'}${extraArgs.length ? `, ${extraArgs.join(' ')}` : ''}${runs > 1 ? `, median of ${runs} runs` : ''}\n\n`);
  const rows: Record<string, Record<number, StageResult>> = {};
  for (const content of contents) {
    process.stdout.write(`\n${content === 'dense' ? 'dense: conversation and laughter, no pauses (worst case)' : 'day: pendant-like, half quiet room tone'}\n`);
    for (const h of hours) {
      const file = recording(dir, h, content);
      for (const stage of stages) {
        // Decoding and the front end cost the same whatever the content: measured once.
        if (content !== contents[0] && (stage === 'decode' || stage === 'features')) continue;
        const result = medianRun(runs, () => runStage(stage, file, extraArgs));
        (rows[`${stage}${content === 'dense' ? '' : `-${content}`}`] ??= {})[h] = result;
        const x = result.audioS / result.stageS;
        process.stdout.write(
          `${stage.padEnd(10)} ${String(h).padStart(2)} h  ${x.toFixed(0).padStart(6)}× realtime  ${(result.audioS / 3600 / result.stageS).toFixed(4)} audio-h/s  ` +
            `${((result.cpuS / result.audioS) * 3600).toFixed(1).padStart(5)} CPU s/audio-h  peak RSS ${result.maxRssMb.toFixed(0).padStart(4)} MB  ` +
            `(${result.audioS.toFixed(0)} s audio in ${result.stageS.toFixed(1)} s, load ${result.loadAverage.toFixed(1)})\n`,
        );
      }
    }
  }
  if (hours.length > 1) {
    const [a, b] = [Math.min(...hours), Math.max(...hours)];
    process.stdout.write(`\npeak RSS ratio ${b} h / ${a} h:\n`);
    for (const [stage, byH] of Object.entries(rows)) {
      const ra = byH[a];
      const rb = byH[b];
      if (ra && rb) process.stdout.write(`  ${stage.padEnd(10)} ${(rb.maxRssMb / ra.maxRssMb).toFixed(2)}  (${ra.maxRssMb.toFixed(0)} → ${rb.maxRssMb.toFixed(0)} MB)\n`);
    }
  }
  const summary = Object.fromEntries(
    Object.entries(rows).map(([stage, byH]) => [stage, Object.fromEntries(Object.entries(byH).map(([h, r]) => [`${h}h`, { realtime: Math.round(r.audioS / r.stageS), cpuSPerAudioH: Math.round((r.cpuS / r.audioS) * 36000) / 10, peakRssMb: Math.round(r.maxRssMb), load: Math.round(r.loadAverage * 10) / 10 }]))]),
  );
  process.stdout.write(JSON.stringify(summary) + '\n');
}

main();
