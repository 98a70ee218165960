import { Body, Controller, Delete, ForbiddenException, HttpCode, HttpStatus, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthRateLimited } from '../auth/auth-rate-limited.decorator';
import { Public } from '../auth/public.decorator';
import { CSRF_MESSAGE } from '../auth/session.guard';
import { bearerToken, cookie, COOKIES, csrfMatches, SessionCookies } from '../auth/session-cookies';
import { AccountService } from './account.service';
import { SignInDto } from './dto/account-requests.dto';
import { toMe, UserEnvelopeDto } from './dto/me.dto';

/** Browser sessions in cookies: sign in, refresh, sign out. */
@ApiTags('account')
@Controller('session')
export class SessionController {
  constructor(
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(SessionCookies) private readonly cookies: SessionCookies,
  ) {}

  @Post()
  @Public()
  @AuthRateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: UserEnvelopeDto, description: 'Signed in: session cookies set' })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password' })
  async signIn(@Body() body: SignInDto, @Res({ passthrough: true }) res: Response): Promise<UserEnvelopeDto> {
    const { session, profile } = await this.accounts.signIn(body.email, body.password);
    this.cookies.set(res, session);
    return { user: toMe(profile) };
  }

  /** New tokens for the refresh cookie (single use; the new one replaces it). CSRF-checked: it changes the session. */
  @Post('refresh')
  @Public()
  @AuthRateLimited()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'New session cookies set' })
  @ApiUnauthorizedResponse({ description: 'No refresh cookie, or the refresh token was revoked or used' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const refreshToken = cookie(req, COOKIES.refreshToken);
    if (!refreshToken) throw new UnauthorizedException('Sign in first');
    if (!csrfMatches(req)) throw new ForbiddenException(CSRF_MESSAGE);
    try {
      this.cookies.set(res, await this.accounts.refresh(refreshToken));
    } catch (error) {
      if (error instanceof UnauthorizedException) this.cookies.clear(res);
      throw error;
    }
  }

  /** Revokes the refresh token at Supabase Auth and clears the cookies. */
  @Delete()
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Signed out: refresh token revoked, cookies cleared' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const bearer = bearerToken(req);
    const accessToken = bearer ?? cookie(req, COOKIES.accessToken);
    const refreshToken = bearer ? undefined : cookie(req, COOKIES.refreshToken);
    if (!accessToken && !refreshToken) throw new UnauthorizedException('Sign in first');
    if (!bearer && !csrfMatches(req)) throw new ForbiddenException(CSRF_MESSAGE);
    this.cookies.clear(res);
    await this.accounts.signOut(accessToken, refreshToken);
  }
}
