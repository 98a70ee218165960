import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtKeys, defaultJwtKeys } from './keys';
import { mintApiKeys, mintJwt } from './mint-jwt';
import { verifyJwt } from './verify-jwt';

describe('mintJwt', () => {
  it.each(['HS256', 'ES256'] as const)('mints Supabase-shaped %s tokens that verify with the same keys', async (alg) => {
    const token = await mintJwt({ role: 'authenticated', sub: 'u-1', email: 'a@b.c', alg, expiresIn: '5m' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg, typ: 'JWT' });
    const claims = await verifyJwt(token);
    expect(claims).toMatchObject({ role: 'authenticated', aud: 'authenticated', sub: 'u-1', email: 'a@b.c' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    await expect(verifyJwt(token, await createJwtKeys())).rejects.toThrow();
  });

  it('gives authenticated tokens a random sub and service/anon tokens none', async () => {
    const a = await verifyJwt(await mintJwt({ role: 'authenticated' }));
    expect(a.sub).toMatch(/^[0-9a-f-]{36}$/);
    const s = await verifyJwt(await mintJwt({ role: 'service_role' }));
    expect(s.sub).toBeUndefined();
    expect(s.aud).toBeUndefined();
  });

  it('mints expired tokens on request', async () => {
    await expect(verifyJwt(await mintJwt({ role: 'anon', expiresIn: -10 }))).rejects.toThrow(/exp/);
  });

  it('makes long-lived anon and service_role keys and a JWKS PostgREST can use', async () => {
    const { anonKey, serviceRoleKey } = await mintApiKeys();
    expect((await verifyJwt(anonKey)).role).toBe('anon');
    expect((await verifyJwt(serviceRoleKey)).role).toBe('service_role');
    const keys = await defaultJwtKeys();
    expect(keys.secret.length).toBeGreaterThanOrEqual(32);
    expect(keys.jwks.keys.map((k) => k.kty).sort()).toEqual(['EC', 'oct']);
    expect(JSON.stringify(keys.jwks)).not.toContain('"d"'); // no private EC material
  });
});
