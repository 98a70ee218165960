import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { DaysService, type DayWithHours } from './days.service';
import { DayDto, DayLaughsDto, DaysPageDto } from './dto/laughter-replies.dto';
import { DayLaughsQueryDto, DaysQueryDto } from './dto/laughter-requests.dto';
import { LocalDatePipe } from './dto/local-date';
import { LaughsService, type DayLaughsView } from './laughs.service';
import type { DaysPageReply } from '@giggles/contracts';
import { validated } from './dto/validated';

const DATE_PARAM = { name: 'date', description: 'A local day of the user, YYYY-MM-DD', example: '2026-03-07' };

@ApiTags('laughter')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('days')
export class DaysController {
  constructor(
    @Inject(DaysService) private readonly days: DaysService,
    @Inject(LaughsService) private readonly laughs: LaughsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Days newest first (laughs, audio hours, windows, processing state), paginated' })
  @ApiOkResponse({ type: DaysPageDto })
  @ApiBadRequestResponse({ description: 'Bad before or limit' })
  list(@CurrentUser() user: AuthenticatedUser, @Query(validated(DaysQueryDto)) query: DaysQueryDto): Promise<DaysPageReply> {
    return this.days.page(user.userId, query.before, query.limit);
  }

  @Get(':date')
  @ApiOperation({ summary: "One day: its summary, windows and which local hours had audio" })
  @ApiParam(DATE_PARAM)
  @ApiOkResponse({ type: DayDto })
  @ApiNotFoundResponse({ description: 'Nothing recorded or processed that day' })
  one(@CurrentUser() user: AuthenticatedUser, @Param('date', LocalDatePipe) date: string): Promise<DayWithHours> {
    return this.days.one(user.userId, date);
  }

  @Get(':date/laughs')
  @ApiOperation({ summary: "A day's laughs in time order, filterable by minimum probability, paginated" })
  @ApiParam(DATE_PARAM)
  @ApiOkResponse({ type: DayLaughsDto })
  @ApiBadRequestResponse({ description: 'Bad date, minProbability, offset or limit' })
  laughsOf(@CurrentUser() user: AuthenticatedUser, @Param('date', LocalDatePipe) date: string, @Query(validated(DayLaughsQueryDto)) query: DayLaughsQueryDto): Promise<DayLaughsView> {
    return this.laughs.ofDay(user.userId, date, query);
  }

  @Delete(':date')
  @HttpCode(204)
  @ApiOperation({ summary: "Delete a whole day's laughs and their clips (a reprocess does not bring them back)" })
  @ApiParam(DATE_PARAM)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('date', LocalDatePipe) date: string): Promise<void> {
    await this.days.delete(user.userId, date);
  }
}
