import { BadRequestException, Body, Controller, Delete, Get, Headers, HttpCode, Inject, NotFoundException, Param, Post, Put, Res, type PipeTransform } from '@nestjs/common';
import { isLocalDate } from '@giggles/contracts';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { SessionCookies } from '../auth/session-cookies';
import { sendClip } from '../laughter/clip-response';
import { ClipsService } from '../laughter/clips.service';
import { LaughIdPipe } from '../laughter/dto/ids';
import {
  LegacyDailySummaryDto,
  LegacyDetectionDto,
  LegacyDetectionUpdateDto,
  LegacyMessageDto,
  LegacyReprocessDto,
  LegacyReprocessReplyDto,
  LegacyTriggerReplyDto,
} from './legacy-data.dto';
import type { LegacyDailySummary, LegacyJob, LegacyLaughterDetection } from './legacy-data.mappers';
import { LegacyDataService } from './legacy-data.service';
import { validated } from '../laughter/dto/validated';

/** The original app's messages for a bad id, kept word for word. */
const BAD_DETECTION_ID = 'Invalid detection ID format';
const BAD_CLIP_ID = 'Invalid clip ID format';

/** `{date}` with the original's wording when it is not a real YYYY-MM-DD day. */
class LegacyDatePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isLocalDate(value)) throw new BadRequestException('Invalid date format. Use YYYY-MM-DD');
    return value;
  }
}

/** Rewrites a 404 from below into the original's wording. */
async function originalNotFound<T>(work: Promise<T>, message: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundException) throw new NotFoundException(message);
    throw error;
  }
}

/**
 * The original (Python) app's data routes at their original paths, with its JSON field names and
 * status codes, for its clients and scripts. Errors carry FastAPI's `detail` (the global filter adds it). Bad input is 400 here,
 * where FastAPI's body validation answered 422.
 */
@ApiTags('original app')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller()
export class LegacyDataController {
  constructor(
    @Inject(LegacyDataService) private readonly legacy: LegacyDataService,
    @Inject(ClipsService) private readonly clips: ClipsService,
    @Inject(SessionCookies) private readonly cookies: SessionCookies,
  ) {}

  @Post('trigger-nightly-processing')
  @HttpCode(200)
  @ApiOperation({ summary: '(original) Process today so far — now starts a job and answers at once' })
  @ApiOkResponse({ type: LegacyTriggerReplyDto })
  async trigger(@CurrentUser() user: AuthenticatedUser): Promise<LegacyTriggerReplyDto> {
    const job: LegacyJob = await this.legacy.processToday(user.userId);
    return { message: 'Nightly processing triggered successfully', status: job.state, user_id: user.userId, job_id: job.job_id, date: job.date };
  }

  @Get('daily-summary')
  @ApiOperation({ summary: "(original) Every day with laughs, newest first, grouped by the user's local day" })
  @ApiOkResponse({ type: [LegacyDailySummaryDto] })
  dailySummary(@CurrentUser() user: AuthenticatedUser): Promise<LegacyDailySummary[]> {
    return this.legacy.dailySummary(user.userId);
  }

  @Get('laughter-detections/:date')
  @ApiOperation({ summary: "(original) A local day's detections in time order" })
  @ApiParam({ name: 'date', example: '2026-03-07' })
  @ApiOkResponse({ type: [LegacyDetectionDto] })
  @ApiBadRequestResponse({ description: 'Invalid date format. Use YYYY-MM-DD' })
  async detections(@CurrentUser() user: AuthenticatedUser, @Param('date', new LegacyDatePipe()) date: string): Promise<LegacyLaughterDetection[]> {
    try {
      return await this.legacy.detections(user.userId, date);
    } catch (error) {
      if (error instanceof NotFoundException) return []; // the original listed nothing for an empty day
      throw error;
    }
  }

  @Put('laughter-detections/:id')
  @ApiOperation({ summary: "(original) Edit a detection's notes" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: LegacyMessageDto })
  @ApiBadRequestResponse({ description: BAD_DETECTION_ID })
  @ApiNotFoundResponse({ description: 'Detection not found' })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new LaughIdPipe(BAD_DETECTION_ID)) id: string,
    @Body(validated(LegacyDetectionUpdateDto)) body: LegacyDetectionUpdateDto,
  ): Promise<LegacyMessageDto> {
    await originalNotFound(this.legacy.updateNotes(user.userId, id, body.notes), 'Detection not found');
    return { message: 'Detection updated successfully' };
  }

  @Delete('laughter-detections/:id')
  @ApiOperation({ summary: '(original) Delete a detection and its clip' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: LegacyMessageDto })
  @ApiBadRequestResponse({ description: BAD_DETECTION_ID })
  @ApiNotFoundResponse({ description: 'Detection not found' })
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id', new LaughIdPipe(BAD_DETECTION_ID)) id: string): Promise<LegacyMessageDto> {
    await originalNotFound(this.legacy.deleteDetection(user.userId, id), 'Detection not found');
    return { message: 'Detection deleted successfully' };
  }

  @Get('audio-clips/:id')
  @ApiOperation({ summary: "(original) A detection's clip as audio/wav (Range and ETag as /api/laughs/{id}/clip)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('audio/wav')
  @ApiBadRequestResponse({ description: BAD_CLIP_ID })
  @ApiNotFoundResponse({ description: 'Audio clip not found' })
  async clip(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new LaughIdPipe(BAD_CLIP_ID)) id: string,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await sendClip(res, await originalNotFound(this.clips.open(user.userId, id, { range, ifNoneMatch }), 'Audio clip not found'));
  }

  @Delete('user-data')
  @ApiOperation({ summary: "(original) Delete all the caller's data and account — only theirs — and sign out" })
  @ApiOkResponse({ type: LegacyMessageDto })
  async deleteUserData(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) res: Response): Promise<LegacyMessageDto> {
    await this.legacy.deleteEverything(user.userId);
    this.cookies.clear(res);
    return { message: 'User data deleted successfully' };
  }

  @Post('reprocess-date-range')
  @HttpCode(200)
  @ApiOperation({ summary: '(original) Reprocess a date range — now starts one job per day and answers at once' })
  @ApiOkResponse({ type: LegacyReprocessReplyDto })
  @ApiBadRequestResponse({ description: 'Bad dates or a range over the limit' })
  async reprocess(@CurrentUser() user: AuthenticatedUser, @Body(validated(LegacyReprocessDto)) body: LegacyReprocessDto): Promise<LegacyReprocessReplyDto> {
    const jobs = await this.legacy.reprocess(user.userId, body.start_date, body.end_date);
    return { message: `Reprocessing ${jobs.length} day(s) started`, status: 'queued', start_date: body.start_date, end_date: body.end_date, jobs };
  }
}
