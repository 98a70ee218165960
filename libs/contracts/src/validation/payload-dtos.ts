import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import {
  JOB_PROGRESS_STATUSES,
  JOB_TRIGGERS,
  SEGMENT_RESULT_STATUSES,
  WINDOW_OUTCOME_STATUSES,
  type DayJob,
  type DeadLetter,
  type DetectedEvent,
  type ErrorInfo,
  type JobProgress,
  type JobTrigger,
  type LimitlessCall,
  type SegmentReady,
  type SegmentResult,
  type WindowOutcome,
} from '../payloads';
import { IsAbsentOr, IsBetweenFields, IsGreaterThanField, IsIanaTimezone, IsIsoInstant, IsLocalDate } from './constraints';
import { AnyText, Count, EpochMs, HttpStatusOrZero, Identifier, NonNegative, OneOf, Probability, Text, UserId } from './fields';

/** Validation classes mirroring `payloads.ts`; `implements` keeps the two from drifting apart. */

export class ErrorInfoDto implements ErrorInfo {
  @Identifier(100) code!: string;
  @AnyText(10_000) message!: string;
}

export class LimitlessCallDto implements LimitlessCall {
  @HttpStatusOrZero() status!: number;
  @NonNegative() durationMs!: number;
  @Count() bytes!: number;
  @IsIsoInstant() at!: string;
  @IsAbsentOr() @AnyText(10_000) error?: string;
}

export class DetectedEventDto implements DetectedEvent {
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
  @EpochMs() @IsBetweenFields('startMs', 'endMs') peakMs!: number;
  @Probability() probability!: number;
  @Probability() meanProbability!: number;
  @Count() classId!: number;
  @Text(200) className!: string;
  @IsAbsentOr() @Identifier(512) clipObject?: string;
  @IsAbsentOr() @EpochMs() clipStartMs?: number;
  @IsAbsentOr() @EpochMs() @IsGreaterThanField('clipStartMs') clipEndMs?: number;
}

export class DayJobDto implements DayJob {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @IsIanaTimezone() timezone!: string;
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
  @OneOf(JOB_TRIGGERS) trigger!: JobTrigger;
  @IsIsoInstant() requestedAt!: string;
}

export class SegmentReadyDto implements SegmentReady {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @IsIanaTimezone() timezone!: string;
  @OneOf(JOB_TRIGGERS) trigger!: JobTrigger;
  @EpochMs() windowStartMs!: number;
  @EpochMs() @IsGreaterThanField('windowStartMs') windowEndMs!: number;
  @Identifier(512) audioObject!: string;
  @Count() audioBytes!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => LimitlessCallDto) limitlessCalls!: LimitlessCallDto[];
  @IsAbsentOr() @EpochMs() audioStartMs?: number;
}

export class SegmentResultDto implements SegmentResult {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @OneOf(JOB_TRIGGERS) trigger!: JobTrigger;
  @EpochMs() windowStartMs!: number;
  @EpochMs() @IsGreaterThanField('windowStartMs') windowEndMs!: number;
  @OneOf(SEGMENT_RESULT_STATUSES) status!: SegmentResult['status'];
  @NonNegative() decodedSeconds!: number;
  @Text(200) modelVersion!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DetectedEventDto) events!: DetectedEventDto[];
  @Identifier(512) audioObject!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => LimitlessCallDto) limitlessCalls!: LimitlessCallDto[];
  @NonNegative() processingMs!: number;
  @IsAbsentOr() @ValidateNested() @Type(() => ErrorInfoDto) error?: ErrorInfoDto;
}

export class WindowOutcomeDto implements WindowOutcome {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @OneOf(JOB_TRIGGERS) trigger!: JobTrigger;
  @EpochMs() windowStartMs!: number;
  @EpochMs() @IsGreaterThanField('windowStartMs') windowEndMs!: number;
  @OneOf(WINDOW_OUTCOME_STATUSES) status!: WindowOutcome['status'];
  @IsArray() @ValidateNested({ each: true }) @Type(() => LimitlessCallDto) limitlessCalls!: LimitlessCallDto[];
  @IsAbsentOr() @ValidateNested() @Type(() => ErrorInfoDto) error?: ErrorInfoDto;
}

export class JobProgressDto implements JobProgress {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @IsIanaTimezone() timezone!: string;
  @OneOf(JOB_TRIGGERS) trigger!: JobTrigger;
  @OneOf(JOB_PROGRESS_STATUSES) status!: JobProgress['status'];
  @Count() windowsPlanned!: number;
  @Count() windowsSkipped!: number;
  @IsIsoInstant() at!: string;
  @IsAbsentOr() @ValidateNested() @Type(() => ErrorInfoDto) error?: ErrorInfoDto;
}

export class DeadLetterDto implements DeadLetter {
  @Text(1024) subject!: string;
  @Text(256) stream!: string;
  @Count() deliveries!: number;
  @Text(10_000) reason!: string;
  @AnyText(Number.MAX_SAFE_INTEGER) payload!: string;
  @IsIsoInstant() at!: string;
}
