import { NOTES_MAX_LENGTH } from '@giggles/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NOTE_TEXT, NOTE_TEXT_MESSAGE } from '../laughter/dto/laughter-requests.dto';
import { IsLocalDate } from '../laughter/dto/local-date';

/** The original `LaughterDetectionUpdate`: `{notes}` (null or "" clears). */
export class LegacyDetectionUpdateDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: NOTES_MAX_LENGTH })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'notes must be text or null' })
  @MaxLength(NOTES_MAX_LENGTH, { message: `notes must be at most ${NOTES_MAX_LENGTH} characters` })
  @Matches(NOTE_TEXT, { message: NOTE_TEXT_MESSAGE })
  notes?: string | null;
}

/** The original `ReprocessDateRangeRequest`. */
export class LegacyReprocessDto {
  @ApiProperty({ example: '2026-03-01', description: 'YYYY-MM-DD' })
  @IsLocalDate()
  start_date!: string;

  @ApiProperty({ example: '2026-03-07', description: 'YYYY-MM-DD (inclusive)' })
  @IsLocalDate()
  end_date!: string;
}

export class LegacyMessageDto {
  @ApiProperty() message!: string;
}

export class LegacyDailySummaryDto {
  @ApiProperty({ example: '2026-03-07', description: "A local day in the user's zone" }) date!: string;
  @ApiProperty() total_laughter_events!: number;
  @ApiProperty() average_probability!: number;
  @ApiProperty() audio_segments_processed!: number;
}

export class LegacyDetectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Always "" (segments are internal now)' }) audio_segment_id!: string;
  @ApiProperty({ description: 'ISO 8601 instant of the laugh' }) timestamp!: string;
  @ApiProperty() probability!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The clip URL (/api/laughs/{id}/clip), never a server path' }) clip_path!: string | null;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ type: Number, nullable: true }) class_id!: number | null;
  @ApiProperty({ type: String, nullable: true }) class_name!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: String, nullable: true }) updated_at!: string | null;
}

export class LegacyJobDto {
  @ApiProperty() job_id!: string;
  @ApiProperty() date!: string;
  @ApiProperty({ enum: ['queued', 'already_queued', 'already_done'] }) state!: string;
}

export class LegacyTriggerReplyDto {
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'The job state: queued, already_queued or already_done (the original waited and said "completed")' }) status!: string;
  @ApiProperty() user_id!: string;
  @ApiProperty() job_id!: string;
  @ApiProperty() date!: string;
}

export class LegacyReprocessReplyDto {
  @ApiProperty() message!: string;
  @ApiProperty() status!: string;
  @ApiProperty() start_date!: string;
  @ApiProperty() end_date!: string;
  @ApiProperty({ type: [LegacyJobDto] }) jobs!: LegacyJobDto[];
}
