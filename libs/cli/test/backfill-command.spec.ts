import { HISTORY_COMMANDS, COMMANDS, type BackfillProgress, type BackfillStatusReply } from '@giggles/contracts';
import { connectNats, QueryError, serveQueries, type QueryServer } from '@giggles/messaging';
import { startNats, type NatsHandle } from '@giggles/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerBackfill } from '../src/commands/backfill.command';
import { registerStatus } from '../src/commands/status.command';
import type { OperatorIo } from '../src/operator/operator-io';
import { EMAIL, NOW, STATUS, USER_ID, type CliRun } from './operator-stub';

const PROGRESS: BackfillProgress = {
  userId: USER_ID,
  email: EMAIL,
  timezone: 'Europe/Berlin',
  from: '2025-01-01',
  to: '2025-03-30',
  state: 'active',
  totalDays: 89,
  daysDone: 30,
  daysFailed: 1,
  daysGivenUp: 2,
  givenUp: [{ localDate: '2025-01-04', reason: "the day's job failed 7 times (see its processing log for why)", at: '2025-03-31T09:00:00.000Z' }],
  daysInFlight: 1,
  audioSeconds: 5400,
  laughs: 42,
  startedAt: '2025-03-31T08:00:00.000Z',
  updatedAt: '2025-03-31T09:59:00.000Z',
  backfillJobsDone: 30,
  etaSeconds: 7080,
};
const HISTORY: BackfillStatusReply = {
  backfills: [PROGRESS],
  outages: [
    {
      userId: USER_ID,
      email: EMAIL,
      unreachableSince: '2025-03-29T03:00:00.000Z',
      pausedAt: '2025-03-30T04:00:00.000Z',
      pauseReason: 'Limitless has been unreachable for 25 h',
      lastProbeAt: '2025-03-31T09:00:00.000Z',
    },
  ],
};

let nats: NatsHandle;
let nc: NatsConnection;
let server: QueryServer;
let env: NodeJS.ProcessEnv;
const requests: { subject: string; body: unknown }[] = [];
let failWith: QueryError | undefined;

function seen(subject: string, body: unknown): void {
  requests.push({ subject, body });
  if (failWith) throw failWith;
}

beforeAll(async () => {
  nats = await startNats({ mode: 'private' });
  nc = await connectNats(nats.url, 'cli-backfill-test');
  server = serveQueries(
    nc,
    {
      [HISTORY_COMMANDS.backfill]: async (body) => {
        seen(HISTORY_COMMANDS.backfill, body);
        return { backfill: { ...PROGRESS, daysDone: 0, etaSeconds: undefined }, ...(body.from ? {} : { firstAudio: { method: 'lifelogs' as const, requests: 1, atMs: Date.parse('2025-01-01T09:00:00Z') } }) };
      },
      [HISTORY_COMMANDS.backfillStatus]: async (body) => {
        seen(HISTORY_COMMANDS.backfillStatus, body);
        return HISTORY;
      },
      [HISTORY_COMMANDS.backfillPause]: async (body) => {
        seen(HISTORY_COMMANDS.backfillPause, body);
        return { backfill: { ...PROGRESS, state: 'paused' as const } };
      },
      [HISTORY_COMMANDS.backfillResume]: async (body) => {
        seen(HISTORY_COMMANDS.backfillResume, body);
        return { backfill: PROGRESS };
      },
      [COMMANDS.status]: async (body) => {
        seen(COMMANDS.status, body);
        return STATUS;
      },
    },
    { logger: { error: () => undefined, warn: () => undefined, info: () => undefined } },
  );
  env = { NATS_URL: nats.url };
});
afterAll(async () => {
  await server?.stop();
  await nc?.close();
  await nats?.stop();
});
beforeEach(() => {
  requests.length = 0;
  failWith = undefined;
});

async function runCli(args: string[]): Promise<CliRun> {
  const result: CliRun = { code: -1, out: '', err: '' };
  const io: OperatorIo = { out: (t) => void (result.out += t), err: (t) => void (result.err += t), setExitCode: (c) => void (result.code = c), env, now: () => NOW };
  const program = new Command().name('giggles').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerBackfill(program, io);
  registerStatus(program, io);
  try {
    await program.parseAsync(['node', 'giggles', ...args]);
  } catch (error) {
    result.code = 2;
    result.err += String(error);
  }
  return result;
}

describe('giggles backfill', () => {
  it('without --from: the scheduler finds the first day; prints where it starts and how it was found', async () => {
    const run = await runCli(['backfill', '--user', EMAIL]);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(requests).toEqual([{ subject: HISTORY_COMMANDS.backfill, body: { email: EMAIL } }]);
    expect(run.out).toContain('first audio: 2025-01-01T09:00:00.000Z (found with the lifelogs endpoint, 1 Limitless request)');
    expect(run.out).toContain('backfill of ada@example.com: 2025-01-01 .. 2025-03-30 (89 days, 0 already done), active');
  });

  it('--from/--to are sent as given; bad dates and reversed ranges are refused before sending', async () => {
    expect((await runCli(['backfill', '--user', EMAIL, '--from', '2025-01-01', '--to', '2025-02-01'])).code).toBe(0);
    expect(requests).toEqual([{ subject: HISTORY_COMMANDS.backfill, body: { email: EMAIL, from: '2025-01-01', to: '2025-02-01' } }]);
    for (const args of [['--from', '2025-02-30'], ['--from', '2025-03-01', '--to', '2025-02-01'], ['--status', '--pause'], ['--pause', '--from', '2025-01-01']]) {
      const run = await runCli(['backfill', '--user', EMAIL, ...args]);
      expect(run.code).toBe(2);
      expect(run.err.trim().split('\n')).toHaveLength(1);
    }
    expect((await runCli(['backfill'])).code).toBe(2); // --user is required to start
    expect(requests).toHaveLength(1);
  });

  it('--status shows progress with audio hours, laughs, failures, given-up days with their reason and the ETA, and each paused user in one line', async () => {
    const run = await runCli(['backfill', '--status']);
    expect(run.code).toBe(0);
    expect(requests).toEqual([{ subject: HISTORY_COMMANDS.backfillStatus, body: {} }]);
    expect(run.out).toMatch(/ada@example\.com +2025-01-01\.\.2025-03-30 +active +30\/89 \(33%\) +1 +2 +1 +1\.5 +42 +2\.0 h/);
    expect(run.out).toContain("  ada@example.com gave up 2025-01-04: the day's job failed 7 times (see its processing log for why)\n");
    expect(run.out).toContain('  ada@example.com: 1 more day(s) given up\n');
    expect(run.out).toContain('Limitless unreachable — downloads paused: 1\n');
    const paused = run.out.split('\n').filter((line) => line.includes('PAUSED'));
    expect(paused).toEqual([
      '  ada@example.com: PAUSED — Limitless unreachable since 2025-03-29 03:00 UTC; no downloads until it answers again (paused 2025-03-30 04:00 UTC, last probe 2025-03-31 09:00 UTC), then it resumes by itself',
    ]);
  });

  it('--pause and --resume', async () => {
    expect((await runCli(['backfill', '--user', EMAIL, '--pause'])).out).toContain('backfill of ada@example.com: paused (30/89 days done)');
    expect((await runCli(['backfill', '--user', EMAIL, '--resume'])).out).toContain('active');
    expect(requests.map((r) => r.subject)).toEqual([HISTORY_COMMANDS.backfillPause, HISTORY_COMMANDS.backfillResume]);
  });

  it("a refusal is one line and exit 1 (e.g. no audio found)", async () => {
    failWith = new QueryError('not_found', 'no audio found for ada@example.com between 2023-01-01 and 2025-03-30 (14 Limitless requests); give --from to backfill anyway');
    const run = await runCli(['backfill', '--user', EMAIL]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('give --from to backfill anyway');
  });
});

describe('giggles status with backfills', () => {
  it('appends backfill progress and paused users; --json carries them too', async () => {
    const run = await runCli(['status']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('dead letters: 7');
    expect(run.out).toContain('backfills: 1');
    expect(run.out).toContain('Limitless unreachable — downloads paused: 1');
    const json = JSON.parse((await runCli(['status', '--json'])).out) as Record<string, unknown>;
    expect(json).toMatchObject({ ...STATUS, backfills: HISTORY.backfills, outages: HISTORY.outages });
  });
});
