import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtKeys } from '../jwt/keys';
import { mintJwt } from '../jwt/mint-jwt';
import { startSupabaseAuthSimulator, type SupabaseAuthSimulator } from './server';

/** The Supabase Auth simulator answers like GoTrue for what Giggles uses (paths, shapes, error codes). */

let sim: SupabaseAuthSimulator;
let keys: Awaited<ReturnType<typeof createJwtKeys>>;

async function call(method: string, path: string, body?: unknown, bearer?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

async function signUp(email: string, password = 'secret-password') {
  const { status, json } = await call('POST', '/signup', { email, password });
  expect(status).toBe(200);
  return json as { access_token: string; refresh_token: string; user: { id: string; email: string } };
}

beforeAll(async () => {
  keys = await createJwtKeys();
  sim = await startSupabaseAuthSimulator({ keys, alg: 'ES256' });
  sim.setIssuer('https://project.supabase.test/auth/v1');
});
afterAll(() => sim?.stop());

describe('Supabase Auth simulator', () => {
  it('signs up (auto-confirmed session) and refuses a second account for the e-mail, a weak password, a bad address', async () => {
    const session = await signUp('Grace@Example.test');
    expect(session.user.email).toBe('grace@example.test');
    expect(await call('POST', '/signup', { email: 'grace@example.test', password: 'another-password' })).toMatchObject({ status: 422, json: { code: 'user_already_exists' } });
    expect(await call('POST', '/signup', { email: 'x@example.test', password: '123' })).toMatchObject({ status: 422, json: { code: 'weak_password' } });
    expect(await call('POST', '/signup', { email: 'not-an-address', password: 'secret-password' })).toMatchObject({ status: 400, json: { code: 'validation_failed' } });
  });

  it('password grant: a session for the right password, invalid_credentials otherwise', async () => {
    await signUp('linus@example.test');
    const ok = await call('POST', '/token?grant_type=password', { email: 'linus@example.test', password: 'secret-password' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(await call('POST', '/token?grant_type=password', { email: 'linus@example.test', password: 'wrong' })).toMatchObject({ status: 400, json: { code: 'invalid_credentials' } });
  });

  it('tokens carry the issuer, audience, session and the newest ES256 kid, verifiable through /.well-known/jwks.json', async () => {
    const session = await signUp('ken@example.test');
    const jwks = createRemoteJWKSet(new URL(`${sim.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(session.access_token, jwks, { issuer: 'https://project.supabase.test/auth/v1', audience: 'authenticated', algorithms: ['ES256'] });
    expect(payload).toMatchObject({ sub: session.user.id, role: 'authenticated', email: 'ken@example.test' });
    expect(typeof payload.session_id).toBe('string');
    expect(decodeProtectedHeader(session.access_token).kid).toBe(keys.es256.kid);

    const rotated = await sim.rotateSigningKey();
    const after = await call('POST', '/token?grant_type=password', { email: 'ken@example.test', password: 'secret-password' });
    expect(decodeProtectedHeader(after.json.access_token as string).kid).toBe(rotated.kid);
    const listed = (await (await fetch(`${sim.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(listed.keys.map((k) => k.kid)).toEqual([keys.es256.kid, rotated.kid]);
    expect(listed.keys.every((k) => k.d === undefined)).toBe(true); // public keys only
  });

  it('refresh tokens are single use and rotate; reuse says Already Used, an unknown one Not Found', async () => {
    const session = await signUp('barbara@example.test');
    const next = await call('POST', '/token?grant_type=refresh_token', { refresh_token: session.refresh_token });
    expect(next.status).toBe(200);
    expect(next.json.refresh_token).not.toBe(session.refresh_token);
    expect(await call('POST', '/token?grant_type=refresh_token', { refresh_token: session.refresh_token })).toMatchObject({ status: 400, json: { code: 'refresh_token_already_used' } });
    expect(await call('POST', '/token?grant_type=refresh_token', { refresh_token: 'nope' })).toMatchObject({ status: 400, json: { code: 'refresh_token_not_found' } });
  });

  it('GET /user needs a live session; logout scope=local revokes that session only, global all of them', async () => {
    const phone = await signUp('margaret@example.test');
    const laptop = (await call('POST', '/token?grant_type=password', { email: 'margaret@example.test', password: 'secret-password' })).json as { access_token: string; refresh_token: string };
    expect((await call('GET', '/user', undefined, phone.access_token)).json).toMatchObject({ id: phone.user.id });
    expect(await call('GET', '/user')).toMatchObject({ status: 401, json: { code: 'no_authorization' } });
    expect(await call('GET', '/user', undefined, 'garbage')).toMatchObject({ status: 403, json: { code: 'bad_jwt' } });
    expect(sim.liveRefreshTokens(phone.user.id)).toBe(2);

    expect((await call('POST', '/logout?scope=local', undefined, phone.access_token)).status).toBe(204);
    expect(await call('POST', '/token?grant_type=refresh_token', { refresh_token: phone.refresh_token })).toMatchObject({ status: 400 });
    expect(await call('GET', '/user', undefined, phone.access_token)).toMatchObject({ status: 403, json: { code: 'session_not_found' } });
    expect((await call('GET', '/user', undefined, laptop.access_token)).status).toBe(200);

    expect((await call('POST', '/logout', undefined, laptop.access_token)).status).toBe(204);
    expect(sim.liveRefreshTokens(phone.user.id)).toBe(0);
    expect(await call('POST', '/logout?scope=everything', undefined, laptop.access_token)).toMatchObject({ status: 400 });
  });

  it('POST /recover answers {} for any address and mails only real accounts', async () => {
    await signUp('frances@example.test');
    expect(await call('POST', '/recover?redirect_to=https%3A%2F%2Fapp.test%2Freset', { email: 'frances@example.test' })).toEqual({ status: 200, json: {} });
    expect(await call('POST', '/recover', { email: 'nobody@example.test' })).toEqual({ status: 200, json: {} });
    expect(await call('POST', '/recover', { email: 'bad' })).toMatchObject({ status: 400, json: { code: 'validation_failed' } });
    expect(sim.recoveryEmails().map((m) => [m.email, m.redirectTo])).toEqual([['frances@example.test', 'https://app.test/reset']]);
  });

  it('DELETE /admin/users/{id} needs the service role; the user and their sessions are gone', async () => {
    const session = await signUp('edsger@example.test');
    const serviceRole = await mintJwt({ role: 'service_role', keys });
    const anon = await mintJwt({ role: 'anon', keys });
    expect(await call('DELETE', `/admin/users/${session.user.id}`, undefined, anon)).toMatchObject({ status: 403, json: { code: 'not_admin' } });
    expect(await call('DELETE', `/admin/users/${session.user.id}`, undefined, session.access_token)).toMatchObject({ status: 403, json: { code: 'not_admin' } });
    expect(await call('DELETE', `/admin/users/${session.user.id}`, undefined, serviceRole)).toEqual({ status: 200, json: {} });
    expect(await call('DELETE', `/admin/users/${session.user.id}`, undefined, serviceRole)).toMatchObject({ status: 404, json: { code: 'user_not_found' } });
    expect(await call('POST', '/token?grant_type=password', { email: 'edsger@example.test', password: 'secret-password' })).toMatchObject({ status: 400, json: { code: 'invalid_credentials' } });
    expect(await call('POST', '/token?grant_type=refresh_token', { refresh_token: session.refresh_token })).toMatchObject({ status: 400 });
    expect(sim.users().some((u) => u.id === session.user.id)).toBe(false);
  });
});
