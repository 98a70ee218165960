import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWTPayload, jwtVerify } from 'jose';
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
  /** Issuer claim (default `<url>/auth/v1` once the URL is known, or as given; see `setIssuer`). */
  issuer?: string;
}

/** A password-reset e-mail the simulator "sent". */
export interface RecoveryEmail {
  email: string;
  redirectTo?: string;
  at: string;
}

export interface SupabaseAuthSimulator {
  url: string;
  port: number;
  /** Creates a confirmed user directly (like the admin API); `id` to recreate a known user. */
  createUser(email: string, password: string, metadata?: Record<string, unknown>, id?: string): Promise<AuthUser>;
  users(): AuthUser[];
  /** The `iss` of tokens from now on (the harness sets its router's `/auth/v1`, as GoTrue uses its public URL). */
  setIssuer(issuer: string): void;
  /**
   * A new ES256 signing key (new `kid`) for tokens from now on; the JWKS lists it beside the
   * old ones, as a Supabase project does during key rotation. Returns the new key (to mint
   * tokens with it: `mintJwt({ alg: 'ES256', keys: { ...keys, es256: key } })`).
   */
  rotateSigningKey(): Promise<JwtKeys['es256']>;
  /** Password-reset e-mails requested for existing accounts, oldest first. */
  recoveryEmails(): RecoveryEmail[];
  /** Refresh tokens of a user that still work. */
  liveRefreshTokens(userId: string): number;
  /** Requests answered, `METHOD /path` (no query, no bodies), for tests. */
  requests(): string[];
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

type EsKey = JwtKeys['es256'];

/**
 * The slice of Supabase Auth (GoTrue) Giggles uses, at GoTrue's own paths (behind the router they
 * are under `/auth/v1`): `POST /signup` (auto-confirmed, returns a session), `POST
 * /token?grant_type=password|refresh_token` (refresh tokens are single use and rotate within their
 * session), `GET /user`, `POST /logout?scope=global|local|others` (revokes the refresh tokens of
 * those sessions; later use of them fails), `POST /recover` (always `{}`: no account probing),
 * `DELETE /admin/users/{id}` (service_role only), `GET /.well-known/jwks.json` (the asymmetric
 * public keys; empty for HS256-only projects is not modelled — the ES256 keys are always listed).
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
  /** ES256 keys, newest last: tokens are signed with the newest, verified with any. */
  const esKeys: EsKey[] = [keys.es256];
  /** Live sessions: session id → user id (a logout ends sessions; their access tokens stop working here). */
  const sessions = new Map<string, string>();
  /** Refresh tokens already exchanged (GoTrue says "Already Used" rather than "Not Found" for them). */
  const usedRefreshTokens = new Set<string>();
  const recoveries: RecoveryEmail[] = [];
  const requestLog: string[] = [];

  const session = async (user: AuthUser, sessionId: string = randomUUID()): Promise<Session> => {
    const now = Math.floor(Date.now() / 1000);
    sessions.set(sessionId, user.id);
    const access_token = await mintJwt({
      role: 'authenticated',
      sub: user.id,
      email: user.email,
      alg: options.alg ?? 'HS256',
      keys: { ...keys, es256: esKeys[esKeys.length - 1] },
      expiresIn: ttl,
      issuer,
      claims: {
        phone: '',
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: now }],
        session_id: sessionId,
        is_anonymous: false,
      },
    });
    return {
      access_token,
      token_type: 'bearer',
      expires_in: ttl,
      expires_at: now + ttl,
      refresh_token: store.issueRefreshToken(user.id, sessionId),
      user,
    };
  };

  const createUser = async (email: string, password: string, metadata?: Record<string, unknown>, id?: string) => {
    const user = store.create(email, password, metadata, id);
    await options.onUserCreated?.(user);
    return user;
  };

  /** The verified claims of the request's bearer token, or why not (GoTrue's codes). */
  const bearerClaims = async (req: IncomingMessage): Promise<{ claims: JWTPayload } | { status: number; code: string; message: string }> => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return { status: 401, code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' };
    try {
      return { claims: await verifyAny(m[1]) };
    } catch (err) {
      return { status: 403, code: 'bad_jwt', message: `invalid JWT: unable to parse or verify signature, ${(err as Error).message}` };
    }
  };

  const verifyAny = async (token: string): Promise<JWTPayload> => {
    const { alg, kid } = decodeProtectedHeader(token);
    if (alg === 'ES256') {
      const key = esKeys.find((k) => k.kid === kid);
      if (!key) throw new Error('unknown signing key');
      return (await jwtVerify(token, await importJWK(key.publicJwk, 'ES256'), { algorithms: ['ES256'] })).payload;
    }
    return verifyJwt(token, keys);
  };

  /** The signed-in user of the request with a live session, or an error reply already sent. */
  const requireUser = async (req: IncomingMessage, res: ServerResponse): Promise<{ user: AuthUser; sessionId?: string } | undefined> => {
    const result = await bearerClaims(req);
    if (!('claims' in result)) {
      error(res, result.status, result.code, result.message);
      return undefined;
    }
    const sessionId = typeof result.claims.session_id === 'string' ? result.claims.session_id : undefined;
    if (sessionId !== undefined && !sessions.has(sessionId)) {
      error(res, 403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      return undefined;
    }
    const user = typeof result.claims.sub === 'string' ? store.get(result.claims.sub) : undefined;
    if (!user) {
      error(res, 403, 'user_not_found', 'User from sub claim in JWT does not exist');
      return undefined;
    }
    return { user, sessionId };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://auth');
    const path = url.pathname.replace(/\/+$/, '');
    requestLog.push(`${req.method} ${path}`);
    const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : {};
    if (req.method === 'GET' && (path === '/health' || path === '')) {
      return send(res, 200, { name: 'GoTrue (giggles simulator)', version: 'sim', description: 'test double' });
    }
    if (req.method === 'GET' && path === '/settings') {
      return send(res, 200, { external: { email: true }, disable_signup: false, mailer_autoconfirm: true });
    }
    if (req.method === 'GET' && path === '/.well-known/jwks.json') {
      res.setHeader('Cache-Control', 'public, max-age=600');
      return send(res, 200, { keys: esKeys.map((k) => k.publicJwk) });
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
        const token = String(body.refresh_token ?? '');
        const found = store.useRefreshToken(token);
        if (!found) {
          if (usedRefreshTokens.has(token)) return error(res, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
          return error(res, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
        }
        usedRefreshTokens.add(token);
        return send(res, 200, await session(found.user, found.sessionId));
      }
      return error(res, 400, 'validation_failed', `unsupported grant_type ${grant ?? ''}`);
    }
    if (req.method === 'GET' && path === '/user') {
      const who = await requireUser(req, res);
      if (!who) return;
      return send(res, 200, who.user);
    }
    if (req.method === 'POST' && path === '/logout') {
      const scope = url.searchParams.get('scope') ?? 'global';
      if (scope !== 'global' && scope !== 'local' && scope !== 'others') {
        return error(res, 400, 'validation_failed', 'Unsupported logout scope');
      }
      const who = await requireUser(req, res);
      if (!who) return;
      store.revokeRefreshTokens(who.user.id, scope, who.sessionId);
      for (const [id, userId] of sessions) {
        if (userId !== who.user.id) continue;
        const same = id === who.sessionId;
        if (scope === 'global' || (scope === 'local' && same) || (scope === 'others' && !same)) sessions.delete(id);
      }
      res.writeHead(204, apiVersion);
      return res.end();
    }
    if (req.method === 'POST' && path === '/recover') {
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) return error(res, 400, 'validation_failed', 'Unable to validate email address: invalid format');
      // The same answer whether the account exists or not; only real accounts get the mail.
      if (store.list().some((u) => u.email === email)) {
        recoveries.push({ email, redirectTo: url.searchParams.get('redirect_to') ?? undefined, at: new Date().toISOString() });
      }
      return send(res, 200, {});
    }
    const admin = /^\/admin\/users\/([^/]+)$/.exec(path);
    if (admin && req.method === 'DELETE') {
      const result = await bearerClaims(req);
      if (!('claims' in result)) return error(res, result.status, result.code, result.message);
      if (result.claims.role !== 'service_role') return error(res, 403, 'not_admin', 'User not allowed');
      const id = decodeURIComponent(admin[1]);
      if (!store.delete(id)) return error(res, 404, 'user_not_found', 'User not found');
      for (const [sessionId, userId] of sessions) if (userId === id) sessions.delete(sessionId);
      return send(res, 200, {});
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
    setIssuer: (value) => {
      issuer = value;
    },
    async rotateSigningKey() {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = `es256-${randomBytes(4).toString('hex')}`;
      const key: EsKey = { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }, kid };
      esKeys.push(key);
      return key;
    },
    recoveryEmails: () => [...recoveries],
    liveRefreshTokens: (userId) => store.liveRefreshTokens(userId),
    requests: () => [...requestLog],
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
