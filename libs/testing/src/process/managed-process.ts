import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/** A child process whose output is kept (last `maxLogBytes`) and which is killed on stop or exit. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Captured stdout+stderr (tail). */
  logs(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string>;
  hasExited(): boolean;
  /** stopSignal (default SIGTERM), then SIGKILL after graceMs; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Also append output to this file. */
  logFile?: string;
  maxLogBytes?: number;
  /** Signal for a graceful stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: a test run that dies without calling stop() must not leave servers behind.
  process.once('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export function startProcess(opts: StartProcessOptions): ManagedProcess {
  installExitHook();
  const spawnOpts: SpawnOptions = {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: opts.uid,
    gid: opts.gid,
  };
  const child = spawn(opts.command, opts.args ?? [], spawnOpts);
  const max = opts.maxLogBytes ?? 1 << 20;
  let buf = '';
  let exitedFlag = false;
  const onData = (d: Buffer) => {
    const s = d.toString('utf8');
    buf += s;
    if (buf.length > max) buf = buf.slice(buf.length - max);
    if (opts.logFile) appendFileSync(opts.logFile, s);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  live.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      exitedFlag = true;
      live.delete(child);
      buf += `\n[spawn error] ${err.message}\n`;
      resolve(`error: ${err.message}`);
    });
  });
  return {
    name: opts.name,
    child,
    pid: child.pid ?? -1,
    logs: () => buf,
    exited,
    hasExited: () => exitedFlag,
    async stop(graceMs = 5000) {
      if (exitedFlag) return;
      child.kill(opts.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => {
        if (!exitedFlag) child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
