import { Controller, Delete, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionCookies } from '../auth/session-cookies';
import { AccountDeletionService } from './account-deletion.service';

@ApiTags('account')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('me')
export class AccountDeletionController {
  constructor(
    @Inject(AccountDeletionService) private readonly deletion: AccountDeletionService,
    @Inject(SessionCookies) private readonly cookies: SessionCookies,
  ) {}

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete all my data — laughs, clips, windows, logs, jobs, the key — and the account; signs out' })
  @ApiNoContentResponse({ description: 'Everything is gone; the session cookies are cleared' })
  @ApiServiceUnavailableResponse({ description: 'A service did not answer; nothing or only the data was deleted — try again' })
  async deleteEverything(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.deletion.deleteEverything(user.userId);
    this.cookies.clear(res);
  }
}
