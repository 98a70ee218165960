import { decodeProtectedHeader, importJWK, type JWTPayload, jwtVerify } from 'jose';
import { defaultJwtKeys, type JwtKeys } from './keys';

/** Verifies a token minted with these keys (HS256 or ES256); throws when invalid or expired. */
export async function verifyJwt(token: string, keys?: JwtKeys): Promise<JWTPayload> {
  const k = keys ?? (await defaultJwtKeys());
  const { alg } = decodeProtectedHeader(token);
  if (alg === 'ES256') {
    const key = await importJWK(k.es256.publicJwk, 'ES256');
    return (await jwtVerify(token, key, { algorithms: ['ES256'] })).payload;
  }
  return (await jwtVerify(token, new TextEncoder().encode(k.secret), { algorithms: ['HS256'] })).payload;
}
