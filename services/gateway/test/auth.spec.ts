import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIES } from '../src/auth/session-cookies';
import { cookieValue, DEFAULT_PASSWORD, setCookieHeader, startGatewayStack, type GatewayStack } from './support/gateway-stack';

/** Sessions, token verification, CSRF and "no session → 401" against the real stack. */

let stack: GatewayStack;
let issuer: string;
beforeAll(async () => {
  stack = await startGatewayStack();
  issuer = `${stack.harness.supabaseUrl}/auth/v1`;
});
afterAll(() => stack?.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function bearerStatus(token: string, baseUrl = stack.baseUrl): Promise<number> {
  return (await request(baseUrl).get('/api/auth/me').set('Authorization', `Bearer ${token}`)).status;
}

describe('sessions', () => {
  it('refresh gives new cookies; the old refresh token is dead; sign-out revokes the refresh token and clears the cookies', async () => {
    const user = await stack.register();
    const refreshed = await user.agent.post('/api/session/refresh').expect(204);
    const newRefresh = cookieValue(refreshed.headers['set-cookie'], COOKIES.refreshToken);
    const newCsrf = cookieValue(refreshed.headers['set-cookie'], COOKIES.csrf);
    user.agent.set('x-csrf-token', newCsrf);
    await user.agent.get('/api/me').expect(200);

    const out = await user.agent.delete('/api/session').expect(204);
    for (const name of Object.values(COOKIES)) expect(setCookieHeader(out.headers['set-cookie'], name)).toMatch(/Expires=Thu, 01 Jan 1970/);
    // The refresh token the browser held is revoked at Supabase Auth.
    const stale = await request(stack.baseUrl)
      .post('/api/session/refresh')
      .set('Cookie', [`${COOKIES.refreshToken}=${newRefresh}`, `${COOKIES.csrf}=${newCsrf}`])
      .set('x-csrf-token', newCsrf)
      .expect(401);
    expect(stale.body.message).toBe('Session expired — sign in again');
    expect(stack.harness.auth!.liveRefreshTokens(user.userId)).toBe(1); // the bearer login's session is untouched (scope=local)
    await user.agent.post('/api/session/refresh').expect(401); // cookies are gone from the agent too
  });

  it('sign-out with an expired access token still revokes the refresh token', async () => {
    const user = await stack.register();
    const expired = await stack.harness.mintJwt({ role: 'authenticated', sub: user.userId, email: user.email, issuer, expiresIn: -3600 });
    const rtBefore = stack.harness.auth!.liveRefreshTokens(user.userId);
    const { agent, csrfToken } = await stack.signIn(user.email, user.password);
    expect(stack.harness.auth!.liveRefreshTokens(user.userId)).toBe(rtBefore + 1);
    agent.set('Cookie', `${COOKIES.accessToken}=${expired}`);
    await agent.delete('/api/session').set('x-csrf-token', csrfToken).expect(204);
    expect(stack.harness.auth!.liveRefreshTokens(user.userId)).toBe(rtBefore);
  });

  it('wrong password → 401 with a plain message; unknown account the same', async () => {
    const user = await stack.register();
    const wrong = await request(stack.baseUrl).post('/api/session').send({ email: user.email, password: 'not the password' }).expect(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, message: 'Wrong e-mail or password' });
    const nobody = await request(stack.baseUrl).post('/api/session').send({ email: 'nobody@example.test', password: 'whatever1' }).expect(401);
    expect(nobody.body.message).toBe('Wrong e-mail or password');
    expect(setCookieHeader(wrong.headers['set-cookie'], COOKIES.accessToken)).toBeUndefined();
  });

  it('registering an e-mail twice → 409; a password reset request is 202 whether the account exists or not', async () => {
    const user = await stack.register();
    const again = await request(stack.baseUrl).post('/api/account').send({ email: user.email, password: DEFAULT_PASSWORD, timezone: 'UTC' }).expect(409);
    expect(again.body.message).toMatch(/already exists/);
    await request(stack.baseUrl).post('/api/account/password-reset').send({ email: user.email }).expect(202);
    await request(stack.baseUrl).post('/api/account/password-reset').send({ email: 'nobody@example.test' }).expect(202);
    expect(stack.harness.auth!.recoveryEmails().map((m) => m.email)).toEqual([user.email]);
  });

  it('a user of the original app (users row and key already there under their auth id) signs in and keeps zone, creation date and key', async () => {
    const id = randomUUID();
    const email = `legacy-${id.slice(0, 8)}@example.test`;
    await stack.sql(`INSERT INTO users (id, email, timezone, created_at) VALUES ($1, $2, 'Asia/Kolkata', '2025-03-01T10:00:00Z')`, [id, email]);
    const { KeyCipher } = await import('@giggles/crypto');
    await stack.sql('SELECT public.giggles_set_user_key($1, $2)', [id, KeyCipher.fromHex(stack.encryptionKey).encrypt('legacy-key', id)]);
    await stack.harness.auth!.createUser(email, DEFAULT_PASSWORD, {}, id);
    const res = await request(stack.baseUrl).post('/api/session').send({ email, password: DEFAULT_PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ id, email, timezone: 'Asia/Kolkata', key: { state: 'active' } });
    expect(Date.parse(res.body.user.createdAt)).toBe(Date.parse('2025-03-01T10:00:00Z'));
    expect(await stack.sql('SELECT count(*)::int AS n FROM users WHERE email = $1', [email])).toEqual([{ n: 1 }]);
    const legacy = await request(stack.baseUrl).post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD }).expect(200);
    expect(legacy.body).toMatchObject({ token_type: 'bearer', user: { id, email } });
  });

  it('PATCH /api/me changes the zone (IANA only)', async () => {
    const user = await stack.register();
    const res = await user.agent.patch('/api/me').send({ timezone: 'America/Los_Angeles' }).expect(200);
    expect(res.body.timezone).toBe('America/Los_Angeles');
    const bad = await user.agent.patch('/api/me').send({ timezone: 'Mars/Olympus_Mons' }).expect(400);
    expect(bad.body.message).toMatch(/timezone must be an IANA time zone/);
    expect((await user.agent.get('/api/me').expect(200)).body.timezone).toBe('America/Los_Angeles');
  });
});

describe('the original auth routes', () => {
  it('register, login and me keep their JSON fields', async () => {
    const email = `orig-${randomUUID().slice(0, 8)}@example.test`;
    const reg = await request(stack.baseUrl).post('/api/auth/register').send({ email, password: DEFAULT_PASSWORD }).expect(200);
    expect(reg.body).toMatchObject({ email, is_active: true, mfa_enabled: false });
    expect(Object.keys(reg.body).sort()).toEqual(['created_at', 'email', 'id', 'is_active', 'mfa_enabled', 'updated_at']);
    const login = await request(stack.baseUrl).post('/api/auth/login').send({ email, password: DEFAULT_PASSWORD }).expect(200);
    expect(login.body).toMatchObject({ token_type: 'bearer', user: { id: reg.body.id, email } });
    const me = await request(stack.baseUrl).get('/api/auth/me').set('Authorization', `Bearer ${login.body.access_token}`).expect(200);
    expect(me.body).toEqual({ user_id: reg.body.id, email, is_authenticated: true });
    const wrong = await request(stack.baseUrl).post('/api/auth/login').send({ email, password: 'wrong password' }).expect(401);
    expect(wrong.body.detail).toBe(wrong.body.message);
  });
});

describe('access tokens', () => {
  it('a valid token passes; expired, wrong issuer, wrong audience, non-user roles, alg none, a wrong HS256 secret and garbage → 401', async () => {
    const sub = randomUUID();
    const good = await stack.harness.mintJwt({ role: 'authenticated', sub, email: 'a@example.test', issuer });
    expect(await bearerStatus(good)).toBe(200);
    const cases: Record<string, string> = {
      expired: await stack.harness.mintJwt({ role: 'authenticated', sub, issuer, expiresIn: -120 }),
      wrongIssuer: await stack.harness.mintJwt({ role: 'authenticated', sub, issuer: 'https://evil.example/auth/v1' }),
      noIssuer: await stack.harness.mintJwt({ role: 'authenticated', sub }),
      wrongAudience: await stack.harness.mintJwt({ role: 'authenticated', sub, issuer, claims: { aud: 'someone-else' } }),
      serviceRole: await stack.harness.mintJwt({ role: 'service_role', sub, issuer, claims: { aud: 'authenticated' } }),
      notAUserId: await stack.harness.mintJwt({ role: 'authenticated', sub: 'admin', issuer }),
      algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, aud: 'authenticated', role: 'authenticated', iss: issuer, exp: Math.floor(Date.now() / 1000) + 600 })}.`,
      wrongSecret: await new SignJWT({ role: 'authenticated', sub, aud: 'authenticated' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer)
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(randomBytes(32).toString('hex'))),
      // ES256 is not accepted by a gateway configured with only the HS256 secret.
      es256WithoutJwks: await stack.harness.mintJwt({ role: 'authenticated', sub, issuer, alg: 'ES256' }),
      garbage: 'not.a.token',
    };
    for (const [name, token] of Object.entries(cases)) expect({ name, status: await bearerStatus(token) }).toEqual({ name, status: 401 });
  });

  it('ES256 through the JWKS: fetched once, refetched for an unknown kid after rotation, forged kids cannot force refetches', async () => {
    const sim = stack.harness.auth!;
    const jwksUrl = `${stack.harness.supabaseUrl}/auth/v1/.well-known/jwks.json`;
    const fetches = () => sim.requests().filter((r) => r === 'GET /.well-known/jwks.json').length;
    const gateway = await stack.startGateway({ SUPABASE_JWT_SECRET: '', SUPABASE_JWKS_URL: jwksUrl, GATEWAY_JWKS_COOLDOWN: '0' });
    const sub = randomUUID();
    const before = fetches();
    const first = await stack.harness.mintJwt({ role: 'authenticated', sub, issuer, alg: 'ES256' });
    expect(await bearerStatus(first, gateway.url)).toBe(200);
    expect(await bearerStatus(first, gateway.url)).toBe(200);
    expect(fetches()).toBe(before + 1); // cached
    // HS256 tokens are refused by a JWKS-only gateway.
    expect(await bearerStatus(await stack.harness.mintJwt({ role: 'authenticated', sub, issuer }), gateway.url)).toBe(401);

    const rotated = await sim.rotateSigningKey();
    const { mintJwt } = await import('@giggles/testing');
    const afterRotation = await mintJwt({ role: 'authenticated', sub, issuer, alg: 'ES256', keys: { ...stack.harness.jwtKeys, es256: rotated } });
    expect(await bearerStatus(afterRotation, gateway.url)).toBe(200);
    expect(fetches()).toBe(before + 2);

    // A token signed by a key nobody published: 401, and with the default cooldown a flood of such kids costs at most one fetch.
    const guarded = await stack.startGateway({ SUPABASE_JWT_SECRET: '', SUPABASE_JWKS_URL: jwksUrl });
    expect(await bearerStatus(first, guarded.url)).toBe(200);
    const start = fetches();
    const { createJwtKeys } = await import('@giggles/testing');
    for (let i = 0; i < 5; i++) {
      const stranger = await createJwtKeys();
      const forged = await mintJwt({ role: 'authenticated', sub, issuer, alg: 'ES256', keys: stranger });
      expect(await bearerStatus(forged, guarded.url)).toBe(401);
    }
    expect(fetches() - start).toBeLessThanOrEqual(1);
  });
});

describe('CSRF', () => {
  it('cookie-authenticated changes need X-CSRF-Token matching the cookie; reads do not; bearer requests need none', async () => {
    const user = await stack.register();
    const cookieHeader = [`${COOKIES.accessToken}=${cookieValue((await request(stack.baseUrl).post('/api/session').send({ email: user.email, password: user.password })).headers['set-cookie'], COOKIES.accessToken)}`, `${COOKIES.csrf}=${user.csrfToken}`];
    await request(stack.baseUrl).get('/api/me').set('Cookie', cookieHeader).expect(200);
    const missing = await request(stack.baseUrl).patch('/api/me').set('Cookie', cookieHeader).send({ timezone: 'UTC' }).expect(403);
    expect(missing.body).toMatchObject({ statusCode: 403, message: 'CSRF token missing or wrong' });
    await request(stack.baseUrl).patch('/api/me').set('Cookie', cookieHeader).set('x-csrf-token', 'wrong-token').send({ timezone: 'UTC' }).expect(403);
    await request(stack.baseUrl).patch('/api/me').set('Cookie', cookieHeader).set('x-csrf-token', user.csrfToken).send({ timezone: 'UTC' }).expect(200);
    await request(stack.baseUrl).patch('/api/me').set('Authorization', `Bearer ${user.accessToken}`).send({ timezone: 'Europe/Paris' }).expect(200);
    await request(stack.baseUrl).post('/api/session/refresh').set('Cookie', `${COOKIES.refreshToken}=x`).expect(403);
    await request(stack.baseUrl).delete('/api/session').set('Cookie', cookieHeader).expect(403);
  });

  it('a session without its CSRF cookie gets a new one on the next read', async () => {
    const user = await stack.register();
    const signedIn = await request(stack.baseUrl).post('/api/session').send({ email: user.email, password: user.password }).expect(200);
    const accessCookie = `${COOKIES.accessToken}=${cookieValue(signedIn.headers['set-cookie'], COOKIES.accessToken)}`;
    const read = await request(stack.baseUrl).get('/api/me').set('Cookie', accessCookie).expect(200);
    const fresh = cookieValue(read.headers['set-cookie'], COOKIES.csrf);
    expect(fresh.length).toBeGreaterThanOrEqual(43);
    await request(stack.baseUrl).patch('/api/me').set('Cookie', [accessCookie, `${COOKIES.csrf}=${fresh}`]).set('x-csrf-token', fresh).send({ timezone: 'UTC' }).expect(200);
    // With the cookie present nothing new is set.
    const again = await request(stack.baseUrl).get('/api/me').set('Cookie', [accessCookie, `${COOKIES.csrf}=${fresh}`]).expect(200);
    expect(again.headers['set-cookie']).toBeUndefined();
  });
});

describe('no session → 401 on every protected route', () => {
  /** Routes anyone may call (health, docs, sign-up/in, and the session routes that check their own cookies). */
  const PUBLIC = new Set([
    'GET /api/health',
    'GET /api/health/live',
    'GET /api/health/ready',
    'POST /api/account',
    'POST /api/account/password-reset',
    'POST /api/session',
    'POST /api/session/refresh',
    'DELETE /api/session',
    'POST /api/auth/register',
    'POST /api/auth/login',
  ]);

  it('every route the Nest router has, without credentials and with a bad token', async () => {
    const routes = registeredRoutes(stack);
    expect(routes.length).toBeGreaterThan(10);
    const bad = await stack.harness.mintJwt({ role: 'authenticated', sub: randomUUID(), issuer, expiresIn: -600 });
    const checked: string[] = [];
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (PUBLIC.has(key) || path.startsWith('/api/docs')) continue;
      const url = path.replace(/:(\w*date\w*)/gi, '2026-01-02').replace(/:\w+/g, randomUUID());
      const call = (r: request.Test) => (method === 'GET' || method === 'DELETE' ? r : r.send({}));
      const anonymous = await call(request(stack.baseUrl)[method.toLowerCase() as 'get'](url));
      expect({ key, status: anonymous.status }).toEqual({ key, status: 401 });
      const withBad = await call(request(stack.baseUrl)[method.toLowerCase() as 'get'](url).set('Authorization', `Bearer ${bad}`));
      expect({ key, status: withBad.status }).toEqual({ key, status: 401 });
      checked.push(key);
    }
    expect(checked).toEqual(expect.arrayContaining(['GET /api/me', 'PATCH /api/me', 'GET /api/limitless-key', 'PUT /api/limitless-key', 'DELETE /api/limitless-key', 'GET /api/auth/me']));
  });
});

/** Every (method, path) the Express router serves — read from the running app, so new routes are covered automatically. */
function registeredRoutes(s: GatewayStack): { method: string; path: string }[] {
  const express = s.gateway.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  const out: { method: string; path: string }[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: layer.route.path });
  }
  return out;
}
