import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { defaultJwtKeys, type JwtKeys } from '../jwt/keys';
import { mintJwt } from '../jwt/mint-jwt';
import { verifyJwt } from '../jwt/verify-jwt';
import { type AuthUser, UserStore } from './users';

export interface SupabaseAuthSimulatorOptions {
  port?: number;
  host?: string;
  keys?: JwtKeys;
  /** Access token lifetime in seconds (default 3600). */
  expiresIn?: number;
  /** Sign access tokens HS256 (default, like most Supabase projects) or ES256. */
  alg?: 'HS256' | 'ES256';
  /** Called after a user is created (the harness inserts the user into auth.users). */
  onUserCreated?: (user: AuthUser) => Promise<void>;
  /** Issuer claim (default `<url>/auth/v1` once the URL is known, or as given). */
  issuer?: string;
}

export interface SupabaseAuthSimulator {
  url: string;
  port: number;
  /** Creates a confirmed user directly (like the admin API). */
  createUser(email: string, password: string, metadata?: Record<string, unknown>): Promise<AuthUser>;
  users(): AuthUser[];
  stop(): Promise<void>;
}

interface Session {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: AuthUser;
}

/**
 * The slice of Supabase Auth (GoTrue) Giggles uses: email/password sign-up (auto-confirmed),
 * password and refresh-token grants, the current user, and logout. Paths are GoTrue's own
 * (`/signup`, `/token`, `/user`, `/logout`); behind the router they are under `/auth/v1`.
 * Error bodies follow API version 2024-01-01: `{code, message}` with the version header.
 */
export async function startSupabaseAuthSimulator(
  options: SupabaseAuthSimulatorOptions = {},
): Promise<SupabaseAuthSimulator> {
  const keys = options.keys ?? (await defaultJwtKeys());
  const store = new UserStore();
  const ttl = options.expiresIn ?? 3600;
  const sockets = new Set<Socket>();
  let issuer = options.issuer ?? '';

  const session = async (user: AuthUser): Promise<Session> => {
    const now = Math.floor(Date.now() / 1000);
    const access_token = await mintJwt({
      role: 'authenticated',
      sub: user.id,
      email: user.email,
      alg: options.alg ?? 'HS256',
      keys,
      expiresIn: ttl,
      issuer,
      claims: {
        phone: '',
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: now }],
        session_id: randomUUID(),
        is_anonymous: false,
      },
    });
    return {
      access_token,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: now + ttl,
      refresh_token: store.issueRefreshToken(user.id),
      user,
    };
  };

  const createUser = async (email: string, password: string, metadata?: Record<string, unknown>) => {
    const user = store.create(email, password, metadata);
    await options.onUserCreated?.(user);
    return user;
  };

  const userFromBearer = async (req: IncomingMessage): Promise<AuthUser | undefined> => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    try {
      const payload = await verifyJwt(m[1], keys);
      return typeof payload.sub === 'string' ? store.get(payload.sub) : undefined;
    } catch {
      return undefined;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://auth');
    const path = url.pathname.replace(/\/+$/, '');
    const body = req.method === 'POST' ? await readJson(req) : {};
    if (req.method === 'GET' && (path === '/health' || path === '')) {
      return send(res, 200, { name: 'GoTrue (giggles simulator)', version: 'sim', description: 'test double' });
    }
    if (req.method === 'GET' && path === '/settings') {
      return send(res, 200, { external: { email: true }, disable_signup: false, mailer_autoconfirm: true });
    }
    if (req.method === 'POST' && path === '/signup') {
      const email = typeof body.email === 'string' ? body.email : '';
      const password = typeof body.password === 'string' ? body.password : '';
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) return error(res, 400, 'validation_failed', 'Unable to validate email address: invalid format');
      if (password.length < 6) {
        return send(res, 422, {
          code: 'weak_password',
          message: 'Password should be at least 6 characters.',
          weak_password: { reasons: ['length'] },
        });
      }
      try {
        const data = (body.data ?? body.options?.data ?? {}) as Record<string, unknown>;
        const user = await createUser(email, password, data);
        return send(res, 200, await session(user));
      } catch (err) {
        if ((err as { code?: string }).code === 'user_already_exists') {
          return error(res, 422, 'user_already_exists', 'User already registered');
        }
        throw err;
      }
    }
    if (req.method === 'POST' && path === '/token') {
      const grant = url.searchParams.get('grant_type');
      if (grant === 'password') {
        const user = store.verify(String(body.email ?? ''), String(body.password ?? ''));
        if (!user) return error(res, 400, 'invalid_credentials', 'Invalid login credentials');
        return send(res, 200, await session(user));
      }
      if (grant === 'refresh_token') {
        const user = store.useRefreshToken(String(body.refresh_token ?? ''));
        if (!user) return error(res, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        return send(res, 200, await session(user));
      }
      return error(res, 400, 'validation_failed', `unsupported grant_type ${grant ?? ''}`);
    }
    if (req.method === 'GET' && path === '/user') {
      const user = await userFromBearer(req);
      if (!user) return error(res, 403, 'bad_jwt', 'invalid JWT: unable to parse or verify signature');
      return send(res, 200, user);
    }
    if (req.method === 'POST' && path === '/logout') {
      const user = await userFromBearer(req);
      if (user) store.revokeRefreshTokens(user.id);
      res.writeHead(204, apiVersion);
      return res.end();
    }
    return error(res, 404, 'not_found', `no route ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) error(res, 500, 'unexpected_failure', (err as Error).message);
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  if (!issuer) issuer = `${url}/auth/v1`;
  return {
    url,
    port,
    createUser,
    users: () => store.list(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

const apiVersion = { 'X-Supabase-Api-Version': '2024-01-01' };

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...apiVersion });
  res.end(text);
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { code, message });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> & { options?: { data?: unknown } }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof v === 'object' && v ? v : {};
  } catch {
    return {};
  }
}
