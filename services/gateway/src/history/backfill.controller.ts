import { Body, Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { validated } from '../laughter/dto/validated';
import { JobEventsService } from '../laughter/job-events.service';
import { LAUGHTER_SETTINGS, type LaughterConfig } from '../laughter/laughter-config';
import { startEventStream, writeEvent, writeKeepAlive } from '../laughter/sse';
import type { BackfillView } from './backfill-view';
import { BackfillEventsService } from './backfill-events.service';
import { BackfillService, type BackfillStatus } from './backfill.service';
import { BackfillStartDto } from './dto/backfill-requests.dto';
import { BackfillStartedDto, BackfillStatusDto } from './dto/backfill-replies.dto';

@ApiTags('history')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('backfill')
export class BackfillController {
  constructor(
    @Inject(BackfillService) private readonly backfills: BackfillService,
    @Inject(BackfillEventsService) private readonly events: BackfillEventsService,
    @Inject(JobEventsService) private readonly streams: JobEventsService,
    @Inject(LAUGHTER_SETTINGS) private readonly settings: LaughterConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Process my whole history', description: 'Every day from the first with audio (or `from`) up to yesterday (or `to`), oldest first, in the background; days already done are skipped. Starting again replaces the range and resumes.' })
  @ApiAcceptedResponse({ type: BackfillStartedDto })
  @ApiBadRequestResponse({ description: 'Bad dates, unknown fields, or `to` not ended yet' })
  @ApiConflictResponse({ description: 'No valid Limitless key saved' })
  @ApiNotFoundResponse({ description: 'Limitless has no recordings in the range (give `from` to process anyway)' })
  start(@CurrentUser() user: AuthenticatedUser, @Body(validated(BackfillStartDto)) body: BackfillStartDto): Promise<{ backfill: BackfillView }> {
    return this.backfills.start(user.userId, { ...(body.from ? { from: body.from } : {}), ...(body.to ? { to: body.to } : {}) });
  }

  @Get()
  @ApiOperation({ summary: "My backfill's progress and whether Limitless is reachable" })
  @ApiOkResponse({ type: BackfillStatusDto })
  status(@CurrentUser() user: AuthenticatedUser): Promise<BackfillStatus> {
    return this.backfills.status(user.userId);
  }

  @Post('pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause my backfill (days in progress finish)' })
  @ApiOkResponse({ type: BackfillStartedDto })
  @ApiNotFoundResponse({ description: 'No backfill started' })
  @ApiConflictResponse({ description: 'No valid Limitless key saved' })
  pause(@CurrentUser() user: AuthenticatedUser): Promise<{ backfill: BackfillView }> {
    return this.backfills.pause(user.userId);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume my paused backfill' })
  @ApiOkResponse({ type: BackfillStartedDto })
  @ApiNotFoundResponse({ description: 'No backfill started' })
  @ApiConflictResponse({ description: 'No valid Limitless key saved' })
  resume(@CurrentUser() user: AuthenticatedUser): Promise<{ backfill: BackfillView }> {
    return this.backfills.resume(user.userId);
  }

  @Get('events')
  @ApiOperation({
    summary: 'My backfill progress as Server-Sent Events',
    description: '`event: progress` with the body of GET /api/backfill whenever it changes, then `event: done` (same body) when the backfill is done; the stream then closes.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ type: BackfillStatusDto, description: 'The event body' })
  @ApiTooManyRequestsResponse({ description: 'Too many progress streams open' })
  async stream(@CurrentUser() user: AuthenticatedUser, @Res() res: Response): Promise<void> {
    // One budget with the job progress streams: each open stream polls, whatever it follows.
    const slot = this.streams.reserve(user.userId);
    const gone = new AbortController();
    try {
      const first = await this.backfills.status(user.userId);
      res.on('close', () => gone.abort());
      startEventStream(res, this.settings.jobEventsPollIntervalMs * 3);
      try {
        for await (const item of this.events.events(user.userId, first, gone.signal)) {
          if (res.destroyed) break;
          if (item.event === 'keepalive') writeKeepAlive(res);
          else writeEvent(res, item.event, item.data);
        }
      } finally {
        if (!res.destroyed) res.end();
      }
    } finally {
      gone.abort();
      slot.release();
    }
  }
}
