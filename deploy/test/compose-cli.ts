/**
 * The compose test's handle on the stack: `docker compose` with the files and env file the
 * driver script chose (GIGGLES_COMPOSE_ARGS, from the repository root), `docker inspect`, and a
 * phase timer whose figures the driver prints.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { repoRoot } from '@giggles/testing';

const root = repoRoot();

function composeArgs(): string[] {
  const args = process.env.GIGGLES_COMPOSE_ARGS;
  if (!args) throw new Error('GIGGLES_COMPOSE_ARGS is not set: run this through npm run test:compose');
  return args.split(' ').filter(Boolean);
}

export function compose(args: string[], options: ExecFileSyncOptions & { input?: string | Buffer } = {}): string {
  return execFileSync('docker', ['compose', ...composeArgs(), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  }) as string;
}

export function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a repository script (backup, restore) with the stack's compose command. */
export function runScript(script: string, args: string[]): string {
  return execFileSync('bash', [script, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GIGGLES_COMPOSE: `docker compose ${composeArgs().join(' ')}` },
  });
}

/** Container ids of one service (all replicas). */
export function containerIds(service: string): string[] {
  return compose(['ps', '-q', service]).split('\n').filter(Boolean);
}

export interface ContainerState {
  name: string;
  pid: number;
  restartCount: number;
  health?: string;
  memoryBytes: number;
  restartPolicy: string;
  healthcheck?: string[];
  running: boolean;
}

export function inspect(id: string): ContainerState {
  const [c] = JSON.parse(docker(['inspect', id])) as Array<{
    Name: string;
    RestartCount: number;
    State: { Pid: number; Running: boolean; Health?: { Status: string } };
    HostConfig: { Memory: number; RestartPolicy: { Name: string } };
    Config: { Healthcheck?: { Test?: string[] } };
  }>;
  return {
    name: c.Name.replace(/^\//, ''),
    pid: c.State.Pid,
    restartCount: c.RestartCount,
    health: c.State.Health?.Status,
    memoryBytes: c.HostConfig.Memory,
    restartPolicy: c.HostConfig.RestartPolicy.Name,
    healthcheck: c.Config.Healthcheck?.Test,
    running: c.State.Running,
  };
}

export async function waitUntil<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * What a failed start leaves to read: every container's state and health, and the last log lines
 * and health-check outputs of those not running healthy — without it a CI log only says
 * "container X is unhealthy".
 */
export function printStackDiagnosis(): void {
  const run = (label: string, fn: () => string) => {
    try {
      process.stdout.write(`\n==> [compose-test] ${label}\n${fn()}\n`);
    } catch (error) {
      process.stdout.write(`\n==> [compose-test] ${label}: ${(error as Error).message}\n`);
    }
  };
  run('docker compose ps -a', () => compose(['ps', '-a', '--format', 'table {{.Service}}\t{{.State}}\t{{.Status}}']));
  const lines = compose(['ps', '-a', '--format', '{{.Service}} {{.ID}} {{.State}} {{.Health}}']).trim().split('\n').filter(Boolean);
  for (const line of lines) {
    const [service, id, state, health] = line.split(' ');
    if (state === 'running' && (health === '' || health === undefined || health === 'healthy')) continue;
    run(`${service} (${state} ${health ?? ''}): health-check log`, () =>
      docker(['inspect', '--format', '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}', id]));
    run(`${service}: last 80 log lines`, () =>
      execFileSync('docker', ['logs', '--tail', '80', id], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  }
}

const timings: Array<[string, number]> = [];
/** Runs one phase and records its duration (printed by printTimings). */
export async function phase<T>(name: string, run: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await run();
  } finally {
    const seconds = (Date.now() - started) / 1000;
    timings.push([name, seconds]);
    process.stdout.write(`[compose-test] ${name}: ${seconds.toFixed(1)} s\n`);
  }
}
export function printTimings(): void {
  for (const [name, s] of timings) process.stdout.write(`[compose-test] ${name.padEnd(40)} ${s.toFixed(1).padStart(7)} s\n`);
}
