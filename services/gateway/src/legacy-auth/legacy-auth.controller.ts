import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountService } from '../account/account.service';
import { SignInDto } from '../account/dto/account-requests.dto';
import { AuthRateLimited } from '../auth/auth-rate-limited.decorator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/public.decorator';
import { LegacyLoginReplyDto, LegacyMeDto, LegacyRegisterDto, LegacyUserDto } from './dto/legacy-auth.dto';

/**
 * The original app's auth routes with its JSON field names, for its API clients and scripts: tokens
 * in the body (Bearer), no cookies.
 */
@ApiTags('original app')
@Controller('auth')
export class LegacyAuthController {
  constructor(@Inject(AccountService) private readonly accounts: AccountService) {}

  @Post('register')
  @Public()
  @AuthRateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LegacyUserDto })
  async register(@Body() body: LegacyRegisterDto): Promise<LegacyUserDto> {
    const { profile } = await this.accounts.register(body.email, body.password, body.timezone);
    return { id: profile.userId, email: profile.email, created_at: profile.createdAt, updated_at: null, is_active: true, mfa_enabled: false };
  }

  @Post('login')
  @Public()
  @AuthRateLimited()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LegacyLoginReplyDto })
  async login(@Body() body: SignInDto): Promise<LegacyLoginReplyDto> {
    const { session, profile } = await this.accounts.signIn(body.email, body.password);
    return {
      access_token: session.accessToken,
      token_type: 'bearer',
      expires_in: session.expiresIn,
      refresh_token: session.refreshToken,
      user: { id: profile.userId, email: profile.email },
    };
  }

  @Get('me')
  @ApiOkResponse({ type: LegacyMeDto })
  me(@CurrentUser() user: AuthenticatedUser): LegacyMeDto {
    return { user_id: user.userId, email: user.email, is_authenticated: true };
  }
}
