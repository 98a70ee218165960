import { Body, Controller, Get, Inject, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { AccountService } from './account.service';
import { UpdateMeDto } from './dto/account-requests.dto';
import { MeDto, toMe } from './dto/me.dto';

/** The signed-in user's profile and settings (DELETE /api/me lives with the laughter routes). */
@ApiTags('account')
@Controller('me')
export class MeController {
  constructor(@Inject(AccountService) private readonly accounts: AccountService) {}

  @Get()
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() user: AuthenticatedUser): Promise<MeDto> {
    return toMe(await this.accounts.profile(user));
  }

  /** The new zone applies to days not processed yet; processed days keep theirs. */
  @Patch()
  @ApiOkResponse({ type: MeDto })
  async update(@CurrentUser() user: AuthenticatedUser, @Body() body: UpdateMeDto): Promise<MeDto> {
    return toMe(await this.accounts.updateTimezone(user, body.timezone));
  }
}
