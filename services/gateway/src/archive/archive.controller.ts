import { Body, Controller, Get, Inject, Param, Put, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ArchiveSummaryReply } from '@giggles/contracts';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { LocalDatePipe } from '../laughter/dto/local-date';
import { validated } from '../laughter/dto/validated';
import { ArchiveSummaryDto, DayArchiveDto, SetArchiveDto } from './archive.dto';
import { ArchiveService, type DayArchive } from './archive.service';

@ApiTags('archive')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller()
export class ArchiveController {
  constructor(@Inject(ArchiveService) private readonly archive: ArchiveService) {}

  @Get('archive')
  @ApiOperation({ summary: "Keep the audio: my switch, the deployment's mode and retention, and how much is kept" })
  @ApiOkResponse({ type: ArchiveSummaryDto })
  summary(@CurrentUser() user: AuthenticatedUser): Promise<ArchiveSummaryReply> {
    return this.archive.summary(user.userId);
  }

  @Put('archive')
  @ApiOperation({ summary: 'Turn keeping the audio of processed windows on or off' })
  @ApiOkResponse({ type: ArchiveSummaryDto })
  @ApiBadRequestResponse({ description: 'enabled is not a boolean' })
  set(@CurrentUser() user: AuthenticatedUser, @Body(validated(SetArchiveDto)) body: SetArchiveDto): Promise<ArchiveSummaryReply> {
    return this.archive.setEnabled(user.userId, body.enabled);
  }

  @Get('archive/days/:date')
  @ApiOperation({ summary: 'How much of one day’s audio is kept (the day page shows its download when windows > 0)' })
  @ApiParam({ name: 'date', description: 'A local day of the user, YYYY-MM-DD', example: '2026-03-07' })
  @ApiOkResponse({ type: DayArchiveDto })
  day(@CurrentUser() user: AuthenticatedUser, @Param('date', LocalDatePipe) date: string): Promise<DayArchive> {
    return this.archive.day(user.userId, date);
  }

  @Get('days/:date/audio')
  @ApiOperation({ summary: "The day's kept audio: a zip of its windows' Ogg Opus files, named by local time" })
  @ApiParam({ name: 'date', description: 'A local day of the user, YYYY-MM-DD', example: '2026-03-07' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The zip, streamed' })
  @ApiNotFoundResponse({ description: 'No audio of this day is kept' })
  async dayAudio(@CurrentUser() user: AuthenticatedUser, @Param('date', LocalDatePipe) date: string, @Res() res: Response): Promise<void> {
    const audio = await this.archive.dayAudio(user.userId, date);
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${audio.fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    // Headers are gone once bytes flow: a failure mid-zip can only cut the connection.
    audio.stream.once('error', () => res.destroy());
    res.once('close', () => audio.stream.destroy());
    audio.stream.pipe(res);
  }
}
