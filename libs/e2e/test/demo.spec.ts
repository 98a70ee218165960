/**
 * `npm run demo` as a person (or a script) uses it: the demo runs as a child process with --json
 * (its own private NATS, Postgres cluster, PostgREST, simulators and the five services), the one
 * JSON line it prints is the only way in; the printed credentials sign in through the API and see
 * yesterday's laughs; a second user registered in the same demo sees none of them; SIGTERM stops
 * the demo cleanly and leaves none of its processes behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays, GatewayClient, localDateOf } from '@giggles/e2e';
import { repoRoot } from '@giggles/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES_TSCONFIG } from '../src/relaunch';
import { logDirPolicy } from './support/settings';

/** Not UTC (the machine's zone), so grouping days in UTC by mistake would show. */
const TIMEZONE = 'Asia/Kolkata';
const READY_TIMEOUT_MS = 360_000;
const STOP_TIMEOUT_MS = 90_000;

interface Ready {
  url: string;
  email: string;
  password: string;
  natsUrl: string;
}

describe('npm run demo', () => {
  const root = repoRoot(__dirname);
  let demo: ChildProcess;
  let stdout = '';
  let stderr = '';
  let ready: Ready;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  const logDir = mkdtempSync(join(tmpdir(), 'giggles-demo-test-'));
  const cleanLogs = logDirPolicy(afterEach);
  const yesterday = addDays(localDateOf(Date.now(), TIMEZONE), -1);

  beforeAll(async () => {
    const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
    // A fresh machine: no DATABASE_URL or NATS_URL, so the demo starts its own Postgres cluster and nats-server.
    const { DATABASE_URL: _db, NATS_URL: _nats, ...env } = process.env;
    demo = spawn(process.execPath, ['--conditions=@giggles/source', '--import', tsx, join(root, 'libs/e2e/scripts/demo.ts'), '--json', '--port', '0', '--timezone', TIMEZONE, '--log-dir', logDir], {
      cwd: root,
      env: { ...env, TSX_TSCONFIG_PATH: SERVICES_TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exit = new Promise((resolve) => demo.once('exit', (code, signal) => resolve({ code, signal })));
    demo.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (process.env.E2E_VERBOSE) process.stderr.write(d);
    });
    ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no JSON line after ${READY_TIMEOUT_MS} ms; stderr:\n${stderr.slice(-4000)}`)), READY_TIMEOUT_MS);
      demo.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
        if (line && stdout.includes('\n')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as Ready);
        }
      });
      void exit.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the demo exited (${code ?? signal}) before it was ready; stderr:\n${stderr.slice(-4000)}`));
      });
    });
  }, READY_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      demo.kill('SIGTERM');
      await Promise.race([exit, new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
    }
    cleanLogs(logDir, ready !== undefined);
  }, STOP_TIMEOUT_MS + 10_000);

  it('prints exactly one JSON line with the URL, the credentials and the NATS URL', () => {
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(Object.keys(ready).sort()).toEqual(['email', 'natsUrl', 'password', 'url']);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.password.length).toBeGreaterThanOrEqual(8);
  });

  it('signs in with the printed credentials over plain http and sees yesterday’s laughs, with clips', async () => {
    const client = new GatewayClient(ready.url);
    const me = await client.signIn(ready.email, ready.password);
    expect(me).toMatchObject({ email: ready.email, timezone: TIMEZONE, key: { state: 'active' } });

    const days = await client.json<{ timezone: string; days: Array<{ localDate: string; laughCount: number; audioSeconds: number; state: string }> }>('GET', '/api/days');
    const day = days.days.find((d) => d.localDate === yesterday);
    expect(day, `days: ${JSON.stringify(days.days.map((d) => d.localDate))}`).toBeDefined();
    expect(day!.laughCount).toBeGreaterThan(0);
    expect(day!.audioSeconds).toBeGreaterThan(60);
    expect(day!.state).toBe('done');

    const laughs = await client.json<{ total: number; laughs: Array<{ id: string; localTime: string; clipUrl: string | null }> }>('GET', `/api/days/${yesterday}/laughs`);
    expect(laughs.total).toBe(day!.laughCount);
    // The demo's recordings are placed from 08:00 local time on: no laugh before then.
    for (const laugh of laughs.laughs) expect(laugh.localTime >= '08:00:00').toBe(true);
    const withClip = laughs.laughs.find((l) => l.clipUrl);
    expect(withClip).toBeDefined();
    const clip = await client.request('GET', withClip!.clipUrl!);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toMatch(/^audio\/wav/);
    const bytes = Buffer.from(await clip.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
  });

  it('serves the web app at the printed URL', async () => {
    const res = await fetch(ready.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('keeps a second user registered in the same demo away from the demo user’s laughs', async () => {
    const demoUser = new GatewayClient(ready.url);
    await demoUser.signIn(ready.email, ready.password);
    const theirs = await demoUser.json<{ laughs: Array<{ id: string }> }>('GET', `/api/days/${yesterday}/laughs`);
    expect(theirs.laughs.length).toBeGreaterThan(0);

    const other = new GatewayClient(ready.url);
    await other.register('second-user@example.com', 'second-user-password', TIMEZONE);
    const days = await other.json<{ days: unknown[] }>('GET', '/api/days');
    expect(days.days).toEqual([]);
    const day = await other.request('GET', `/api/days/${yesterday}/laughs`);
    if (day.status === 200) expect(((await day.json()) as { total: number }).total).toBe(0);
    else expect(day.status).toBe(404);
    const clip = await other.request('GET', `/api/laughs/${theirs.laughs[0].id}/clip`);
    expect(clip.status).toBe(404);
    const edit = await other.request('PATCH', `/api/laughs/${theirs.laughs[0].id}`, { notes: 'not mine' });
    expect(edit.status).toBe(404);
  });

  it('stops on SIGTERM: exit code 0, and none of its processes (nats-server, postgres, postgrest, services) left', async () => {
    const family = descendantsOf(demo.pid!);
    const names = family.map((p) => p.command);
    expect(names.some((n) => n.includes('nats-server'))).toBe(true);
    expect(names.some((n) => n.includes('postgres'))).toBe(true);
    expect(names.some((n) => n.includes('postgrest'))).toBe(true);
    expect(family.length).toBeGreaterThanOrEqual(8);

    demo.kill('SIGTERM');
    const result = await Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS))]);
    expect(result).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('stopped');
    // Orphans are re-parented, so look them up by pid and start time, not by parentage.
    const left = family.filter((p) => alive(p));
    expect(left.map((p) => `${p.pid} ${p.command}`)).toEqual([]);
  }, STOP_TIMEOUT_MS + 10_000);
});

interface ProcInfo {
  pid: number;
  ppid: number;
  startTime: string;
  command: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie holds nothing but its pid
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() || stat.slice(stat.indexOf('(') + 1, close);
    return { pid, ppid: Number(fields[1]), startTime: fields[19], command };
  } catch {
    return undefined;
  }
}

/** Every live process below `root` in the process tree. */
function descendantsOf(root: number): ProcInfo[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== undefined);
  const out: ProcInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of all) {
      if (p.ppid === parent) {
        out.push(p);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

function alive(p: ProcInfo): boolean {
  if (!existsSync(`/proc/${p.pid}`)) return false;
  const now = readProc(p.pid);
  return now !== undefined && now.startTime === p.startTime;
}
