/**
 * The Limitless API of the compose test: libs/testing's simulator listening on every address of
 * its container (the demo script listens on loopback only), with the recordings of --dir placed
 * back to back on yesterday (UTC) from midnight for --hours, accepted for --key.
 *   node --conditions=@giggles/source --import=tsx deploy/test/limitless-sim.ts --port 8787 --key K --dir /eval --hours 2
 */
import { parseArgs } from 'node:util';
import { startLimitlessSimulator } from '@giggles/testing';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      key: { type: 'string' },
      dir: { type: 'string' },
      hours: { type: 'string', default: '2' },
    },
  });
  if (!values.key || !values.dir) throw new Error('--key and --dir are required');
  const hours = Number(values.hours);
  if (!(hours > 0 && hours <= 24)) throw new Error(`--hours must be in (0, 24], got ${values.hours}`);
  const yesterday = new Date().setUTCHours(0, 0, 0, 0) - 86_400_000;
  const sim = await startLimitlessSimulator({ port: Number(values.port), host: '0.0.0.0' });
  const placed = sim.placeRecordings(values.key, values.dir, yesterday, hours);
  process.stdout.write(`${JSON.stringify({ msg: 'limitless simulator listening', url: sim.url, from: new Date(yesterday).toISOString(), hours, recordings: placed.length })}\n`);
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
