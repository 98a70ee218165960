import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';
import type { AuthenticatedUser } from './authenticated-user';

/** Algorithms accepted from the JWKS (Supabase's asymmetric signing keys). `none` and anything else are refused. */
export const ASYMMETRIC_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
export const SYMMETRIC_ALGORITHMS = ['HS256'] as const;

const INVALID = 'Session expired or invalid — sign in again';

/**
 * Verifies every access token itself with `jose`: signature (HS256 with SUPABASE_JWT_SECRET, or a
 * key from SUPABASE_JWKS_URL), algorithm allow-list, issuer, audience and expiry, and a `sub`
 * that is a user id. The JWKS is one cached document: refetched after GATEWAY_JWKS_CACHE_TTL, or
 * when a token names an unknown `kid` — at most once per GATEWAY_JWKS_COOLDOWN, so forged kids
 * cannot make the gateway hammer the URL; memory holds one key set, whatever the traffic.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly jwks?: JWTVerifyGetKey;

  constructor(@Inject(GATEWAY_SETTINGS) private readonly config: GatewayConfig) {
    if (config.jwtSecret) this.secret = new TextEncoder().encode(config.jwtSecret);
    if (config.jwksUrl) {
      this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
        cacheMaxAge: config.jwksCacheTtlMs,
        cooldownDuration: config.jwksCooldownMs,
        timeoutDuration: config.jwksTimeoutMs,
      });
    }
  }

  /** The user the token belongs to; 401 for anything not exactly right. */
  async verify(token: string): Promise<AuthenticatedUser> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new UnauthorizedException(INVALID);
    }
    const common = { issuer: this.config.issuer, audience: this.config.jwtAudience, clockTolerance: Math.round(this.config.jwtClockToleranceMs / 1000), requiredClaims: ['exp', 'sub'] };
    let payload: JWTPayload;
    try {
      if (alg && (SYMMETRIC_ALGORITHMS as readonly string[]).includes(alg) && this.secret) {
        ({ payload } = await jwtVerify(token, this.secret, { ...common, algorithms: [...SYMMETRIC_ALGORITHMS] }));
      } else if (alg && (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg) && this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...common, algorithms: [...ASYMMETRIC_ALGORITHMS] }));
      } else {
        throw new UnauthorizedException(INVALID);
      }
    } catch {
      throw new UnauthorizedException(INVALID);
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || !USER_ID.test(sub) || (payload.role !== undefined && payload.role !== 'authenticated')) {
      throw new UnauthorizedException(INVALID);
    }
    return { userId: sub, email: typeof payload.email === 'string' ? payload.email : '' };
  }
}

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
