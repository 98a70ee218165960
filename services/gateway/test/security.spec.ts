import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIES } from '../src/auth/session-cookies';
import { setCookieHeader, startGatewayStack, type GatewayStack } from './support/gateway-stack';

/** Input validation, error bodies, body limits, rate limits, security headers, CORS, OpenAPI, the web app. */

let stack: GatewayStack;
let webDir: string;
beforeAll(async () => {
  stack = await startGatewayStack({ env: { GATEWAY_CORS_ORIGINS: 'https://app.giggles.test' } });
  webDir = await mkdtemp(join(tmpdir(), 'giggles-web-'));
  await mkdir(join(webDir, 'assets'));
  await writeFile(join(webDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-AbCd1234.js"></script></head><body><div id="app"></div></body></html>');
  await writeFile(join(webDir, 'assets', 'index-AbCd1234.js'), 'console.log("giggles")');
  await writeFile(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});
afterAll(async () => {
  await stack?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

/** No stack trace, no server path. */
function expectPlainError(body: Record<string, unknown>, status: number) {
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\n\s+at |\/work\/|node_modules|\.ts:\d+|services\/gateway/);
}

describe('malformed input → 400 with a message, never 500', () => {
  const cases: Array<[string, string, unknown, RegExp]> = [
    ['POST', '/api/account', {}, /email must be an e-mail address/],
    ['POST', '/api/account', { email: 'a@b.test', password: 'short', timezone: 'UTC' }, /password must be at least 8 characters/],
    ['POST', '/api/account', { email: 'a@b.test', password: 'long enough', timezone: 'Not/AZone' }, /timezone must be an IANA time zone/],
    ['POST', '/api/account', { email: 'a@b.test', password: 'long enough', timezone: 'UTC', admin: true }, /property admin should not exist/],
    ['POST', '/api/account', { email: ['a@b.test'], password: 12345678, timezone: 5 }, /email/],
    ['POST', '/api/session', { email: 'a@b.test' }, /password/],
    ['POST', '/api/auth/login', { email: 'not an address', password: 'x' }, /email must be an e-mail address/],
    ['POST', '/api/account/password-reset', { email: 42 }, /email/],
  ];
  for (const [method, path, body, message] of cases) {
    it(`${method} ${path} ${JSON.stringify(body)}`, async () => {
      const res = await request(stack.baseUrl)[method.toLowerCase() as 'post'](path).send(body as object).expect(400);
      expectPlainError(res.body, 400);
      expect(res.body.message).toMatch(message);
    });
  }

  it('broken JSON, a JSON array and a bare string are 400 too', async () => {
    for (const raw of ['{"email": "a@b.test",', '[1,2,3]', '"just a string"']) {
      const res = await request(stack.baseUrl).post('/api/session').set('Content-Type', 'application/json').send(raw);
      expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
      expectPlainError(res.body, 400);
    }
  });

  it('protected routes validate too: a bad key body and a bad zone for a signed-in user', async () => {
    const user = await stack.register();
    const res = await user.agent.put('/api/limitless-key').send({ apiKey: '' }).expect(400);
    expect(res.body.message).toMatch(/apiKey must not be empty/);
    await user.agent.put('/api/limitless-key').send({ apiKey: 'has spaces in it' }).expect(400);
    await user.agent.put('/api/limitless-key').send({ apiKey: 'k'.repeat(600) }).expect(400);
    await user.agent.post('/api/limitless-key').send({ apiKey: 'right field, wrong route' }).expect(400);
    await user.agent.patch('/api/me').send({}).expect(400);
  });
});

describe('limits', () => {
  it('a body over GATEWAY_BODY_LIMIT_KB → 413 with a plain message', async () => {
    const res = await request(stack.baseUrl)
      .post('/api/session')
      .send({ email: 'a@b.test', password: 'x'.repeat(70 * 1024) })
      .expect(413);
    expectPlainError(res.body, 413);
    expect(res.body.message).toBe('Request body too large');
  });

  it('auth routes are throttled per client (GATEWAY_AUTH_THROTTLE_LIMIT) → 429; other routes keep working', async () => {
    const gateway = await stack.startGateway({ GATEWAY_AUTH_THROTTLE_LIMIT: '3', GATEWAY_AUTH_THROTTLE_TTL: '1m' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(gateway.url).post('/api/session').send({ email: 'x@example.test', password: 'wrong password' })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await request(gateway.url).post('/api/auth/login').send({ email: 'x@example.test', password: 'wrong password' });
    expect(limited.status).toBe(429);
    expectPlainError(limited.body, 429);
    await request(gateway.url).get('/api/health/live').expect(200);
  });

  it('every route is under the general limit (GATEWAY_THROTTLE_LIMIT)', async () => {
    const gateway = await stack.startGateway({ GATEWAY_THROTTLE_LIMIT: '4' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(gateway.url).get('/api/me')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});

describe('errors', () => {
  it('unknown API routes are JSON 404s; no framework banner', async () => {
    const res = await request(stack.baseUrl).get('/api/no-such-route').expect(404);
    expectPlainError(res.body, 404);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('headers', () => {
  it('helmet headers and a CSP without inline script on API and page responses', async () => {
    for (const path of ['/api/health/live', '/']) {
      const res = await request(stack.baseUrl).get(path);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("media-src 'self' blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('session cookies are Secure by default (GATEWAY_COOKIE_SECURE)', async () => {
    const gateway = await stack.startGateway({ GATEWAY_COOKIE_SECURE: 'true' });
    const user = await stack.register();
    const res = await request(gateway.url).post('/api/session').send({ email: user.email, password: user.password }).expect(200);
    for (const name of Object.values(COOKIES)) expect(setCookieHeader(res.headers['set-cookie'], name)).toMatch(/;\s*Secure/i);
  });

  it('CORS: the configured origin may call with credentials; an unknown origin gets no CORS grant', async () => {
    const allowed = await request(stack.baseUrl).options('/api/me').set('Origin', 'https://app.giggles.test').set('Access-Control-Request-Method', 'PATCH');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.giggles.test');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const denied = await request(stack.baseUrl).options('/api/me').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'PATCH');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await request(stack.baseUrl).get('/api/health/live').set('Origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('OpenAPI', () => {
  it('/api/docs-json describes the routes with the DTO schemas; /api/docs serves the UI', async () => {
    const doc = (await request(stack.baseUrl).get('/api/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/account', '/api/session', '/api/session/refresh', '/api/me', '/api/limitless-key', '/api/auth/login', '/api/health']) expect(Object.keys(doc.paths)).toContain(path);
    expect(doc.components.schemas.CreateAccountDto.required).toEqual(expect.arrayContaining(['email', 'password', 'timezone']));
    expect(doc.components.schemas.MeDto.properties.key.$ref).toMatch(/KeyStatusDto/);
    const ui = await request(stack.baseUrl).get('/api/docs').redirects(2).expect(200);
    expect(ui.text).toContain('swagger');
  });
});

describe('the web app', () => {
  it('without a build, / says so and the API still works', async () => {
    const gateway = await stack.startGateway({ GATEWAY_WEB_DIR: join(webDir, 'missing') });
    const res = await request(gateway.url).get('/').expect(200);
    expect(res.text).toMatch(/web app is not built/);
    await request(gateway.url).get('/api/health/live').expect(200);
  });

  it('serves files, hashed assets cached for a year, index.html revalidated, SPA fallback for app paths', async () => {
    const gateway = await stack.startGateway({ GATEWAY_WEB_DIR: webDir });
    const index = await request(gateway.url).get('/').expect(200);
    expect(index.text).toContain('<div id="app">');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await request(gateway.url).get('/assets/index-AbCd1234.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(gateway.url).get('/favicon.svg').expect(200)).headers['cache-control']).toBe('no-cache');
    const deep = await request(gateway.url).get('/days/2026-01-02').expect(200);
    expect(deep.text).toContain('<div id="app">');
    expect(deep.headers['cache-control']).toBe('no-cache');
    await request(gateway.url).get('/assets/index-OldHash99.js').expect(404);
    const api = await request(gateway.url).get('/api/nothing-here').expect(404);
    expect(api.body.statusCode).toBe(404);
    await request(gateway.url).get('/../../etc/passwd').expect((res) => expect(res.text).not.toContain('root:'));
  });
});
