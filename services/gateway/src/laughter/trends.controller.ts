import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { TrendsDto } from './dto/laughter-replies.dto';
import { TrendsQueryDto } from './dto/laughter-requests.dto';
import { TrendsService, type TrendsView } from './trends.service';
import { validated } from './dto/validated';

@ApiTags('laughter')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('trends')
export class TrendsController {
  constructor(@Inject(TrendsService) private readonly trends: TrendsService) {}

  @Get()
  @ApiOperation({ summary: 'Laughs per day (7-day moving average), by hour of day, best days and streaks over the last 30, 90 or 365 days' })
  @ApiOkResponse({ type: TrendsDto })
  @ApiBadRequestResponse({ description: 'days is not 30, 90 or 365' })
  get(@CurrentUser() user: AuthenticatedUser, @Query(validated(TrendsQueryDto)) query: TrendsQueryDto): Promise<TrendsView> {
    return this.trends.lastDays(user.userId, query.days);
  }
}
