import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type ManagedProcess } from '@giggles/testing';

const SERVICE_ROOT = join(__dirname, '..', '..');

/**
 * The inference service as its own process: `src/main.ts` from source (tsx + the `@giggles/source`
 * condition; no build needed), or the built `dist/main.js` as the image runs it.
 */
export function startInferenceProcess(name: string, env: Record<string, string> & { HEALTH_PORT: string }, options: { dist?: boolean } = {}): ManagedProcess {
  const args = options.dist
    ? [join(SERVICE_ROOT, 'dist', 'main.js')] // the build (`nx run inference:build`), as in the image
    : ['--conditions=@giggles/source', '--import', require.resolve('tsx'), join(SERVICE_ROOT, 'src', 'main.ts')];
  return startProcess({
    name,
    command: process.execPath,
    args,
    cwd: SERVICE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      // esbuild applies experimentalDecorators only to files the tsconfig includes: this one includes the libs.
      TSX_TSCONFIG_PATH: join(SERVICE_ROOT, 'tsconfig.run.json'),
      LOG_LEVEL: 'info',
      ...env,
    },
  });
}

/** Parsed JSON log lines of a process (non-JSON lines are skipped). */
export function logLines(proc: ManagedProcess): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of proc.logs().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by the log buffer
    }
  }
  return lines;
}

export function countLogs(proc: ManagedProcess, msg: string): number {
  return logLines(proc).filter((l) => l.msg === msg).length;
}

/** Peak and current resident set of a process, from /proc (Linux), in MiB. */
export function memoryOf(pid: number): { peakRssMb: number; rssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(/^(\w+):\s+(\d+) kB$/m.exec(status.split('\n').find((l) => l.startsWith(`${key}:`)) ?? '')?.[2] ?? NaN);
    return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}
