import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JobIdPipe } from './dto/ids';
import { JobProgressEventDto, JobsStartedDto, JobStartedDto } from './dto/laughter-replies.dto';
import { ReprocessDto } from './dto/laughter-requests.dto';
import { JobEventsService } from './job-events.service';
import { JobsService, type StartedJob } from './jobs.service';
import { LAUGHTER_SETTINGS, type LaughterConfig } from './laughter-config';
import { startEventStream, writeEvent, writeKeepAlive } from './sse';
import { validated } from './dto/validated';

@ApiTags('jobs')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('jobs')
export class JobsController {
  constructor(
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(JobEventsService) private readonly events: JobEventsService,
    @Inject(LAUGHTER_SETTINGS) private readonly settings: LaughterConfig,
  ) {}

  @Post('today')
  @HttpCode(202)
  @ApiOperation({ summary: 'Process today so far (the nightly run completes the day)' })
  @ApiAcceptedResponse({ type: JobStartedDto })
  @ApiConflictResponse({ description: 'No valid Limitless key saved' })
  today(@CurrentUser() user: AuthenticatedUser): Promise<{ job: StartedJob }> {
    return this.jobs.today(user.userId);
  }

  @Post('reprocess')
  @HttpCode(202)
  @ApiOperation({ summary: "Remove a range of days' results and process them again" })
  @ApiAcceptedResponse({ type: JobsStartedDto })
  @ApiBadRequestResponse({ description: 'Bad dates, to before from, or more days than the scheduler allows' })
  @ApiConflictResponse({ description: 'A job of those days is still running, or no valid Limitless key saved' })
  reprocess(@CurrentUser() user: AuthenticatedUser, @Body(validated(ReprocessDto)) body: ReprocessDto): Promise<{ jobs: StartedJob[] }> {
    return this.jobs.reprocess(user.userId, body.from, body.to);
  }

  @Get(':jobId/events')
  @ApiOperation({
    summary: "A job's progress as Server-Sent Events",
    description: '`event: progress` with the body below whenever it changes, then `event: done` (same body) when the job is final; the stream then closes.',
  })
  @ApiParam({ name: 'jobId', description: 'From POST /api/jobs/today or /reprocess (URL-encoded)' })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, type: JobProgressEventDto, description: 'The event body' })
  @ApiNotFoundResponse({ description: 'No such job of yours' })
  @ApiTooManyRequestsResponse({ description: 'Too many progress streams open' })
  async stream(@CurrentUser() user: AuthenticatedUser, @Param('jobId', JobIdPipe) jobId: string, @Res() res: Response): Promise<void> {
    const slot = this.events.reserve(user.userId);
    const gone = new AbortController();
    try {
      const first = await this.events.current(user.userId, jobId);
      res.on('close', () => gone.abort());
      startEventStream(res, this.settings.jobEventsPollIntervalMs * 3);
      try {
        for await (const item of this.events.events(user.userId, first, gone.signal)) {
          if (res.destroyed) break;
          if (item.event === 'keepalive') writeKeepAlive(res);
          else writeEvent(res, item.event, item.data);
        }
      } finally {
        // The stream has begun: whatever happened, end it (the browser reconnects if it must).
        if (!res.destroyed) res.end();
      }
    } finally {
      gone.abort();
      slot.release();
    }
  }
}
