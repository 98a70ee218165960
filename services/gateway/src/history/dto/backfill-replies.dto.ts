import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BACKFILL_STATES, type BackfillState } from '@giggles/contracts';
import { LIMITLESS_REACHABILITY, type LimitlessReachability } from '../backfill-view';

export class GivenUpDayDto {
  @ApiProperty({ example: '2025-06-14' }) localDate!: string;
  @ApiProperty({ example: 'windows still failing after 6 retries' }) reason!: string;
}

export class BackfillProgressDto {
  @ApiProperty({ example: '2025-03-01' }) from!: string;
  @ApiProperty({ example: '2026-12-02' }) to!: string;
  @ApiProperty({ enum: BACKFILL_STATES }) state!: BackfillState;
  @ApiProperty({ description: 'Days in the range' }) totalDays!: number;
  @ApiProperty({ description: 'Days processed (by the backfill or any other whole-day run)' }) daysDone!: number;
  @ApiProperty({ description: 'Days waiting for an automatic retry (a failed run, or windows with gaps): retried with growing pauses until SCHEDULER_MAX_RETRIES' }) daysFailed!: number;
  @ApiProperty({ description: 'Days the retries stopped for (counted whole; the newest few listed in givenUp)' }) daysGivenUp!: number;
  @ApiProperty({ type: () => GivenUpDayDto, isArray: true, description: 'The newest given-up days with the reason' }) givenUp!: GivenUpDayDto[];
  @ApiProperty({ description: 'Days being processed now' }) daysInFlight!: number;
  @ApiProperty({ description: 'Audio the processed days held, in seconds' }) audioSeconds!: number;
  @ApiProperty({ description: 'Laughs found in the range' }) laughs!: number;
  @ApiPropertyOptional({ description: 'Seconds left at the rate so far; absent until a day finished, and when nothing is left' }) etaSeconds?: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class LimitlessStatusDto {
  @ApiProperty({ enum: LIMITLESS_REACHABILITY, description: '`unreachable`: Limitless has not answered for a long time and downloads are paused (not the same as a rejected key)' })
  state!: LimitlessReachability;
  @ApiPropertyOptional({ description: 'Since when no Limitless request got an answer' }) unreachableSince?: string;
  @ApiPropertyOptional({ description: 'When downloads were paused' }) pausedAt?: string;
  @ApiPropertyOptional({ description: 'What to tell the user' }) message?: string;
}

export class BackfillStatusDto {
  @ApiProperty({ type: BackfillProgressDto, nullable: true, description: 'null until a backfill was started' }) backfill!: BackfillProgressDto | null;
  @ApiProperty({ type: LimitlessStatusDto }) limitless!: LimitlessStatusDto;
}

export class BackfillStartedDto {
  @ApiProperty({ type: BackfillProgressDto }) backfill!: BackfillProgressDto;
}
