import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Equals, IsArray, IsBoolean, IsDefined, IsEmail, IsNumber, IsString, Max, Min, ValidateNested } from 'class-validator';
import { JOB_TRIGGERS, type ErrorInfo } from '../payloads';
import {
  ACTIVE_KEY_USERS_PAGE,
  DUE_REASONS,
  JOB_STATES,
  KEY_STATUSES,
  USER_KEY_STATES,
  WINDOW_STATUSES,
  type ClearDaysReply,
  type ClearDaysRequest,
  type GiveUpGapsReply,
  type GiveUpGapsRequest,
  type JobInFlight,
  type OperationsStatusReply,
  type ReconcileReply,
  type ReconcileRequest,
  type RegisterJobReply,
  type RegisterJobRequest,
  type StalledJob,
  type StalledJobsReply,
  type StalledJobsRequest,
  type UserByEmailReply,
  type UserByEmailRequest,
  type UserOperationsStatus,
  type ImportFailure,
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
  type UsersWithActiveKeysRequest,
  type WindowRecord,
  type WindowsDoneReply,
  type WindowsDoneRequest,
} from '../queries';
import { IsAbsentOr, IsBetweenFields, IsGreaterThanField, IsIanaTimezone, IsIsoInstant, IsLocalDate, IsNotBefore } from './constraints';
import { AnyText, Count, EpochMs, Identifier, OneOf, Probability, Text, UserId } from './fields';
import { ErrorInfoDto } from './payload-dtos';

/** Validation classes mirroring `queries.ts`. */

export class ActiveKeyUserDto implements ActiveKeyUser {
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @Text(100) timezone!: string;
}
export class UsersWithActiveKeysRequestDto implements UsersWithActiveKeysRequest {
  @IsAbsentOr() @UserId() userId?: string;
  @IsAbsentOr() @UserId() afterUserId?: string;
  @IsAbsentOr() @Count() @Min(1) @Max(ACTIVE_KEY_USERS_PAGE.max) limit?: number;
}
export class UsersWithActiveKeysReplyDto implements UsersWithActiveKeysReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ActiveKeyUserDto) users!: ActiveKeyUserDto[];
  @IsAbsentOr() @UserId() nextAfterUserId?: string;
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
  @IsAbsentOr() @Identifier(32) trigger?: string;
  @IsAbsentOr() @EpochMs() recordedAtMs?: number;
}
export class WindowsDoneReplyDto implements WindowsDoneReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => WindowRecordDto) windows!: WindowRecordDto[];
}

export class DueDaysRequestDto implements DueDaysRequest {
  @UserId() userId!: string;
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') to!: string;
  @IsAbsentOr() @IsIanaTimezone() timezone?: string;
}
export class DueDayDto implements DueDay {
  @IsLocalDate() localDate!: string;
  @OneOf(DUE_REASONS) reason!: DueDay['reason'];
  @IsAbsentOr() @Count() retries?: number;
  @IsAbsentOr() @IsIsoInstant() lastRunAt?: string;
}
export class DueDaysReplyDto implements DueDaysReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => DueDayDto) days!: DueDayDto[];
  @IsAbsentOr() @Count() jobsInFlight?: number;
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

export class UserByEmailRequestDto implements UserByEmailRequest {
  @IsEmail() @AnyText(320) email!: string;
}
export class UserByEmailReplyDto implements UserByEmailReply {
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @Text(100) timezone!: string;
  @OneOf(USER_KEY_STATES) keyStatus!: UserByEmailReply['keyStatus'];
}

export class RegisterJobRequestDto implements RegisterJobRequest {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @IsIanaTimezone() timezone!: string;
  @OneOf(JOB_TRIGGERS) trigger!: RegisterJobRequest['trigger'];
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
}
export class RegisterJobReplyDto implements RegisterJobReply {
  @IsBoolean() created!: boolean;
  @OneOf(JOB_STATES) status!: RegisterJobReply['status'];
}

export class StalledJobsRequestDto implements StalledJobsRequest {
  @EpochMs() olderThanMs!: number;
  @IsAbsentOr() @Count() @Max(1000) limit?: number;
}
export class StalledJobDto implements StalledJob {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @Text(100) timezone!: string;
  @OneOf(JOB_TRIGGERS) trigger!: StalledJob['trigger'];
  @EpochMs() startMs!: number;
  @EpochMs() @IsGreaterThanField('startMs') endMs!: number;
  @IsIsoInstant() registeredAt!: string;
}
export class StalledJobsReplyDto implements StalledJobsReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => StalledJobDto) jobs!: StalledJobDto[];
}

export class GiveUpGapsRequestDto implements GiveUpGapsRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @Text(1000) reason!: string;
}
export class GiveUpGapsReplyDto implements GiveUpGapsReply {
  @IsBoolean() updated!: boolean;
}

export class ClearDaysRequestDto implements ClearDaysRequest {
  @UserId() userId!: string;
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') to!: string;
  @IsAbsentOr() @IsBoolean() limitlessUnreachable?: boolean;
}
export class ClearDaysReplyDto implements ClearDaysReply {
  @Count() detectionsRemoved!: number;
  @Count() clipsRemoved!: number;
  @Count() windowsRemoved!: number;
  @Count() logsRemoved!: number;
}

export class JobInFlightDto implements JobInFlight {
  @Identifier() jobId!: string;
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @IsLocalDate() localDate!: string;
  @Identifier(32) trigger!: string;
  @OneOf(JOB_STATES) status!: JobInFlight['status'];
  @Count() windowsPlanned!: number;
  @Count() windowsDone!: number;
  @IsAbsentOr() @EpochMs() startMs?: number;
  @IsAbsentOr() @EpochMs() @IsGreaterThanField('startMs') endMs?: number;
  @IsIsoInstant() registeredAt!: string;
  @IsIsoInstant() updatedAt!: string;
}
/** The newest failed import of a user (`giggles status`). */
export class ImportFailureDto implements ImportFailure {
  @IsIsoInstant() at!: string;
  @AnyText(255) fileName!: string;
  @IsDefined() @ValidateNested() @Type(() => ErrorInfoDto) error!: ErrorInfo;
}
export class UserOperationsStatusDto implements UserOperationsStatus {
  @UserId() userId!: string;
  @AnyText(320) email!: string;
  @Text(100) timezone!: string;
  @OneOf(USER_KEY_STATES) keyStatus!: UserOperationsStatus['keyStatus'];
  @IsAbsentOr() @IsLocalDate() lastProcessedDay?: string;
  @IsArray() @IsLocalDate({ each: true }) gapDays!: string[];
  @IsArray() @IsLocalDate({ each: true }) gapsGivenUp!: string[];
  @IsAbsentOr() @Count() failedImports?: number;
  @IsAbsentOr() @ValidateNested() @Type(() => ImportFailureDto) lastImportError?: ImportFailureDto;
}
export class OperationsStatusRequestDto {
  @IsAbsentOr() @UserId() userId?: string;
}
export class OperationsStatusReplyDto implements OperationsStatusReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => JobInFlightDto) jobsInFlight!: JobInFlightDto[];
  @IsArray() @ValidateNested({ each: true }) @Type(() => UserOperationsStatusDto) users!: UserOperationsStatusDto[];
}

export class RetentionDto {
  @IsAbsentOr() @Count() @Min(1) clipsDays?: number;
  @IsAbsentOr() @Count() @Min(1) detectionsDays?: number;
  @IsAbsentOr() @Count() @Min(1) logsDays?: number;
}
export class ReconcileRequestDto implements ReconcileRequest {
  @EpochMs() nowMs!: number;
  @IsDefined() @ValidateNested() @Type(() => RetentionDto) retention!: RetentionDto;
  @Count() @Min(1) stuckJobMinutes!: number;
  @Count() @Min(1) staleAudioMinutes!: number;
  @IsAbsentOr() @Count() @Min(5) @Max(10_080) lostImportMinutes?: number;
  @Count() maxDeletions!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1) maxClipShare!: number;
  @IsAbsentOr() @IsBoolean() dryRun?: boolean;
}
export class ReconcileScannedDto {
  @Count() clips!: number;
  @Count() detections!: number;
  @Count() audioObjects!: number;
  @Count() jobs!: number;
}
export class ReconcileDeletedDto {
  @Count() orphanClips!: number;
  @Count() expiredClips!: number;
  @Count() expiredDetections!: number;
  @Count() expiredLogs!: number;
  @Count() staleAudioObjects!: number;
}
export class ReconcileRepairedDto {
  @Count() detectionsMissingClip!: number;
  @Count() stuckJobs!: number;
  @IsAbsentOr() @Count() interruptedImports?: number;
}
export class ReconcileArchiveDto {
  @Count() scanned!: number;
  @Count() orphanFiles!: number;
  @Count() missingFiles!: number;
  @Count() expired!: number;
  @IsAbsentOr() @Count() expiredEmptyWindows?: number;
}
export class ReconcileReplyDto implements ReconcileReply {
  @IsDefined() @ValidateNested() @Type(() => ReconcileScannedDto) scanned!: ReconcileScannedDto;
  @IsDefined() @ValidateNested() @Type(() => ReconcileDeletedDto) deleted!: ReconcileDeletedDto;
  @IsDefined() @ValidateNested() @Type(() => ReconcileRepairedDto) repaired!: ReconcileRepairedDto;
  @IsAbsentOr() @ValidateNested() @Type(() => ReconcileArchiveDto) archive?: ReconcileArchiveDto;
  @IsAbsentOr() @IsString() stoppedBy?: string;
  @IsBoolean() dryRun!: boolean;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) durationMs!: number;
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
