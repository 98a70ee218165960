import { randomBytes } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';

/** Signing material for test JWTs: an HS256 secret (Supabase's legacy) and an ES256 key pair. */
export interface JwtKeys {
  /** HS256 shared secret (≥ 32 chars, as PostgREST requires). */
  secret: string;
  hsKid: string;
  es256: { privateKey: CryptoKey; publicJwk: JWK; kid: string };
  /** Both verification keys as a JWKS (PostgREST accepts a JWKS JSON as its JWT secret). */
  jwks: { keys: JWK[] };
}

export async function createJwtKeys(secret?: string): Promise<JwtKeys> {
  const hs = secret ?? randomBytes(32).toString('hex');
  if (hs.length < 32) throw new Error('JWT secret must be at least 32 characters');
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `es256-${randomBytes(4).toString('hex')}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const hsKid = `hs256-${randomBytes(4).toString('hex')}`;
  const octJwk: JWK = { kty: 'oct', k: Buffer.from(hs, 'utf8').toString('base64url'), kid: hsKid, alg: 'HS256', use: 'sig' };
  return { secret: hs, hsKid, es256: { privateKey, publicJwk, kid }, jwks: { keys: [octJwk, publicJwk] } };
}

let defaults: Promise<JwtKeys> | undefined;

/**
 * The process-wide default keys (the HS256 secret comes from GIGGLES_TEST_JWT_SECRET when set).
 * Harnesses use these unless given others, so a token minted with mintJwt() works everywhere.
 */
export function defaultJwtKeys(): Promise<JwtKeys> {
  defaults ??= createJwtKeys(process.env.GIGGLES_TEST_JWT_SECRET);
  return defaults;
}
