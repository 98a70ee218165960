/**
 * Runs the Limitless API simulator for local demos:
 *
 *   node libs/cli/bin/run-script.js libs/testing/scripts/limitless-simulator.ts \
 *     --port 8787 --key demo-key --from 2025-01-15T00:00:00Z --hours 24 [--dir ../shared/eval] [--gap-ms 0]
 *
 * Places the directory's .ogg files back to back from --from until --hours are filled, prints the
 * URL and the placements as JSON lines, and serves until interrupted (Ctrl-C stops it cleanly).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLimitlessSimulator } from '../src/limitless-simulator/server';
import { sharedDir } from '../src/shared-dir';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      key: { type: 'string', default: 'demo-key' },
      from: { type: 'string' },
      hours: { type: 'string', default: '24' },
      dir: { type: 'string' },
      'gap-ms': { type: 'string', default: '0' },
      gaps: { type: 'string', default: 'silence' },
    },
  });
  const from = values.from ? Date.parse(values.from) : new Date().setUTCHours(0, 0, 0, 0) - 86_400_000;
  if (!Number.isFinite(from)) throw new Error(`bad --from ${values.from}`);
  const sim = await startLimitlessSimulator({
    port: Number(values.port),
    gaps: values.gaps === 'omit' ? 'omit' : 'silence',
  });
  const placed = sim.placeRecordings(values.key as string, values.dir ?? join(sharedDir(), 'eval'), from, Number(values.hours), {
    gapMs: Number(values['gap-ms']),
  });
  process.stdout.write(`Limitless simulator on ${sim.url} (key ${values.key})\n`);
  for (const p of placed) {
    process.stdout.write(
      `${JSON.stringify({ start: new Date(p.startMs).toISOString(), startMs: p.startMs, endMs: p.endMs, file: p.recording.path })}\n`,
    );
  }
  const stop = () => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
