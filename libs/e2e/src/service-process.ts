import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startProcess, type ManagedProcess } from '@giggles/testing';

export const SERVICE_NAMES = ['persistence', 'ingestion', 'inference'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** Every service that can run as a process: the pipeline's three, plus the scheduler and the gateway (npm run demo, bench:gateway). */
export type AnyServiceName = ServiceName | 'scheduler' | 'gateway';

/**
 * How a service process is started:
 * - `source` (default): `node --conditions=@giggles/source --import tsx services/X/src/main.ts`,
 *   with TSX_TSCONFIG_PATH = libs/e2e/tsconfig.services.json so esbuild compiles the decorators of
 *   every service and lib file as legacy (experimental) decorators. esbuild emits no decorator
 *   metadata; that works because every Nest injection in the services names its token with
 *   `@Inject(...)`. No build step, always the current sources.
 * - `dist`: `node services/X/dist/main.js` after `npx nx run-many -t build -p ingestion inference persistence`
 *   (tsc emits the metadata; what the Docker images run).
 */
export type ServiceMode = 'source' | 'dist';

export interface ServiceSpec {
  name: AnyServiceName;
  repoRoot: string;
  mode: ServiceMode;
  env: Record<string, string>;
  healthPort: number;
  logFile: string;
}

export interface ServiceProcess {
  readonly name: AnyServiceName;
  readonly healthPort: number;
  readonly logFile: string;
  /** The current incarnation (a restart replaces it). */
  readonly proc: ManagedProcess;
  readonly pid: number;
  /** Every incarnation's output, oldest first. */
  logs(): string;
  /** Parsed JSON log lines of every incarnation (other lines skipped). */
  jsonLogs(): Array<Record<string, unknown>>;
  /** Resolves once /health/ready answers 200 (or, without a health server, once it logged "<name> ready"). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Max VmHWM (peak resident set, MiB) over every incarnation sampled so far, this one included. */
  peakRssMb(): number;
  /** Current VmRSS in MiB (undefined once exited). */
  rssMb(): number | undefined;
  /** CPU seconds (user + system) used by every incarnation sampled so far, this one included. */
  cpuSeconds(): number;
  /** Sends a signal now (e.g. SIGKILL for a crash); samples the peak first. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts a new incarnation with the same env (after kill or stop). */
  restart(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  /** True when the current incarnation exited although nobody stopped or killed it. */
  crashed(): boolean;
}

export function serviceEntry(repoRoot: string, name: AnyServiceName, mode: ServiceMode): { command: string; args: string[]; cwd: string; env: Record<string, string> } {
  const root = join(repoRoot, 'services', name);
  if (mode === 'dist') {
    const main = join(root, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npx nx run-many -t build -p ${name}" first`);
    return { command: process.execPath, args: [main], cwd: root, env: {} };
  }
  const main = join(root, 'src', 'main.ts');
  if (!existsSync(main)) throw new Error(`${main} does not exist yet`);
  if (name === 'gateway') {
    // Its OpenAPI document needs decorator metadata, which tsx does not emit: SWC compiles it (see swc-register.cjs).
    return { command: process.execPath, args: ['--conditions=@giggles/source', '-r', join(repoRoot, 'libs', 'e2e', 'src', 'swc-register.cjs'), main], cwd: root, env: {} };
  }
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [repoRoot] })).href;
  return {
    command: process.execPath,
    args: ['--conditions=@giggles/source', '--import', tsx, main],
    cwd: root,
    env: { TSX_TSCONFIG_PATH: join(repoRoot, 'libs', 'e2e', 'tsconfig.services.json') },
  };
}

/** CPU seconds (user + system, not children) of a live process, from /proc/<pid>/stat. */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux Node supports. */
const CLOCK_TICKS = 100;

/** Peak (VmHWM) and current (VmRSS) resident set of a live process, in MiB, from /proc. */
export function procMemory(pid: number): { peakMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
    const peak = kb('VmHWM');
    const rss = kb('VmRSS');
    if (!Number.isFinite(peak)) return undefined;
    return { peakMb: peak / 1024, rssMb: rss / 1024 };
  } catch {
    return undefined;
  }
}

export function parseJsonLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by the capture buffer
    }
  }
  return out;
}

export function startService(spec: ServiceSpec): ServiceProcess {
  const entry = serviceEntry(spec.repoRoot, spec.name, spec.mode);
  let peak = 0;
  let cpuEarlier = 0;
  let cpuCurrent = 0;
  let earlierLogs = '';
  let expectedExit = false;
  const spawnOne = (): ManagedProcess => {
    expectedExit = false;
    return startProcess({
      name: spec.name,
      command: entry.command,
      args: entry.args,
      cwd: entry.cwd,
      env: {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
        ...entry.env,
        ...spec.env,
        HEALTH_PORT: String(spec.healthPort),
      },
      logFile: spec.logFile,
      maxLogBytes: 4 << 20,
    });
  };
  let proc = spawnOne();
  const sample = () => {
    const m = procMemory(proc.pid);
    if (m) peak = Math.max(peak, m.peakMb);
    const cpu = procCpuSeconds(proc.pid);
    if (cpu !== undefined) cpuCurrent = cpu;
  };
  const readyLine = new RegExp(`"msg":"${spec.name} ready"`);

  const handle: ServiceProcess = {
    name: spec.name,
    healthPort: spec.healthPort,
    logFile: spec.logFile,
    get proc() {
      return proc;
    },
    get pid() {
      return proc.pid;
    },
    logs: () => earlierLogs + proc.logs(),
    jsonLogs: () => parseJsonLines(earlierLogs + proc.logs()),
    async waitReady(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let last = 'not started';
      let loggedReadyAt: number | undefined;
      for (;;) {
        if (proc.hasExited()) throw new Error(`${spec.name} exited during start-up (see ${spec.logFile}):\n${tail(proc.logs(), 4000)}`);
        const logged = readyLine.test(proc.logs());
        if (logged && loggedReadyAt === undefined) loggedReadyAt = Date.now();
        try {
          const res = await fetch(`http://127.0.0.1:${spec.healthPort}/health/ready`, { signal: AbortSignal.timeout(2_000) });
          const body = await res.text();
          if (res.status === 200) return;
          last = `/health/ready ${res.status}: ${body.slice(0, 500)}`;
          // Logged ready but readiness stays down (e.g. an indicator that needs traffic): go on after 20 s.
          if (loggedReadyAt !== undefined && Date.now() - loggedReadyAt > 20_000) return;
        } catch (error) {
          last = `/health/ready: ${(error as Error).message}`;
          // No health server at all (the service has none): its "ready" log line is the signal.
          if (logged && Date.now() - (loggedReadyAt ?? 0) > 1_000) return;
        }
        if (Date.now() > deadline) throw new Error(`${spec.name} not ready after ${timeoutMs} ms (${last}); see ${spec.logFile}:\n${tail(proc.logs(), 4000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    peakRssMb() {
      sample();
      return peak;
    },
    rssMb: () => procMemory(proc.pid)?.rssMb,
    cpuSeconds() {
      sample();
      return cpuEarlier + cpuCurrent;
    },
    async kill(signal) {
      sample();
      expectedExit = true;
      proc.child.kill(signal);
      await proc.exited;
    },
    async restart() {
      if (!proc.hasExited()) await handle.stop();
      earlierLogs += proc.logs();
      cpuEarlier += cpuCurrent;
      cpuCurrent = 0;
      proc = spawnOne();
    },
    async stop(graceMs = 10_000) {
      sample();
      expectedExit = true;
      await proc.stop(graceMs);
    },
    crashed: () => proc.hasExited() && !expectedExit,
  };
  return handle;
}

export function tail(text: string, chars: number): string {
  return text.length <= chars ? text : `…${text.slice(text.length - chars)}`;
}
