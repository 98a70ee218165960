import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIES } from '../src/auth/session-cookies';
import { cookieValue, setCookieHeader, startGatewayStack, type GatewayStack } from './support/gateway-stack';

/** Accounts and browser sessions against the real stack (Supabase Auth simulator, persistence over NATS). */

let stack: GatewayStack;
beforeAll(async () => {
  stack = await startGatewayStack();
});
afterAll(() => stack?.stop());

describe('account and session', () => {
  it('registers: 201 with Me, session cookies HttpOnly/SameSite=Lax on /api, a readable CSRF cookie, and a users row', async () => {
    const res = await request(stack.baseUrl).post('/api/account').send({ email: 'Ada@Example.test', password: 'long enough pw', timezone: 'America/New_York' }).expect(201);
    expect(res.body.user).toMatchObject({ email: 'ada@example.test', timezone: 'America/New_York', key: { state: 'none' } });
    expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
    const at = setCookieHeader(res.headers['set-cookie'], COOKIES.accessToken)!;
    const rt = setCookieHeader(res.headers['set-cookie'], COOKIES.refreshToken)!;
    const csrf = setCookieHeader(res.headers['set-cookie'], COOKIES.csrf)!;
    for (const c of [at, rt]) {
      expect(c).toMatch(/HttpOnly/i);
      expect(c).toMatch(/SameSite=Lax/i);
      expect(c).toMatch(/Path=\/api/);
    }
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(JSON.stringify(res.body)).not.toContain(cookieValue(res.headers['set-cookie'], COOKIES.accessToken));
    const rows = await stack.sql<{ email: string; timezone: string }>('SELECT email, timezone FROM users WHERE id = $1', [res.body.user.id]);
    expect(rows).toEqual([{ email: 'ada@example.test', timezone: 'America/New_York' }]);
  });

  it('signs in, reads /api/me with cookies, and with a bearer token', async () => {
    const user = await stack.register();
    const me = await user.agent.get('/api/me').expect(200);
    expect(me.body).toMatchObject({ id: user.userId, email: user.email, timezone: user.timezone, key: { state: 'none' } });
    const bearer = await request(stack.baseUrl).get('/api/me').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    expect(bearer.body.id).toBe(user.userId);
  });
});
