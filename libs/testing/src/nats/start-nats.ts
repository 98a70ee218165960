import { existsSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { freePort } from '../net/free-port';
import { type ManagedProcess, startProcess } from '../process/managed-process';
import { makeTempDir } from '../process/temp-dir';
import { waitFor } from '../process/wait-for';
import { resetJetStream } from './reset-jetstream';

export interface StartNatsOptions {
  /**
   * auto (default): use `url` or NATS_URL when set, else start a private server.
   * external: require url/NATS_URL. private: always start a private server.
   */
  mode?: 'auto' | 'external' | 'private';
  url?: string;
  /** On an external server, delete Giggles streams and buckets first (default true). */
  reset?: boolean;
  /** nats-server binary (default: NATS_SERVER_BIN, then nats-server on PATH, then /usr/sbin). */
  binary?: string;
}

export interface NatsHandle {
  url: string;
  /** True when this handle started its own nats-server (isolated JetStream store). */
  private: boolean;
  /** Stream names deleted by the reset of an external server. */
  deletedStreams: string[];
  /** JetStream store directory of a private server (removed by stop). */
  storeDir?: string;
  logs(): string;
  stop(): Promise<void>;
}

export async function startNats(options: StartNatsOptions = {}): Promise<NatsHandle> {
  const mode = options.mode ?? 'auto';
  const externalUrl = options.url ?? process.env.NATS_URL;
  if (mode === 'external' || (mode === 'auto' && externalUrl)) {
    if (!externalUrl) throw new Error('startNats: mode external needs url or NATS_URL');
    const nc = await connect({ servers: externalUrl, timeout: 5000 });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.getAccountInfo(); // fails fast when JetStream is not enabled
      const deletedStreams = options.reset === false ? [] : await resetJetStream(nc);
      return { url: externalUrl, private: false, deletedStreams, logs: () => '', stop: async () => {} };
    } finally {
      await nc.close();
    }
  }
  return startPrivateNats(options.binary ?? natsServerBinary());
}

export function natsServerBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/local/bin')) {
    if (dir && existsSync(`${dir}/nats-server`)) return `${dir}/nats-server`;
  }
  throw new Error('nats-server not found: set NATS_URL, NATS_SERVER_BIN, or install nats-server');
}

async function startPrivateNats(binary: string): Promise<NatsHandle> {
  const dir = makeTempDir('nats');
  let proc: ManagedProcess | undefined;
  try {
    const port = await freePort();
    proc = startProcess({
      name: 'nats-server',
      command: binary,
      args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir.path, '--name', `giggles-test-${port}`],
    });
    const p = proc;
    await waitFor(
      () => {
        if (p.hasExited()) throw new Error(`nats-server exited:\n${p.logs()}`);
        return /Server is ready/.test(p.logs());
      },
      { what: 'nats-server to be ready', timeoutMs: 15_000, details: () => p.logs() },
    );
    return {
      url: `nats://127.0.0.1:${port}`,
      private: true,
      deletedStreams: [],
      storeDir: dir.path,
      logs: () => p.logs(),
      async stop() {
        await p.stop();
        dir.remove();
      },
    };
  } catch (err) {
    await proc?.stop();
    dir.remove();
    throw err;
  }
}
