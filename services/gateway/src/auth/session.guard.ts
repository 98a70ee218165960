import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AccessTokenVerifier } from './access-token.verifier';
import { REQUEST_USER, type RequestWithUser } from './current-user.decorator';
import { IS_PUBLIC } from './public.decorator';
import { bearerToken, cookie, COOKIES, csrfMatches, isStateChanging, SessionCookies } from './session-cookies';

export const CSRF_MESSAGE = 'CSRF token missing or wrong';

/**
 * Global guard: every route but @Public() ones needs a valid access token — `Authorization:
 * Bearer` (API clients; no CSRF check) or the `giggles_at` cookie (browser; state-changing
 * methods must also pass the CSRF double-submit check).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
    @Inject(SessionCookies) private readonly cookies: SessionCookies,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request & RequestWithUser>();
    const bearer = bearerToken(req);
    if (bearer) {
      req[REQUEST_USER] = await this.verifier.verify(bearer);
      return true;
    }
    const token = cookie(req, COOKIES.accessToken);
    if (!token) throw new UnauthorizedException('Sign in first');
    // CSRF before the token: a forged cross-site request learns nothing about the session.
    if (isStateChanging(req) && !csrfMatches(req)) throw new ForbiddenException(CSRF_MESSAGE);
    req[REQUEST_USER] = await this.verifier.verify(token);
    // A session whose CSRF cookie went missing (cleared by hand, older browser session) gets a new
    // one on its next read, so the page can make changes again without signing in.
    if (!cookie(req, COOKIES.csrf)) this.cookies.setCsrf(context.switchToHttp().getResponse<Response>());
    return true;
  }
}
