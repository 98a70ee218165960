import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import type { GatewayConfig } from '../config/gateway-config';
import type { AuthSession } from './auth-provider.port';

/** Cookie names (docs/api.md): the web app reads only `giggles_csrf`. */
export const COOKIES = {
  accessToken: 'giggles_at',
  refreshToken: 'giggles_rt',
  csrf: 'giggles_csrf',
} as const;

export const CSRF_HEADER = 'x-csrf-token';

/** Bytes of randomness in a CSRF token (256 bits). */
const CSRF_TOKEN_BYTES = 32;

/**
 * The browser session: access and refresh tokens in `HttpOnly; SameSite=Lax; Path=/api` cookies
 * (page scripts never see a token), `Secure` unless GATEWAY_COOKIE_SECURE=false, and a readable
 * `giggles_csrf` cookie for the double-submit check.
 */
export class SessionCookies {
  constructor(private readonly config: Pick<GatewayConfig, 'cookieSecure' | 'refreshCookieMaxAgeMs'>) {}

  private base(): CookieOptions {
    return { secure: this.config.cookieSecure, sameSite: 'lax' };
  }

  set(res: Response, session: AuthSession): void {
    res.cookie(COOKIES.accessToken, session.accessToken, { ...this.base(), httpOnly: true, path: '/api', maxAge: session.expiresIn * 1000 });
    res.cookie(COOKIES.refreshToken, session.refreshToken, { ...this.base(), httpOnly: true, path: '/api', maxAge: this.config.refreshCookieMaxAgeMs });
    this.setCsrf(res);
  }

  /** A fresh CSRF token (readable by the page, Path=/ so every page can read it); returns it. */
  setCsrf(res: Response): string {
    const token = randomBytes(CSRF_TOKEN_BYTES).toString('base64url');
    res.cookie(COOKIES.csrf, token, { ...this.base(), httpOnly: false, path: '/', maxAge: this.config.refreshCookieMaxAgeMs });
    return token;
  }

  clear(res: Response): void {
    const base = this.base();
    res.clearCookie(COOKIES.accessToken, { ...base, httpOnly: true, path: '/api' });
    res.clearCookie(COOKIES.refreshToken, { ...base, httpOnly: true, path: '/api' });
    res.clearCookie(COOKIES.csrf, { ...base, path: '/' });
  }
}

export function cookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Double submit: the `X-CSRF-Token` header equals the `giggles_csrf` cookie (constant-time). */
export function csrfMatches(req: Request): boolean {
  const expected = cookie(req, COOKIES.csrf);
  const sent = req.headers[CSRF_HEADER];
  if (!expected || typeof sent !== 'string' || sent.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(req: Request): boolean {
  return !SAFE_METHODS.has(req.method.toUpperCase());
}
