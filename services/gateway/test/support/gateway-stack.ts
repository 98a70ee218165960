/**
 * The gateway against the real system for API tests: the harness (private nats-server, a fresh
 * Postgres database migrated by persistence's migrations, PostgREST, the Supabase Auth simulator,
 * the Limitless simulator), persistence and the scheduler as in-process Nest apps built exactly as
 * their main.ts builds them, and the gateway on a free port. `register()` gives a signed-in user
 * with a cookie agent (CSRF header handled) and a bearer token.
 *
 * ```ts
 * let stack: GatewayStack;
 * beforeAll(async () => { stack = await startGatewayStack(); });
 * afterAll(() => stack?.stop());
 * const ada = await stack.register();
 * await ada.agent.get('/api/me').expect(200);
 * await request(stack.baseUrl).get('/api/me').set('Authorization', `Bearer ${ada.accessToken}`).expect(200);
 * ```
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { createLogger } from '@giggles/observability';
import { createPersistenceApp, loadPersistenceConfig, runMigrations } from '@giggles/persistence';
import { createSchedulerApp, createSchedulerLogger, type SchedulerApp } from '@giggles/scheduler';
import { freePort, startHarness, type Harness, type HarnessOptions } from '@giggles/testing';
import { Pool } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createGatewayApp, type GatewayApp } from '../../src/bootstrap';
import { createGatewayLogger } from '../../src/logging/logger';
import { COOKIES, CSRF_HEADER } from '../../src/auth/session-cookies';

export type Agent = TestAgent;

export interface GatewayStackOptions {
  /** Extra gateway environment (wins over the stack's). */
  env?: Record<string, string>;
  /** Algorithm the Supabase Auth simulator signs access tokens with (default HS256; ES256 → the gateway verifies through the JWKS). */
  authAlg?: 'HS256' | 'ES256';
  /** Keys the Limitless simulator accepts from the start (more with `harness.limitless.addKey`). */
  limitlessKeys?: string[];
  /** Extra harness options. */
  harness?: Partial<HarnessOptions>;
  /** Extra persistence environment (e.g. AUDIO_ARCHIVE). */
  persistenceEnv?: Record<string, string>;
  /** Extra scheduler environment (e.g. short SCHEDULER_BACKFILL_INTERVAL). */
  schedulerEnv?: Record<string, string>;
  /** The scheduler's "now" (default the system clock): a test moves it past SCHEDULER_API_OUTAGE_PAUSE_AFTER. */
  schedulerClock?: { now(): number };
  /** Whether the scheduler runs its own tick and backfill timers (default false: tests call tick()). */
  schedulerTimers?: boolean;
}

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  timezone: string;
  /** Carries the session cookies and sends X-CSRF-Token on every request. */
  agent: Agent;
  /** For `Authorization: Bearer` (API clients: no CSRF). */
  accessToken: string;
  refreshToken: string;
  csrfToken: string;
}

export interface GatewayStack {
  /** The gateway's public base URL (`http://127.0.0.1:<port>`; the API under /api). */
  baseUrl: string;
  gateway: GatewayApp;
  harness: Harness;
  persistence: INestApplication;
  scheduler: SchedulerApp;
  /** GIGGLES_ENCRYPTION_KEY shared by the gateway and persistence (hex). */
  encryptionKey: string;
  /** Directory persistence keeps clip files in. */
  clipDir: string;
  /** The gateway's environment (for starting another gateway with changes). */
  gatewayEnv: Record<string, string>;
  /** Every log line of the gateways, persistence and the scheduler so far (to assert a secret never appears). */
  logs(): string;
  sql<T extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A new account through POST /api/account (cookies) plus a bearer token from the legacy login. */
  register(email?: string, password?: string, timezone?: string): Promise<TestUser>;
  /** A cookie agent signed in through POST /api/session (CSRF header handled). */
  signIn(email: string, password: string): Promise<{ agent: Agent; csrfToken: string }>;
  /** Another gateway on the same system with these env changes (stopped by `stop()`). */
  startGateway(env?: Record<string, string>): Promise<GatewayApp>;
  stop(): Promise<void>;
}

export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_PASSWORD = 'correct horse battery staple';
export const DEFAULT_TIMEZONE = 'Europe/Berlin';

export async function startGatewayStack(options: GatewayStackOptions = {}): Promise<GatewayStack> {
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  };
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  try {
    const harness = await startHarness({
      nats: { mode: 'private' },
      postgres: { url: ADMIN_URL, databasePrefix: 'giggles_gw' },
      migrate: async (url) => {
        await runMigrations({ connectionString: url });
      },
      authAlg: options.authAlg,
      jwtKeys: 'fresh',
      limitless: { keys: options.limitlessKeys ?? [], seed: 1 },
      storageBuckets: ['clips'],
      ...options.harness,
    });
    cleanups.push(() => harness.stop());
    await harness.reloadSchema('users');
    const pool = new Pool({ connectionString: harness.databaseUrl, max: 2 });
    pool.on('error', () => undefined); // the database is dropped WITH (FORCE) on stop
    cleanups.push(() => pool.end());

    const clipDir = await mkdtemp(join(tmpdir(), 'giggles-gw-clips-'));
    cleanups.push(() => rm(clipDir, { recursive: true, force: true }));
    const encryptionKey = randomBytes(32).toString('hex');
    const persistenceConfig = loadPersistenceConfig({
      NATS_URL: harness.natsUrl,
      SUPABASE_URL: harness.supabaseUrl,
      SUPABASE_SERVICE_ROLE_KEY: harness.serviceRoleKey,
      GIGGLES_ENCRYPTION_KEY: encryptionKey,
      DATABASE_URL: harness.databaseUrl,
      CLIP_STORAGE_DIR: clipDir,
      HEALTH_PORT: String(await freePort()),
      MEMORY_LIMIT_MB: '8192',
      ...options.persistenceEnv,
    });
    const persistence = await createPersistenceApp(persistenceConfig, createLogger({ service: 'persistence', level: 'info', destination: sink }), { host: '127.0.0.1' });
    cleanups.push(() => persistence.close());

    const scheduler = await createSchedulerApp({
      env: { NATS_URL: harness.natsUrl, HEALTH_PORT: String(await freePort()), MEMORY_LIMIT_MB: '8192', LOG_LEVEL: 'info', ...options.schedulerEnv },
      logger: createSchedulerLogger('info', sink),
      clock: options.schedulerClock,
      timers: options.schedulerTimers ?? false,
      host: '127.0.0.1',
    });
    cleanups.push(() => scheduler.close());

    const gatewayEnv: Record<string, string> = {
      NATS_URL: harness.natsUrl!,
      SUPABASE_URL: harness.supabaseUrl!,
      SUPABASE_ANON_KEY: harness.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: harness.serviceRoleKey,
      ...(options.authAlg === 'ES256'
        ? { SUPABASE_JWKS_URL: `${harness.supabaseUrl}/auth/v1/.well-known/jwks.json` }
        : { SUPABASE_JWT_SECRET: harness.jwtKeys.secret }),
      GIGGLES_ENCRYPTION_KEY: encryptionKey,
      LIMITLESS_API_URL: harness.limitless!.url,
      GATEWAY_PORT: '0',
      MEMORY_LIMIT_MB: '8192',
      LOG_LEVEL: 'info',
      // supertest's cookie jar keeps Secure cookies off plain http; the Secure flag has its own test.
      GATEWAY_COOKIE_SECURE: 'false',
      // Tests register many users from one address; the throttling test starts a gateway with low limits.
      GATEWAY_AUTH_THROTTLE_LIMIT: '100000',
      GATEWAY_THROTTLE_LIMIT: '1000000',
      GATEWAY_READY_PROBE_TIMEOUT: '1s',
      // this stack runs no ingestion or inference; libs/e2e/test/health.spec.ts checks all four
      GATEWAY_HEALTH_SERVICES: 'persistence,scheduler',
      ...options.env,
    };
    const extraGateways: GatewayApp[] = [];
    const startGateway = async (env: Record<string, string> = {}) => {
      const app = await createGatewayApp({ env: { ...gatewayEnv, HEALTH_PORT: String(await freePort()), ...env }, logger: createGatewayLogger('info', sink), host: '127.0.0.1' });
      extraGateways.push(app);
      return app;
    };
    const gateway = await createGatewayApp({ env: { ...gatewayEnv, HEALTH_PORT: String(await freePort()) }, logger: createGatewayLogger('info', sink), host: '127.0.0.1' });
    cleanups.push(async () => {
      for (const g of extraGateways.splice(0)) await g.close().catch(() => undefined);
      await gateway.close();
    });
    const baseUrl = gateway.url;

    const signIn = async (email: string, password: string) => {
      const agent = request.agent(baseUrl);
      const res = await agent.post('/api/session').send({ email, password });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      const csrfToken = cookieValue(res.headers['set-cookie'], COOKIES.csrf);
      agent.set(CSRF_HEADER, csrfToken);
      return { agent, csrfToken };
    };

    return {
      baseUrl,
      gateway,
      harness,
      persistence,
      scheduler,
      encryptionKey,
      clipDir,
      gatewayEnv,
      logs: () => lines.join(''),
      sql: async <T extends object>(text: string, params?: unknown[]) => (await pool.query<T>(text, params)).rows,
      async register(email = `user-${randomUUID()}@example.test`, password = DEFAULT_PASSWORD, timezone = DEFAULT_TIMEZONE) {
        const agent = request.agent(baseUrl);
        const res = await agent.post('/api/account').send({ email, password, timezone });
        if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
        const csrfToken = cookieValue(res.headers['set-cookie'], COOKIES.csrf);
        agent.set(CSRF_HEADER, csrfToken);
        const login = await request(baseUrl).post('/api/auth/login').send({ email, password });
        if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
        return {
          userId: res.body.user.id as string,
          email: res.body.user.email as string,
          password,
          timezone,
          agent,
          accessToken: login.body.access_token as string,
          refreshToken: login.body.refresh_token as string,
          csrfToken,
        };
      },
      signIn,
      startGateway,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    if (lines.length > 0) process.stderr.write(`gateway stack failed to start; logs:\n${lines.slice(-40).join('')}\n`);
    throw error;
  }
}

/** A cookie's value from Set-Cookie headers (throws when it is not there). */
export function cookieValue(setCookie: string | string[] | undefined, name: string): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const header of all) {
    const [pair] = header.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) return decodeURIComponent(pair.slice(eq + 1));
  }
  throw new Error(`no ${name} cookie in ${JSON.stringify(all.map((h) => h.split('=')[0]))}`);
}

/** The Set-Cookie header of one cookie (to check its attributes). */
export function setCookieHeader(setCookie: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return all.find((h) => h.startsWith(`${name}=`));
}
