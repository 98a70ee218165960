import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { COMMANDS, QUERIES } from '@giggles/contracts';
import { connectNats, QueryError, serveQueries } from '@giggles/messaging';
import { freePort, startNats, type NatsHandle } from '@giggles/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMAIL, runCli, STATUS, startStubScheduler, USER_ID, type StubScheduler } from './operator-stub';

let nats: NatsHandle;
let nc: NatsConnection;
let stub: StubScheduler;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  nats = await startNats({ mode: 'private' });
  nc = await connectNats(nats.url, 'cli-test-scheduler');
  stub = startStubScheduler(nc);
  env = { NATS_URL: nats.url };
});
afterAll(async () => {
  await stub?.server.stop();
  await nc?.close();
  await nats?.stop();
});
beforeEach(() => {
  stub.requests.length = 0;
  stub.failWith = undefined;
});

describe('giggles process', () => {
  it('--date sends process-day for the e-mail and prints the job with its local range', async () => {
    const run = await runCli(['process', '--user', EMAIL, '--date', '2025-03-30'], env);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(stub.requests).toEqual([{ subject: COMMANDS.processDay, body: { email: EMAIL, localDate: '2025-03-30' } }]);
    expect(run.out).toContain('2025-03-30 for ada@example.com: queued');
    expect(run.out).toContain('range  2025-03-30 00:00 → 2025-03-31 00:00 Europe/Berlin');
    expect(run.out).toMatch(/job {4}day:/);
  });

  it('--today sends process-today and says when a job is already queued; --json prints the reply', async () => {
    const text = await runCli(['process', '--user', EMAIL, '--today'], env);
    expect(text.code).toBe(0);
    expect(stub.requests[0]).toEqual({ subject: COMMANDS.processToday, body: { email: EMAIL } });
    expect(text.out).toContain('2025-03-31 for ada@example.com: already queued');

    const json = await runCli(['process', '--user', EMAIL, '--today', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ job: { localDate: '2025-03-31', state: 'already_queued', timezone: 'Europe/Berlin' } });
    expect(json.out.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['process', '--date', '2025-03-30'], '--user EMAIL is required'],
    [['process', '--user', 'ada', '--date', '2025-03-30'], '--user must be an e-mail address, got "ada"'],
    [['process', '--user', EMAIL], 'give --date YYYY-MM-DD or --today'],
    [['process', '--user', EMAIL, '--today', '--date', '2025-03-30'], 'give either --date YYYY-MM-DD or --today, not both'],
    [['process', '--user', EMAIL, '--date', '2025-02-30'], '--date must be a real calendar date as YYYY-MM-DD, got "2025-02-30"'],
    [['process', '--user', EMAIL, '--date', '30/03/2025'], '--date must be a real calendar date'],
    [['process', '--user', EMAIL, '--today', '--timeout', 'soon'], '--timeout must be a number of seconds from 0.1 to 600, got "soon"'],
  ])('%j: one line, exit 2, nothing sent', async (args, message) => {
    const run = await runCli(args, env);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toContain(`giggles: process: ${message}`);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('giggles reprocess', () => {
  it('prints what was removed and the jobs queued', async () => {
    const run = await runCli(['reprocess', '--user', EMAIL, '--from', '2025-03-29', '--to', '2025-03-30'], env);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(stub.requests).toEqual([{ subject: COMMANDS.reprocess, body: { email: EMAIL, from: '2025-03-29', to: '2025-03-30' } }]);
    const lines = run.out.split('\n');
    expect(lines[0]).toBe('reprocess 2025-03-29 … 2025-03-30 for ada@example.com');
    expect(lines[1]).toBe('removed: 14 detections, 13 clips, 24 windows, 2 processing logs');
    expect(lines[2]).toBe('jobs: 2 queued of 2');
    expect(lines[3]).toMatch(/^ {2}date {8}state {3}job$/);
    expect(lines[4]).toMatch(/^ {2}2025-03-29 {2}queued {2}day:/);
  });

  it('--json prints the reply as it came', async () => {
    const run = await runCli(['reprocess', '--user', EMAIL, '--from', '2025-03-29', '--to', '2025-03-30', '--json'], env);
    expect(JSON.parse(run.out)).toMatchObject({ removed: { detectionsRemoved: 14 }, jobs: [{ localDate: '2025-03-29' }, { localDate: '2025-03-30' }] });
  });

  it('refuses a range that ends before it starts, and missing dates, before sending', async () => {
    const backwards = await runCli(['reprocess', '--user', EMAIL, '--from', '2025-03-30', '--to', '2025-03-29'], env);
    expect(backwards).toMatchObject({ code: 2, err: 'giggles: reprocess: --to 2025-03-29 is before --from 2025-03-30\n' });
    const missing = await runCli(['reprocess', '--user', EMAIL, '--from', '2025-03-30'], env);
    expect(missing).toMatchObject({ code: 2, err: 'giggles: reprocess: --to YYYY-MM-DD is required\n' });
    expect(stub.requests).toHaveLength(0);
  });

  it("shows a conflict reply's message and exits 1", async () => {
    stub.failWith = new QueryError('conflict', 'a job for 2025-03-30 is still running; try again when it is done');
    const run = await runCli(['reprocess', '--user', EMAIL, '--from', '2025-03-29', '--to', '2025-03-30'], env);
    expect(run).toMatchObject({ code: 1, out: '', err: 'giggles: reprocess: a job for 2025-03-30 is still running; try again when it is done (conflict)\n' });
  });

  it('prints the refusal while Limitless is unreachable word for word and exits 1', async () => {
    const words = "Limitless can't be reached right now, and 2 of these days hold results whose audio isn't kept in your archive — reprocessing now would lose them. Try again when Limitless answers.";
    stub.failWith = new QueryError('conflict', words);
    const run = await runCli(['reprocess', '--user', EMAIL, '--from', '2025-03-29', '--to', '2025-03-30'], env);
    expect(run).toMatchObject({ code: 1, out: '', err: `giggles: reprocess: ${words} (conflict)\n` });
  });
});

describe('giggles status', () => {
  it('prints the scheduler clock, jobs in flight, users and dead letters', async () => {
    const run = await runCli(['status'], env);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(stub.requests).toEqual([{ subject: COMMANDS.status, body: {} }]);
    expect(run.out).toContain('scheduler: last tick 2025-03-31T09:59:00.000Z (60 s ago); last reconciliation 2025-03-31T03:30:00.000Z (7 h ago) — deleted 3 orphan clips');
    expect(run.out).toContain('jobs in flight: 1');
    expect(run.out).toMatch(/ada@example\.com {2}2025-03-30 {2}nightly {2}running {2}5\/12 {5}3 min ago {2}day:/);
    expect(run.out).toContain('users: 2');
    expect(run.out).toMatch(/e-mail +timezone +key +last processed +open gap days +given up +failed imports/);
    expect(run.out).toMatch(/ada@example\.com +Europe\/Berlin +active +2025-03-29 +4: 2025-03-28, 2025-03-20, 2025-03-12, … +1: 2025-02-01 +2/);
    expect(run.out).toMatch(/bob@example\.com +America\/New_York +invalid +- +- +- +0/);
    expect(run.out).toMatch(/latest import errors:\n +e-mail +imported +file +error\n/);
    expect(run.out).toMatch(/ada@example\.com +2025-03-30T10:00:00\.000Z \(24 h ago\) +night\.ogg +not_audio: not an Ogg stream/);
    expect(run.out).not.toMatch(/bob@example\.com +2025/);
    expect(run.out).toContain('dead letters: 7');
    expect(run.out).toContain('2025-03-31T08:00:00.000Z  giggles.dead.giggles.segments.ready  corrupt audio: not an Ogg stream');
  });

  it('--json prints the reply', async () => {
    const run = await runCli(['status', '--json'], env);
    expect(JSON.parse(run.out)).toEqual(STATUS);
  });

  it("adds each user's kept audio when persistence answers for the archive", async () => {
    const archive = serveQueries(
      nc,
      {
        [QUERIES.archiveTotals]: async () => ({
          mode: 'filesystem' as const,
          retentionDays: 365,
          users: [{ userId: USER_ID, windows: 30, emptyWindows: 6, bytes: 212_500_000, days: 3, oldestDate: '2025-03-27', newestDate: '2025-03-29' }],
        }),
      },
      { logger: { error: () => undefined, warn: () => undefined, info: () => undefined } },
    );
    try {
      const run = await runCli(['status'], env);
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out).toContain('audio archive: filesystem, kept 365 days; 1 user, 212.5 MB');
      expect(run.out).toMatch(/user +size +windows +empty +days +oldest +newest/);
      // 30 windows with audio, 6 remembered as empty (no audio recorded), over 3 days.
      expect(run.out).toMatch(/ada@example\.com +212\.5 MB +30 +6 +3 +2025-03-27 +2025-03-29/);
      const json = JSON.parse((await runCli(['status', '--json'], env)).out);
      expect(json.archive).toMatchObject({ mode: 'filesystem', users: [{ userId: USER_ID, bytes: 212_500_000 }] });
    } finally {
      await archive.stop();
    }
  });
});

describe('failures', () => {
  it.each([
    ['not_found', 'no user with e-mail ada@example.com', 1, 'giggles: process: no user with e-mail ada@example.com (not_found)'],
    ['invalid_request', 'reprocess ranges are at most 31 days', 2, 'giggles: process: the scheduler refused the request: reprocess ranges are at most 31 days'],
    ['internal', 'database unavailable', 1, 'giggles: process: the scheduler failed (internal): database unavailable'],
  ])('a %s reply: its message on one line', async (code, message, exit, line) => {
    stub.failWith = new QueryError(code, message);
    const run = await runCli(['process', '--user', EMAIL, '--date', '2025-03-30'], env);
    expect(run).toMatchObject({ code: exit, out: '', err: `${line}\n` });
  });

  it('nobody answering: says which subject and server, and asks whether the scheduler runs', async () => {
    const bare = await startNats({ mode: 'private' });
    try {
      const run = await runCli(['status', '--nats', bare.url], {});
      expect(run).toMatchObject({ code: 1, out: '', err: `giggles: status: no scheduler answered on ${COMMANDS.status} at ${bare.url}: is the scheduler running?\n` });
    } finally {
      await bare.stop();
    }
  });

  it('--nats wins over NATS_URL; an unreachable server fails fast with one line', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const run = await runCli(['status', '--nats', url, '--timeout', '2'], env);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`^giggles: status: cannot reach NATS at ${url}: .+\\n$`));
  });
});

describe('the giggles binary', () => {
  it('runs the operator commands from source (contracts load with legacy decorators) and exits with their code', async () => {
    const bin = path.join(__dirname, '..', 'bin', 'giggles.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'status', '--json'], { env: { ...process.env, NATS_URL: nats.url, TSX_TSCONFIG_PATH: '' } });
    expect(JSON.parse(stdout)).toEqual(STATUS);
    const usage = await promisify(execFile)(process.execPath, [bin, 'reprocess', '--user', EMAIL, '--from', '2025-01-02', '--to', '2025-01-01']).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({ code: 2, stderr: 'giggles: reprocess: --to 2025-01-01 is before --from 2025-01-02\n' });
  });
});
