import { ConfigError } from '@giggles/config';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './gateway-config';

const BASE = {
  SUPABASE_URL: 'https://project.supabase.co/',
  SUPABASE_ANON_KEY: 'anon-key-anon-key-anon-key',
  SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-service-role',
  SUPABASE_JWT_SECRET: 'x'.repeat(40),
  GIGGLES_ENCRYPTION_KEY: 'ab'.repeat(32),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.name);
    throw error;
  }
  return [];
}

describe('loadGatewayConfig', () => {
  it('defaults: port 8080, Secure cookies, the issuer from SUPABASE_URL, no CORS origins', () => {
    const config = loadGatewayConfig(BASE);
    expect(config).toMatchObject({ port: 8080, cookieSecure: true, issuer: 'https://project.supabase.co/auth/v1', jwtAudience: 'authenticated', corsOriginList: [], bodyLimitKb: 64 });
  });

  it('needs a way to verify tokens: the JWT secret or a JWKS URL', () => {
    expect(problems({ ...BASE, SUPABASE_JWT_SECRET: '' })).toEqual(['SUPABASE_JWT_SECRET']);
    expect(problems({ ...BASE, SUPABASE_JWT_SECRET: '', SUPABASE_JWKS_URL: 'https://project.supabase.co/auth/v1/.well-known/jwks.json' })).toEqual([]);
    expect(problems({ ...BASE, SUPABASE_JWT_SECRET: 'too-short' })).toEqual(['SUPABASE_JWT_SECRET']);
  });

  it('lists every bad variable at once: origins, bounds, missing secrets', () => {
    const names = problems({ SUPABASE_URL: 'ftp://nope', GATEWAY_CORS_ORIGINS: 'https://ok.example, https://bad.example/path', GATEWAY_BODY_LIMIT_KB: '0', GATEWAY_COOKIE_SECURE: 'maybe' });
    expect(names).toEqual(expect.arrayContaining(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'GIGGLES_ENCRYPTION_KEY', 'GATEWAY_CORS_ORIGINS', 'GATEWAY_BODY_LIMIT_KB', 'GATEWAY_COOKIE_SECURE', 'SUPABASE_JWT_SECRET']));
  });

  it('parses CORS origins and the plain-http demo switch', () => {
    const config = loadGatewayConfig({ ...BASE, GATEWAY_CORS_ORIGINS: 'https://a.example, http://localhost:5173', GATEWAY_COOKIE_SECURE: 'false', SUPABASE_JWT_ISSUER: 'http://localhost:8080' });
    expect(config.corsOriginList).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(config.cookieSecure).toBe(false);
    expect(config.issuer).toBe('http://localhost:8080');
  });
});
