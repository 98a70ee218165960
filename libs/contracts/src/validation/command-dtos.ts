import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsEmail, ValidateNested } from 'class-validator';
import {
  COMMAND_JOB_STATES,
  type CommandJob,
  type DeadLetterSummary,
  type ProcessDayReply,
  type ProcessDayRequest,
  type ProcessTodayReply,
  type ProcessTodayRequest,
  type ReprocessReply,
  type ReprocessRequest,
  type StatusReply,
} from '../commands';
import { ExactlyOneOf, IsAbsentOr, IsGreaterThanField, IsIanaTimezone, IsIsoInstant, IsLocalDate, IsNotBefore } from './constraints';
import { AnyText, Count, EpochMs, Identifier, OneOf, UserId } from './fields';
import { ClearDaysReplyDto, JobInFlightDto, UserOperationsStatusDto } from './query-dtos';

/** Validation classes mirroring `commands.ts`. */

class UserRefDto {
  @IsAbsentOr() @UserId() userId?: string;
  @IsAbsentOr() @IsEmail() @AnyText(320) email?: string;
  /** Never sent: carries the "exactly one of userId or email" rule. */
  @ExactlyOneOf(['userId', 'email']) user?: never;
}

export class ProcessTodayRequestDto extends UserRefDto implements ProcessTodayRequest {}

export class CommandJobDto implements CommandJob {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @IsIanaTimezone() timezone!: string;
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
  @OneOf(COMMAND_JOB_STATES) state!: CommandJob['state'];
}
export class ProcessTodayReplyDto implements ProcessTodayReply {
  @IsDefined() @ValidateNested() @Type(() => CommandJobDto) job!: CommandJobDto;
}

export class ProcessDayRequestDto extends UserRefDto implements ProcessDayRequest {
  @IsLocalDate() localDate!: string;
}
export class ProcessDayReplyDto implements ProcessDayReply {
  @IsDefined() @ValidateNested() @Type(() => CommandJobDto) job!: CommandJobDto;
}

export class ReprocessRequestDto extends UserRefDto implements ReprocessRequest {
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') to!: string;
}
export class ReprocessReplyDto implements ReprocessReply {
  @IsDefined() @ValidateNested() @Type(() => ClearDaysReplyDto) removed!: ClearDaysReplyDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => CommandJobDto) jobs!: CommandJobDto[];
}

export class DeadLetterSummaryDto implements DeadLetterSummary {
  @AnyText(300) subject!: string;
  @AnyText(2000) reason!: string;
  @IsIsoInstant() at!: string;
}
export class DeadLettersDto {
  @Count() count!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DeadLetterSummaryDto) recent!: DeadLetterSummaryDto[];
}
export class SchedulerStateDto {
  @IsAbsentOr() @IsIsoInstant() lastTickAt?: string;
  @IsAbsentOr() @IsIsoInstant() lastReconcileAt?: string;
  @IsAbsentOr() @AnyText(2000) lastReconcileSummary?: string;
}
export class StatusReplyDto implements StatusReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => JobInFlightDto) jobsInFlight!: JobInFlightDto[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => UserOperationsStatusDto) users!: UserOperationsStatusDto[];
  @IsDefined() @ValidateNested() @Type(() => DeadLettersDto) deadLetters!: DeadLettersDto;
  @IsDefined() @ValidateNested() @Type(() => SchedulerStateDto) scheduler!: SchedulerStateDto;
}
