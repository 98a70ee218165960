import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ExportQueryDto } from './dto/laughter-requests.dto';
import { exportFileName } from './export-format';
import { ExportService } from './export.service';
import { validated } from './dto/validated';

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

@ApiTags('laughter')
@ApiUnauthorizedResponse({ description: 'No session' })
@Controller('export')
export class ExportController {
  constructor(@Inject(ExportService) private readonly exports: ExportService) {}

  @Get()
  @ApiOperation({ summary: 'Download every laugh with its notes and review mark, as JSON or CSV' })
  @ApiProduces(CONTENT_TYPES.json, CONTENT_TYPES.csv)
  @ApiOkResponse({ description: 'Attachment giggles-export.json or giggles-export.csv' })
  @ApiBadRequestResponse({ description: 'format is not json or csv' })
  async download(@CurrentUser() user: AuthenticatedUser, @Query(validated(ExportQueryDto)) query: ExportQueryDto, @Res() res: Response): Promise<void> {
    const text = await this.exports.start(user.userId, query.format);
    res.status(200);
    res.setHeader('Content-Type', CONTENT_TYPES[query.format]);
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(query.format)}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    try {
      for await (const piece of text) {
        if (res.destroyed) return;
        if (!res.write(piece)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      res.end();
    } catch {
      // A page failed after the file began: cut the connection so the download shows as failed, not complete.
      res.destroy();
    }
  }
}
