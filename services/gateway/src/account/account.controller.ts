import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthRateLimited } from '../auth/auth-rate-limited.decorator';
import { Public } from '../auth/public.decorator';
import { SessionCookies } from '../auth/session-cookies';
import { AccountService } from './account.service';
import { CreateAccountDto, PasswordResetDto } from './dto/account-requests.dto';
import { toMe, UserEnvelopeDto } from './dto/me.dto';

@ApiTags('account')
@Controller('account')
export class AccountController {
  constructor(
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(SessionCookies) private readonly cookies: SessionCookies,
  ) {}

  /** Registers with Supabase Auth, creates the users row, and signs in (session cookies). */
  @Post()
  @Public()
  @AuthRateLimited()
  @ApiCreatedResponse({ type: UserEnvelopeDto, description: 'Signed in: session cookies set' })
  @ApiConflictResponse({ description: 'An account with this e-mail already exists' })
  async create(@Body() body: CreateAccountDto, @Res({ passthrough: true }) res: Response): Promise<UserEnvelopeDto> {
    const { session, profile } = await this.accounts.register(body.email, body.password, body.timezone);
    this.cookies.set(res, session);
    return { user: toMe(profile) };
  }

  /** Always 202, whether the account exists or not (no account probing). */
  @Post('password-reset')
  @Public()
  @AuthRateLimited()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ description: 'If the account exists, a reset e-mail is on its way' })
  async passwordReset(@Body() body: PasswordResetDto): Promise<{ message: string }> {
    await this.accounts.requestPasswordReset(body.email);
    return { message: 'If an account exists for this e-mail, a reset link is on its way' };
  }
}
