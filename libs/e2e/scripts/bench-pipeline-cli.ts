/** The body of bench-pipeline.ts, loaded after the decorator relaunch (see src/relaunch.ts). */
import os from 'node:os';
import { parseE2eArgs, runNight, runNightOptions } from '@giggles/e2e';

const TARGET_REALTIME = 150;

export async function main(): Promise<void> {
  let args;
  try {
    args = parseE2eArgs(process.argv.slice(2), { users: 2, hours: 1.5 });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const log = args.quiet ? undefined : (line: string) => process.stderr.write(`bench:pipeline: ${line}\n`);
  log?.(`load average before: ${loadBefore.join(' ')} (${os.cpus().length} cores)`);
  if (loadBefore[0] > 0.5 * os.cpus().length) log?.('warning: the machine is busy; figures will be low');
  const summary = await runNight(runNightOptions(args, log));
  const loadAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const laughs = summary.users.reduce((n, u) => n + u.detections.length, 0);
  const lines = [
    '',
    `pipeline: ${args.users} users × ${args.hours} h, ${args.inferenceReplicas ?? 1} inference process(es) (${laughs} laughs stored)`,
    `  audio hours        ${summary.audioHours}`,
    `  wall seconds       ${summary.wallSeconds}`,
    `  × realtime         ${summary.realtimeFactor}  (${summary.audioHoursPerMinute} audio hours per minute; target ≥ ${TARGET_REALTIME}×)`,
    `  peak RSS (MiB)     ingestion ${summary.peakRssMb.ingestion}, inference ${summary.peakRssMb.inference}, persistence ${summary.peakRssMb.persistence}`,
    `  CPU seconds        ingestion ${summary.cpuSeconds?.ingestion}, inference ${summary.cpuSeconds?.inference}, persistence ${summary.cpuSeconds?.persistence} (boot included; ${os.cpus().length} cores × ${summary.wallSeconds} s available)`,
    `  load average       before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} (${os.cpus().length} cores)`,
    '',
  ];
  process.stderr.write(lines.join('\n'));
  const figures = `${JSON.stringify({
    users: args.users,
    hoursPerUser: args.hours,
    inferenceReplicas: args.inferenceReplicas ?? 1,
    audioHours: summary.audioHours,
    wallSeconds: summary.wallSeconds,
    realtimeFactor: summary.realtimeFactor,
    audioHoursPerMinute: summary.audioHoursPerMinute,
    peakRssMb: summary.peakRssMb,
    cpuSeconds: summary.cpuSeconds,
    detections: laughs,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAfter,
    cores: os.cpus().length,
  })}\n`;
  await new Promise<void>((resolve) => process.stdout.write(figures, () => resolve()));
}

