import { Module } from '@nestjs/common';
import { GATEWAY_SETTINGS } from '../tokens';
import { AccountDeletionController } from './account-deletion.controller';
import { AccountDeletionService } from './account-deletion.service';
import { ClipsService } from './clips.service';
import { DaysController } from './days.controller';
import { DaysService } from './days.service';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';
import { JobEventsService } from './job-events.service';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { LAUGHTER_SETTINGS } from './laughter-config';
import { LaughsController } from './laughs.controller';
import { LaughsService } from './laughs.service';
import { TrendsController } from './trends.controller';
import { TrendsService } from './trends.service';
import { UserTimezoneService } from './user-timezone.service';

/**
 * Days, laughs, notes and review, clips, trends, on-demand jobs with their progress stream,
 * export, and deleting everything. Services reach the rest of Giggles only through the global
 * NatsQueryClient (persistence QUERIES, scheduler COMMANDS) and the AUTH_PROVIDER.
 */
@Module({
  controllers: [DaysController, LaughsController, TrendsController, JobsController, ExportController, AccountDeletionController],
  providers: [
    // The laughter settings are part of GATEWAY_CONFIG (validated with everything else at boot).
    { provide: LAUGHTER_SETTINGS, useExisting: GATEWAY_SETTINGS },
    UserTimezoneService,
    DaysService,
    LaughsService,
    ClipsService,
    TrendsService,
    JobsService,
    JobEventsService,
    ExportService,
    AccountDeletionService,
  ],
  exports: [LAUGHTER_SETTINGS, UserTimezoneService, DaysService, LaughsService, ClipsService, JobsService, JobEventsService, AccountDeletionService],
})
export class LaughterModule {}
