import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Equals, IsArray, IsBoolean, IsDefined, ValidateNested } from 'class-validator';
import type { ErrorInfo } from '../payloads';
import {
  DUE_REASONS,
  JOB_STATES,
  KEY_STATUSES,
  WINDOW_STATUSES,
  type ActiveKeyUser,
  type DayDetectionsReply,
  type DayDetectionsRequest,
  type DetectionRecord,
  type DueDay,
  type DueDaysReply,
  type DueDaysRequest,
  type JobStatusReply,
  type JobStatusRequest,
  type MarkKeyInvalidReply,
  type MarkKeyInvalidRequest,
  type UserDaySummary,
  type UserDaysReply,
  type UserDaysRequest,
  type UserKeyReply,
  type UserKeyRequest,
  type UsersWithActiveKeysReply,
  type WindowRecord,
  type WindowsDoneReply,
  type WindowsDoneRequest,
} from '../queries';
import { IsAbsentOr, IsBetweenFields, IsGreaterThanField, IsIsoInstant, IsLocalDate, IsNotBefore } from './constraints';
import { AnyText, Count, EpochMs, Identifier, OneOf, Probability, Text, UserId } from './fields';
import { ErrorInfoDto } from './payload-dtos';

/** Validation classes mirroring `queries.ts`. */

export class ActiveKeyUserDto implements ActiveKeyUser {
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @Text(100) timezone!: string;
}
export class UsersWithActiveKeysReplyDto implements UsersWithActiveKeysReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ActiveKeyUserDto) users!: ActiveKeyUserDto[];
}

export class UserKeyRequestDto implements UserKeyRequest {
  @UserId() userId!: string;
}
export class UserKeyReplyDto implements UserKeyReply {
  @Text(4096) encryptedKey!: string;
  @OneOf(KEY_STATUSES) status!: UserKeyReply['status'];
}

export class MarkKeyInvalidRequestDto implements MarkKeyInvalidRequest {
  @UserId() userId!: string;
  @Text(1000) reason!: string;
}
export class MarkKeyInvalidReplyDto implements MarkKeyInvalidReply {
  @IsBoolean() updated!: boolean;
}

export class WindowsDoneRequestDto implements WindowsDoneRequest {
  @UserId() userId!: string;
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
}
export class WindowRecordDto implements WindowRecord {
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
  @OneOf(WINDOW_STATUSES) status!: WindowRecord['status'];
}
export class WindowsDoneReplyDto implements WindowsDoneReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => WindowRecordDto) windows!: WindowRecordDto[];
}

export class DueDaysRequestDto implements DueDaysRequest {
  @UserId() userId!: string;
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') to!: string;
}
export class DueDayDto implements DueDay {
  @IsLocalDate() localDate!: string;
  @OneOf(DUE_REASONS) reason!: DueDay['reason'];
}
export class DueDaysReplyDto implements DueDaysReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => DueDayDto) days!: DueDayDto[];
}

export class UserDaysRequestDto implements UserDaysRequest {
  @UserId() userId!: string;
  @IsAbsentOr() @IsLocalDate() from?: string;
  @IsAbsentOr() @IsLocalDate() @IsNotBefore('from') to?: string;
}
export class UserDaySummaryDto implements UserDaySummary {
  @IsLocalDate() localDate!: string;
  @Count() laughCount!: number;
  @Count() windowsProcessed!: number;
  @Count() windowsEmpty!: number;
  @Count() windowsGap!: number;
  @Count() windowsFailed!: number;
}
export class UserDaysReplyDto implements UserDaysReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => UserDaySummaryDto) days!: UserDaySummaryDto[];
}

export class DayDetectionsRequestDto implements DayDetectionsRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
}
export class DetectionRecordDto implements DetectionRecord {
  @UserId() id!: string;
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
  @EpochMs() @IsBetweenFields('startMs', 'endMs') peakMs!: number;
  @Probability() probability!: number;
  @Text(200) className!: string;
  @IsAbsentOr() @Text(1024) clipPath?: string;
}
export class DayDetectionsReplyDto implements DayDetectionsReply {
  @IsLocalDate() localDate!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DetectionRecordDto) detections!: DetectionRecordDto[];
}

export class JobStatusRequestDto implements JobStatusRequest {
  @Identifier() jobId!: string;
}
export class JobStatusReplyDto implements JobStatusReply {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @OneOf(JOB_STATES) status!: JobStatusReply['status'];
  @Count() windowsPlanned!: number;
  @Count() windowsSkipped!: number;
  @Count() windowsProcessed!: number;
  @Count() windowsEmpty!: number;
  @Count() windowsGap!: number;
  @Count() windowsFailed!: number;
  @IsIsoInstant() updatedAt!: string;
}

/** The `ok: true` envelope; `data` is then checked against the subject's reply contract. */
export class QueryOkDto {
  @Equals(true) ok!: true;
  @IsDefined() data!: unknown;
}

/** The `ok: false` envelope: an error and no data. */
export class QueryFailureDto {
  @Equals(false) ok!: false;
  @IsDefined() @ValidateNested() @Type(() => ErrorInfoDto) error!: ErrorInfo;
}
