import { execFileSync } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { freePort } from '../net/free-port';
import { type ManagedProcess, startProcess } from '../process/managed-process';
import { makeTempDir } from '../process/temp-dir';
import { waitFor } from '../process/wait-for';
import { canConnect } from './pg-admin';

export interface StartPostgresServerOptions {
  /**
   * auto (default): use `url` or DATABASE_URL when set, else start a private cluster.
   * external: require url/DATABASE_URL. private: always start a private cluster (initdb).
   */
  mode?: 'auto' | 'external' | 'private';
  /** A connection URL to an existing server (a superuser that may create databases). */
  url?: string;
  /** Directory holding initdb and postgres (default PG_BIN_DIR, then /usr/lib/postgresql/<15..>/bin). */
  binDir?: string;
}

export interface PostgresServer {
  /** A superuser URL on this server (its database is an existing one, used for admin work). */
  adminUrl: string;
  private: boolean;
  /** Data directory of a private cluster (removed by stop). */
  dataDir?: string;
  logs(): string;
  stop(): Promise<void>;
}

export async function startPostgresServer(options: StartPostgresServerOptions = {}): Promise<PostgresServer> {
  const mode = options.mode ?? 'auto';
  const url = options.url ?? process.env.DATABASE_URL;
  if (mode === 'external' || (mode === 'auto' && url)) {
    if (!url) throw new Error('startPostgresServer: mode external needs url or DATABASE_URL');
    await canConnect(url);
    return { adminUrl: url, private: false, logs: () => '', stop: async () => {} };
  }
  return startPrivateCluster(options.binDir ?? postgresBinDir());
}

export function postgresBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  for (const v of [17, 16, 15, 14, 13]) {
    const dir = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(`${dir}/initdb`)) return dir;
  }
  throw new Error('PostgreSQL binaries not found: set DATABASE_URL or PG_BIN_DIR');
}

/** initdb refuses to run as root: run the cluster as the `postgres` OS user when we are root. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function startPrivateCluster(binDir: string): Promise<PostgresServer> {
  const dir = makeTempDir('pg');
  const owner = clusterOwner();
  if (owner) chownSync(dir.path, owner.uid, owner.gid);
  const data = `${dir.path}/data`;
  let proc: ManagedProcess | undefined;
  try {
    execFileSync(
      `${binDir}/initdb`,
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'],
      { uid: owner?.uid, gid: owner?.gid, stdio: 'pipe', cwd: dir.path },
    );
    const port = await freePort();
    proc = startProcess({
      name: 'postgres',
      command: `${binDir}/postgres`,
      args: [
        '-D', data, '-p', String(port), '-k', dir.path,
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
        '-c', 'max_connections=50', '-c', 'shared_buffers=32MB',
      ],
      uid: owner?.uid,
      gid: owner?.gid,
      cwd: dir.path,
      stopSignal: 'SIGINT', // fast shutdown: do not wait for clients
    });
    const p = proc;
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitFor(
      async () => {
        if (p.hasExited()) throw new Error(`postgres exited:\n${p.logs()}`);
        return canConnect(adminUrl).then(() => true);
      },
      { what: 'private postgres to accept connections', timeoutMs: 30_000, details: () => p.logs() },
    );
    return {
      adminUrl,
      private: true,
      dataDir: data,
      logs: () => p.logs(),
      async stop() {
        await p.stop(10_000);
        dir.remove();
      },
    };
  } catch (err) {
    await proc?.stop();
    dir.remove();
    throw err;
  }
}
