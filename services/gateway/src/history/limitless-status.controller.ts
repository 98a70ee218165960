import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import type { LimitlessStatusView } from './backfill-view';
import { BackfillService } from './backfill.service';
import { LimitlessStatusDto } from './dto/backfill-replies.dto';

@ApiTags('history')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('status')
export class LimitlessStatusController {
  constructor(@Inject(BackfillService) private readonly backfills: BackfillService) {}

  @Get('limitless')
  @ApiOperation({ summary: 'Is Limitless reachable for me?', description: '`unreachable` while downloads are paused because Limitless has not answered for a long time — a different state from a rejected key (see /api/me).' })
  @ApiOkResponse({ type: LimitlessStatusDto })
  async limitless(@CurrentUser() user: AuthenticatedUser): Promise<LimitlessStatusView> {
    return (await this.backfills.status(user.userId)).limitless;
  }
}
