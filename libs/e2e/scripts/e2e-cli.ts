/** The body of e2e.ts, loaded after the decorator relaunch (see src/relaunch.ts). */
import { parseE2eArgs, runNight, runNightOptions } from '@giggles/e2e';

export async function main(): Promise<void> {
  let args;
  try {
    args = parseE2eArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const log = args.quiet ? undefined : (line: string) => process.stderr.write(`e2e: ${line}\n`);
  const summary = await runNight(runNightOptions(args, log));
  log?.(`${summary.audioHours} audio hours in ${summary.wallSeconds} s: ${summary.realtimeFactor}× realtime`);
  // Wait for the write: the launcher exits right after main(), and a long line to a pipe is written asynchronously.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(summary)}\n`, () => resolve()));
}

