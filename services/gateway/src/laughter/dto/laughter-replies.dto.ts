import { COMMAND_JOB_STATES, DAY_STATES, JOB_STATES, REVIEW_LABELS } from '@giggles/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Reply shapes for the OpenAPI document (the types themselves live in @giggles/contracts'
 * user-queries.ts; these classes only describe them).
 */

export class DaySummaryDto {
  @ApiProperty({ example: '2026-03-07' }) localDate!: string;
  @ApiProperty({ description: 'Laughs counted (not those marked "not a laugh" or deleted)' }) laughCount!: number;
  @ApiProperty() laughSeconds!: number;
  @ApiPropertyOptional({ description: 'Absent when there are no laughs' }) meanProbability?: number;
  @ApiProperty({ description: 'Audio recorded that day, so "no laughs" and "no audio" differ' }) audioSeconds!: number;
  @ApiProperty() windowsProcessed!: number;
  @ApiProperty() windowsEmpty!: number;
  @ApiProperty() windowsGap!: number;
  @ApiProperty() windowsFailed!: number;
  @ApiProperty({ description: 'Laughs marked "not a laugh"' }) rejectedCount!: number;
  @ApiProperty({ enum: DAY_STATES }) state!: string;
  @ApiProperty({ description: 'The state in plain words' }) stateMessage!: string;
  @ApiProperty() jobsInFlight!: number;
}

export class DaysPageDto {
  @ApiProperty({ example: 'America/Los_Angeles' }) timezone!: string;
  @ApiProperty({ type: [DaySummaryDto] }) days!: DaySummaryDto[];
  @ApiPropertyOptional({ description: 'Pass as `before` for the next page; absent on the last page' }) nextBefore?: string;
}

export class CoverageWindowDto {
  @ApiProperty() startMs!: number;
  @ApiProperty() endMs!: number;
  @ApiProperty({ enum: ['processed', 'empty', 'gap', 'failed'] }) status!: string;
  @ApiProperty() audioSeconds!: number;
}

export class CoverageHourDto {
  @ApiProperty({ minimum: 0, maximum: 23 }) hour!: number;
  @ApiProperty({ description: 'Seconds of audio recorded in this local hour' }) audioSeconds!: number;
}

export class DayDto {
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: DaySummaryDto }) summary!: DaySummaryDto;
  @ApiProperty({ type: [CoverageWindowDto] }) windows!: CoverageWindowDto[];
  @ApiProperty({ type: [CoverageHourDto], description: 'The 24 local hours (23 or 25 on a DST change day) and how much audio each had' })
  hours!: CoverageHourDto[];
}

export class LaughViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() localDate!: string;
  @ApiProperty({ description: 'HH:mm:ss in the user zone' }) localTime!: string;
  @ApiProperty({ description: 'Epoch ms' }) startMs!: number;
  @ApiProperty() endMs!: number;
  @ApiProperty() peakMs!: number;
  @ApiProperty() durationS!: number;
  @ApiProperty() probability!: number;
  @ApiPropertyOptional() meanProbability?: number;
  @ApiPropertyOptional() classId?: number;
  @ApiProperty({ example: 'Laughter' }) className!: string;
  @ApiPropertyOptional({ description: 'Plain text' }) notes?: string;
  @ApiPropertyOptional({ enum: REVIEW_LABELS }) review?: string;
  @ApiPropertyOptional() reviewedAt?: string;
  @ApiProperty() notLaugh!: boolean;
  @ApiProperty() hasClip!: boolean;
  @ApiProperty({ type: String, nullable: true, example: '/api/laughs/0b6f3c52-2d1f-4b8e-9a57-5f0c1d2e3f40/clip' }) clipUrl!: string | null;
}

export class DayLaughsDto {
  @ApiProperty() localDate!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ description: 'Laughs matching the filter (those marked "not a laugh" included, flagged)' }) total!: number;
  @ApiProperty({ type: [LaughViewDto] }) laughs!: LaughViewDto[];
}

export class TrendDayDto {
  @ApiProperty() localDate!: string;
  @ApiProperty() laughs!: number;
  @ApiProperty() laughSeconds!: number;
  @ApiProperty() audioSeconds!: number;
  @ApiProperty({ description: 'Mean laughs per day over this day and the 6 before it' }) movingAverage7!: number;
}

export class BestDayDto {
  @ApiProperty() localDate!: string;
  @ApiProperty() laughs!: number;
}

export class TrendsDto {
  @ApiProperty() timezone!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [TrendDayDto], description: 'Every day of the span, zeros included (the calendar heatmap uses the 365-day span)' })
  days!: TrendDayDto[];
  @ApiProperty({ type: [Number], description: 'Laughs per local hour 0..23' }) byHour!: number[];
  @ApiProperty({ type: [BestDayDto] }) bestDays!: BestDayDto[];
  @ApiProperty() currentStreak!: number;
  @ApiProperty() longestStreak!: number;
}

export class StartedJobDto {
  @ApiProperty({ description: 'Follow it at /api/jobs/{jobId}/events (URL-encode it)' }) jobId!: string;
  @ApiProperty() localDate!: string;
  @ApiProperty({ enum: COMMAND_JOB_STATES }) state!: string;
}

export class JobStartedDto {
  @ApiProperty({ type: StartedJobDto }) job!: StartedJobDto;
}

export class JobsStartedDto {
  @ApiProperty({ type: [StartedJobDto] }) jobs!: StartedJobDto[];
}

export class JobProgressEventDto {
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: JOB_STATES }) status!: string;
  @ApiProperty() windowsPlanned!: number;
  @ApiProperty() windowsDone!: number;
  @ApiProperty() laughsFound!: number;
}
