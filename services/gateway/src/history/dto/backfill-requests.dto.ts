import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsLocalDate } from '../../laughter/dto/local-date';

/** POST /api/backfill: both optional — without `from` the scheduler finds the first day with audio; without `to`, yesterday. */
export class BackfillStartDto {
  @ApiPropertyOptional({ description: 'First local day to process (default: the first day Limitless has audio for)', example: '2025-03-01' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last local day to process (default: yesterday in your time zone)', example: '2026-12-02' })
  @IsOptional()
  @IsLocalDate()
  to?: string;
}
