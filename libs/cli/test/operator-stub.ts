import { COMMANDS, messageIds, type CommandJob, type StatusReply } from '@giggles/contracts';
import { type QueryError, serveQueries, type QueryServer } from '@giggles/messaging';
import type { NatsConnection } from '@nats-io/transport-node';
import { Command } from 'commander';
import type { OperatorIo } from '../src/operator/operator-io';
import { registerProcess } from '../src/commands/process.command';
import { registerReprocess } from '../src/commands/reprocess.command';
import { registerStatus } from '../src/commands/status.command';

export const USER_ID = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
export const EMAIL = 'ada@example.com';
export const NOW = Date.parse('2025-03-31T10:00:00.000Z');
const DAY_START = Date.parse('2025-03-29T23:00:00.000Z'); // 2025-03-30 00:00 Europe/Berlin (CET)
const DAY_END = Date.parse('2025-03-30T22:00:00.000Z'); // 23 h: the clocks went forward that day

export function commandJob(localDate = '2025-03-30', state: CommandJob['state'] = 'queued', trigger: 'manual' | 'today' | 'reprocess' = 'manual'): CommandJob {
  return {
    jobId: messageIds.dayJob(USER_ID, localDate, trigger, DAY_START, DAY_END),
    userId: USER_ID,
    localDate,
    timezone: 'Europe/Berlin',
    startMs: DAY_START,
    endMs: DAY_END,
    state,
  };
}

export const STATUS: StatusReply = {
  jobsInFlight: [
    {
      jobId: messageIds.dayJob(USER_ID, '2025-03-30', 'nightly', DAY_START, DAY_END),
      userId: USER_ID,
      email: EMAIL,
      localDate: '2025-03-30',
      trigger: 'nightly',
      status: 'running',
      windowsPlanned: 12,
      windowsDone: 5,
      registeredAt: '2025-03-31T04:00:00.000Z',
      updatedAt: '2025-03-31T09:57:00.000Z',
    },
  ],
  users: [
    { userId: USER_ID, email: EMAIL, timezone: 'Europe/Berlin', keyStatus: 'active', lastProcessedDay: '2025-03-29', gapDays: ['2025-03-28', '2025-03-20', '2025-03-12', '2025-03-02'], gapsGivenUp: ['2025-02-01'], failedImports: 2, lastImportError: { at: '2025-03-30T10:00:00.000Z', fileName: 'night.ogg', error: { code: 'not_audio', message: 'not an Ogg stream' } } },
    { userId: '0b0e7d1c-2f3a-4b5c-8d9e-0f1a2b3c4d5e', email: 'bob@example.com', timezone: 'America/New_York', keyStatus: 'invalid', gapDays: [], gapsGivenUp: [], failedImports: 0 },
  ],
  deadLetters: { count: 7, recent: [{ subject: 'giggles.dead.giggles.segments.ready', reason: 'corrupt audio:\nnot an Ogg stream', at: '2025-03-31T08:00:00.000Z' }] },
  scheduler: { lastTickAt: '2025-03-31T09:59:00.000Z', lastReconcileAt: '2025-03-31T03:30:00.000Z', lastReconcileSummary: 'deleted 3 orphan clips' },
};

/** What the stub scheduler saw, and how it answers next. */
export interface StubScheduler {
  requests: { subject: string; body: unknown }[];
  /** Thrown by the next handler instead of answering (e.g. `new QueryError('not_found', …)`). */
  failWith?: QueryError;
  server: QueryServer;
}

/** A stand-in scheduler answering the COMMANDS on a private NATS server. */
export function startStubScheduler(nc: NatsConnection): StubScheduler {
  const stub: Partial<StubScheduler> & { requests: StubScheduler['requests'] } = { requests: [] };
  const seen = (subject: string, body: unknown) => {
    stub.requests.push({ subject, body });
    const failure = stub.failWith;
    if (failure) throw failure;
  };
  stub.server = serveQueries(
    nc,
    {
      [COMMANDS.processDay]: async (body) => {
        seen(COMMANDS.processDay, body);
        return { job: commandJob(body.localDate) };
      },
      [COMMANDS.processToday]: async (body) => {
        seen(COMMANDS.processToday, body);
        return { job: { ...commandJob('2025-03-31', 'already_queued', 'today'), startMs: DAY_END, endMs: NOW } };
      },
      [COMMANDS.reprocess]: async (body) => {
        seen(COMMANDS.reprocess, body);
        return {
          removed: { detectionsRemoved: 14, clipsRemoved: 13, windowsRemoved: 24, logsRemoved: 2 },
          jobs: [commandJob('2025-03-29', 'queued', 'reprocess'), commandJob('2025-03-30', 'queued', 'reprocess')],
        };
      },
      [COMMANDS.status]: async (body) => {
        seen(COMMANDS.status, body);
        return STATUS;
      },
    },
    { logger: { error: () => undefined, warn: () => undefined, info: () => undefined } },
  );
  return stub as StubScheduler;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `giggles <args>` in-process (the operator commands only) with captured output. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const result: CliRun = { code: -1, out: '', err: '' };
  const io: OperatorIo = {
    out: (t) => void (result.out += t),
    err: (t) => void (result.err += t),
    setExitCode: (c) => void (result.code = c),
    env,
    now: () => NOW,
  };
  const program = new Command().name('giggles').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerProcess(program, io);
  registerReprocess(program, io);
  registerStatus(program, io);
  try {
    await program.parseAsync(['node', 'giggles', ...args]);
  } catch (error) {
    result.code = 2; // commander usage error (unknown option, …), as main.ts maps it
    result.err += String(error);
  }
  return result;
}
