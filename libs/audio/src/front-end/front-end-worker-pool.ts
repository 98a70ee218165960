import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Front-end workers kept for reuse: starting a worker costs tens of milliseconds (hundreds when the
 * TypeScript sources are compiled on the fly), so one idle worker is kept per process, unref'd so it
 * never holds the process open. A worker that ended a job abnormally is terminated, never reused.
 */
const MAX_IDLE = 1;
/**
 * The worker allocates little that lives long (a chunk of samples, its patches); V8's default young
 * generation (tens of MB per isolate) would only add RSS. 8 MB measured ~20 MB less peak RSS end to
 * end at the same speed.
 */
const resourceLimits = { maxYoungGenerationSizeMb: 8 };
const idle: Worker[] = [];

export function acquireFrontEndWorker(): Worker {
  const worker = idle.pop() ?? startWorker();
  worker.ref();
  return worker;
}

export function releaseFrontEndWorker(worker: Worker, reusable: boolean): void {
  worker.removeAllListeners('message');
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  if (reusable && idle.length < MAX_IDLE) {
    worker.unref();
    // An idle worker that dies (it should not) is simply forgotten.
    worker.once('exit', () => {
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
    });
    worker.on('error', () => undefined);
    idle.push(worker);
  } else {
    void worker.terminate();
  }
}

/** Ends the idle workers (tests; a process may also simply exit, they are unref'd). */
export async function stopIdleFrontEndWorkers(): Promise<void> {
  await Promise.all(idle.splice(0).map((w) => w.terminate()));
}

function startWorker(): Worker {
  // Built: the compiled .js next to this file. From source (tsx, vitest): the .ts entry, compiled by
  // tsx's CommonJS hook inside the worker, which does not inherit the parent's loaders.
  const built = path.join(__dirname, 'front-end-worker.js');
  if (existsSync(built)) return new Worker(built, { resourceLimits });
  const source = path.join(__dirname, 'front-end-worker.ts');
  const tsx = require.resolve('tsx/cjs/api');
  const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits });
}
