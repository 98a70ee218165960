import { Module } from '@nestjs/common';
import { GATEWAY_SETTINGS } from '../tokens';
import { LaughterModule } from '../laughter/laughter.module';
import { BackfillController } from './backfill.controller';
import { BackfillEventsService } from './backfill-events.service';
import { BackfillService } from './backfill.service';
import { HISTORY_SETTINGS } from './history-config';
import { LimitlessStatusController } from './limitless-status.controller';

/**
 * Issue 10's front door: "process my whole history" (the scheduler's backfill commands) with its
 * progress stream, pause/resume, and whether Limitless is reachable for the user. Reaches the
 * system only through the global NatsQueryClient; the progress stream shares the laughter
 * module's SSE helpers, settings and per-user stream budget.
 */
@Module({
  imports: [LaughterModule],
  controllers: [BackfillController, LimitlessStatusController],
  providers: [{ provide: HISTORY_SETTINGS, useExisting: GATEWAY_SETTINGS }, BackfillService, BackfillEventsService],
})
export class HistoryModule {}
