import { NOTES_MAX_LENGTH } from '@giggles/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { EXPORT_FORMATS, type ExportFormat } from '../export-format';
import { IsLocalDate } from './local-date';

/** Control characters other than tab, line feed and carriage return have no place in a note. */
export const NOTE_TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
export const NOTE_TEXT_MESSAGE = 'notes must not contain control characters';

export const DAYS_PAGE_MAX = 100;
export const DAYS_PAGE_DEFAULT = 30;
export const DAY_LAUGHS_PAGE_MAX = 200;
export const DAY_LAUGHS_PAGE_DEFAULT = 50;
export const TREND_SPANS = [30, 90, 365] as const;
export type TrendSpan = (typeof TREND_SPANS)[number];

export class DaysQueryDto {
  @ApiPropertyOptional({ description: 'Only days before this local date (exclusive): the `nextBefore` of the previous page', example: '2026-03-01' })
  @IsOptional()
  @IsLocalDate()
  before?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: DAYS_PAGE_MAX, default: DAYS_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(DAYS_PAGE_MAX)
  limit?: number;
}

export class DayLaughsQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Only laughs at least this probable' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'minProbability must be a number' })
  @Min(0)
  @Max(1)
  minProbability?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  offset?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: DAY_LAUGHS_PAGE_MAX, default: DAY_LAUGHS_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(DAY_LAUGHS_PAGE_MAX)
  limit?: number;
}

export class UpdateLaughDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: NOTES_MAX_LENGTH,
    description: 'Plain text (stored and shown as text, never as markup); null or "" clears the note',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString({ message: 'notes must be text or null' })
  @MaxLength(NOTES_MAX_LENGTH, { message: `notes must be at most ${NOTES_MAX_LENGTH} characters` })
  @Matches(NOTE_TEXT, { message: NOTE_TEXT_MESSAGE })
  notes?: string | null;

  @ApiPropertyOptional({ description: 'true marks the laugh "not a laugh" (it leaves every count and chart); false undoes that' })
  @IsOptional()
  @IsBoolean({ message: 'notLaugh must be true or false' })
  notLaugh?: boolean;
}

export class TrendsQueryDto {
  @ApiProperty({ enum: TREND_SPANS, description: 'How many days back from today', example: 30 })
  @Type(() => Number)
  @IsIn(TREND_SPANS, { message: `days must be one of ${TREND_SPANS.join(', ')}` })
  days!: TrendSpan;
}

export class ReprocessDto {
  @ApiProperty({ description: 'First local day to reprocess', example: '2026-03-01' })
  @IsLocalDate()
  from!: string;

  @ApiProperty({ description: 'Last local day to reprocess (inclusive)', example: '2026-03-07' })
  @IsLocalDate()
  to!: string;
}

export class ExportQueryDto {
  @ApiProperty({ enum: EXPORT_FORMATS, example: 'csv' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format!: ExportFormat;
}
