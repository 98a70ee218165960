import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { defaultJwtKeys, type JwtKeys } from './keys';

export type JwtRole = 'anon' | 'authenticated' | 'service_role';

export interface MintJwtOptions {
  /** Subject (user id); default a random uuid for `authenticated`, none otherwise. */
  sub?: string;
  role: JwtRole;
  /** jose duration ("1h", "15m") or seconds; default 1h. A negative number mints an expired token. */
  expiresIn?: string | number;
  alg?: 'HS256' | 'ES256';
  email?: string;
  /** Extra claims (override the defaults). */
  claims?: JWTPayload & Record<string, unknown>;
  /** Keys to sign with (default: defaultJwtKeys()). */
  keys?: JwtKeys;
  issuer?: string;
}

/** A Supabase-shaped access token (claims role, aud, sub, email, …) signed HS256 or ES256. */
export async function mintJwt(options: MintJwtOptions): Promise<string> {
  const keys = options.keys ?? (await defaultJwtKeys());
  const alg = options.alg ?? 'HS256';
  const now = Math.floor(Date.now() / 1000);
  const sub = options.sub ?? (options.role === 'authenticated' ? randomUUID() : undefined);
  const payload: JWTPayload & Record<string, unknown> = {
    role: options.role,
    aud: options.role === 'authenticated' ? 'authenticated' : undefined,
    ...(sub ? { sub } : {}),
    ...(options.email ? { email: options.email } : {}),
    ...options.claims,
  };
  if (payload.aud === undefined) delete payload.aud;
  const exp =
    typeof options.expiresIn === 'number' ? now + options.expiresIn : options.expiresIn ?? '1h';
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg, typ: 'JWT', kid: alg === 'HS256' ? keys.hsKid : keys.es256.kid })
    .setIssuedAt(now)
    .setExpirationTime(exp);
  if (options.issuer) jwt.setIssuer(options.issuer);
  return alg === 'HS256'
    ? jwt.sign(new TextEncoder().encode(keys.secret))
    : jwt.sign(keys.es256.privateKey);
}

/** Long-lived keys like a Supabase project's: anon and service_role (HS256). */
export async function mintApiKeys(keys?: JwtKeys): Promise<{ anonKey: string; serviceRoleKey: string }> {
  const [anonKey, serviceRoleKey] = await Promise.all([
    mintJwt({ role: 'anon', expiresIn: '10y', keys, claims: { iss: 'supabase-test' } }),
    mintJwt({ role: 'service_role', expiresIn: '10y', keys, claims: { iss: 'supabase-test' } }),
  ]);
  return { anonKey, serviceRoleKey };
}
