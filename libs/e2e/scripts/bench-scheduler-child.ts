/**
 * The scheduler under measurement, in a process of its own (so its resident set is the
 * scheduler's alone, comparable with its compose limit): `createSchedulerApp` with a fake
 * clock and no timers, driven by bench-scheduler-cli.ts over the fork IPC channel. Every request
 * sets the clock, runs one tick or reconciliation, and answers with its wall time.
 * Logs (the scheduler's own pino lines) go to the stdout the parent gave it.
 */
import { createSchedulerApp, type SchedulerApp } from '@giggles/scheduler';
import type { BenchRequest, BenchReply } from './bench-scheduler-protocol';

let nowMs = Date.now();
let scheduler: SchedulerApp | undefined;

async function handle(request: BenchRequest): Promise<BenchReply> {
  nowMs = request.nowMs;
  switch (request.type) {
    case 'start':
      scheduler = await createSchedulerApp({ env: request.env, clock: { now: () => nowMs }, timers: false, host: '127.0.0.1' });
      return { type: 'started', heapMb: heapMb() };
    case 'tick': {
      const started = performance.now();
      const report = await scheduler!.tick();
      return {
        type: 'ticked',
        ms: performance.now() - started,
        published: report.published.length,
        republished: report.republished.length,
        failedUsers: report.failedUsers.length,
        gaveUp: report.gaveUp.length,
        heapMb: heapMb(),
      };
    }
    case 'reconcile': {
      const started = performance.now();
      const reply = await scheduler!.reconcile();
      return { type: 'reconciled', ms: performance.now() - started, reply: reply ?? null, heapMb: heapMb() };
    }
    case 'close':
      await scheduler?.close();
      scheduler = undefined;
      return { type: 'closed', heapMb: heapMb() };
  }
}

function heapMb(): number {
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
}

process.on('message', (message: BenchRequest) => {
  handle(message).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies BenchReply),
  );
});
// The parent going away (Ctrl-C, crash) ends this process too.
process.on('disconnect', () => process.exit(0));
