import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsEmail, IsIn, Max, Min, ValidateNested } from 'class-validator';
import {
  BACKFILL_GIVEN_UP_SHOWN,
  BACKFILL_STATES,
  FIRST_AUDIO_METHODS,
  type ApiOutage,
  type ApiOutageSetReply,
  type ApiOutageSetRequest,
  type ApiOutagesReply,
  type BackfillPlanReply,
  type BackfillPlanRequest,
  type BackfillPlanUser,
  type BackfillProgress,
  type BackfillProgressReply,
  type BackfillProgressRequest,
  type BackfillReply,
  type BackfillRequest,
  type BackfillSetStateReply,
  type BackfillSetStateRequest,
  type BackfillStartReply,
  type BackfillStartRequest,
  type BackfillStatusReply,
  type BackfillGivenUpDay,
  type BackfillGiveUpReply,
  type BackfillGiveUpRequest,
  type DiscardJobReply,
  type DiscardJobRequest,
  type FirstAudioReply,
  type FirstAudioRequest,
  type ProbeReply,
  type ProbeRequest,
} from '../history-queries';
import { ExactlyOneOf, IsAbsentOr, IsGreaterThanField, IsIanaTimezone, IsIsoInstant, IsLocalDate, IsNotBefore } from './constraints';
import { AnyText, Count, EpochMs, HttpStatusOrZero, Identifier, NonNegative, OneOf, UserId } from './fields';
import { DueDayDto } from './query-dtos';

/** Validation classes mirroring `history-queries.ts`. */

/** Most days a backfill plan returns per user (a tick publishes at most the user's free slots). */
export const BACKFILL_PLAN_MAX_DAYS = 50;

export class BackfillGivenUpDayDto implements BackfillGivenUpDay {
  @IsLocalDate() localDate!: string;
  @AnyText(1000) reason!: string;
  @IsIsoInstant() at!: string;
}

export class BackfillProgressDto implements BackfillProgress {
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @IsIanaTimezone() timezone!: string;
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') to!: string;
  @OneOf(BACKFILL_STATES) state!: BackfillProgress['state'];
  @Count() totalDays!: number;
  @Count() daysDone!: number;
  @Count() daysFailed!: number;
  @IsAbsentOr() @Count() daysGivenUp?: number;
  @IsAbsentOr() @IsArray() @ArrayMaxSize(BACKFILL_GIVEN_UP_SHOWN) @ValidateNested({ each: true }) @Type(() => BackfillGivenUpDayDto) givenUp?: BackfillGivenUpDayDto[];
  @Count() daysInFlight!: number;
  @NonNegative() audioSeconds!: number;
  @Count() laughs!: number;
  @IsIsoInstant() startedAt!: string;
  @IsIsoInstant() updatedAt!: string;
  @Count() backfillJobsDone!: number;
  @IsAbsentOr() @NonNegative() etaSeconds?: number;
}

export class BackfillStartRequestDto implements BackfillStartRequest {
  @UserId() userId!: string;
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') to!: string;
}
export class BackfillStartReplyDto implements BackfillStartReply {
  @IsDefined() @ValidateNested() @Type(() => BackfillProgressDto) backfill!: BackfillProgressDto;
}

export class BackfillPlanRequestDto implements BackfillPlanRequest {
  @Count() @Min(1) @Max(BACKFILL_PLAN_MAX_DAYS) limitPerUser!: number;
}
export class BackfillPlanUserDto implements BackfillPlanUser {
  @UserId() userId!: string;
  @IsIanaTimezone() timezone!: string;
  @Count() backfillInFlight!: number;
  @Count() jobsInFlight!: number;
  @IsArray() @ArrayMaxSize(BACKFILL_PLAN_MAX_DAYS) @IsLocalDate({ each: true }) days!: string[];
  @IsAbsentOr() @IsArray() @ArrayMaxSize(BACKFILL_PLAN_MAX_DAYS) @ValidateNested({ each: true }) @Type(() => DueDayDto) retries?: DueDayDto[];
}
export class BackfillPlanReplyDto implements BackfillPlanReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => BackfillPlanUserDto) users!: BackfillPlanUserDto[];
  @Count() backfillInFlight!: number;
  @Count() otherJobsQueued!: number;
}

export class BackfillSetStateRequestDto implements BackfillSetStateRequest {
  @UserId() userId!: string;
  @IsIn(['active', 'paused']) state!: BackfillSetStateRequest['state'];
}
export class BackfillSetStateReplyDto implements BackfillSetStateReply {
  @IsDefined() @ValidateNested() @Type(() => BackfillProgressDto) backfill!: BackfillProgressDto;
}

export class BackfillProgressRequestDto implements BackfillProgressRequest {
  @IsAbsentOr() @UserId() userId?: string;
}
export class BackfillProgressReplyDto implements BackfillProgressReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => BackfillProgressDto) backfills!: BackfillProgressDto[];
}

export class ApiOutageDto implements ApiOutage {
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @IsAbsentOr() @IsIsoInstant() unreachableSince?: string;
  @IsAbsentOr() @IsIsoInstant() pausedAt?: string;
  @IsAbsentOr() @AnyText(2000) pauseReason?: string;
  @IsAbsentOr() @IsIsoInstant() lastProbeAt?: string;
}
export class ApiOutagesReplyDto implements ApiOutagesReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ApiOutageDto) outages!: ApiOutageDto[];
}
export class ApiOutageSetRequestDto implements ApiOutageSetRequest {
  @UserId() userId!: string;
  @IsIn(['pause', 'resume', 'probed']) action!: ApiOutageSetRequest['action'];
  @IsAbsentOr() @AnyText(2000) reason?: string;
}
export class ApiOutageSetReplyDto implements ApiOutageSetReply {
  @IsDefined() @ValidateNested() @Type(() => ApiOutageDto) outage!: ApiOutageDto;
}

class UserRefDto {
  @IsAbsentOr() @UserId() userId?: string;
  @IsAbsentOr() @IsEmail() @AnyText(320) email?: string;
  /** Never sent: carries the "exactly one of userId or email" rule. */
  @ExactlyOneOf(['userId', 'email']) user?: never;
}
export class BackfillRequestDto extends UserRefDto implements BackfillRequest {
  @IsAbsentOr() @IsLocalDate() from?: string;
  @IsAbsentOr() @IsLocalDate() to?: string;
}
class FirstAudioFoundDto {
  @OneOf(FIRST_AUDIO_METHODS) method!: FirstAudioReply['method'];
  @Count() requests!: number;
  @IsAbsentOr() @EpochMs() atMs?: number;
}
export class BackfillReplyDto implements BackfillReply {
  @IsDefined() @ValidateNested() @Type(() => BackfillProgressDto) backfill!: BackfillProgressDto;
  @IsAbsentOr() @ValidateNested() @Type(() => FirstAudioFoundDto) firstAudio?: FirstAudioFoundDto;
}
/** Everyone's backfills (no field), or one user's by userId or email. */
export class BackfillStatusRequestDto {
  @IsAbsentOr() @UserId() userId?: string;
  @IsAbsentOr() @IsEmail() @AnyText(320) email?: string;
}
export class BackfillStatusReplyDto implements BackfillStatusReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => BackfillProgressDto) backfills!: BackfillProgressDto[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => ApiOutageDto) outages!: ApiOutageDto[];
}
export class BackfillUserRequestDto extends UserRefDto {}
export class BackfillPauseReplyDto {
  @IsDefined() @ValidateNested() @Type(() => BackfillProgressDto) backfill!: BackfillProgressDto;
}

export class FirstAudioRequestDto implements FirstAudioRequest {
  @UserId() userId!: string;
  @EpochMs() notBeforeMs!: number;
  @EpochMs() @IsGreaterThanField('notBeforeMs') notAfterMs!: number;
}
export class FirstAudioReplyDto extends FirstAudioFoundDto implements FirstAudioReply {}

export class ProbeRequestDto implements ProbeRequest {
  @UserId() userId!: string;
}
export class ProbeReplyDto implements ProbeReply {
  @IsDefined() @IsIn([true, false]) reachable!: boolean;
  @HttpStatusOrZero() status!: number;
  @IsAbsentOr() @AnyText(2000) error?: string;
}

export class DiscardJobRequestDto implements DiscardJobRequest {
  @UserId() userId!: string;
  @Identifier() jobId!: string;
}
export class DiscardJobReplyDto implements DiscardJobReply {
  @IsDefined() @IsIn([true, false]) discarded!: boolean;
}

export class BackfillGiveUpRequestDto implements BackfillGiveUpRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @AnyText(1000) reason!: string;
}
export class BackfillGiveUpReplyDto implements BackfillGiveUpReply {
  @IsDefined() @IsIn([true, false]) updated!: boolean;
}
