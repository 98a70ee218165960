import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsInt,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { JOB_STATES, USER_KEY_STATES, WINDOW_STATUSES } from '../queries';
import {
  CLIP_CHUNK_MAX,
  DAY_LAUGHS_PAGE,
  DAY_STATES,
  DAYS_PAGE,
  EXPORT_PAGE,
  NOTES_MAX_LENGTH,
  REVIEW_LABELS,
  TRENDS_MAX_DAYS,
  type CoverageWindow,
  type DayLaughsReply,
  type DayLaughsRequest,
  type DayReply,
  type DayRequest,
  type DaySummary,
  type DaysPageReply,
  type DaysPageRequest,
  type DeleteDayReply,
  type DeleteDayRequest,
  type DeleteKeyReply,
  type DeleteKeyRequest,
  type DeleteLaughReply,
  type DeleteLaughRequest,
  type DeleteUserDataReply,
  type DeleteUserDataRequest,
  type EnsureUserReply,
  type EnsureUserRequest,
  type ExportLaughsReply,
  type ExportLaughsRequest,
  type JobProgressReply,
  type JobProgressRequest,
  type Laugh,
  type LimitlessKeyStatus,
  type ReadClipReply,
  type ReadClipRequest,
  type SaveKeyReply,
  type SaveKeyRequest,
  type TrendDay,
  type TrendsReply,
  type TrendsRequest,
  type UpdateLaughReply,
  type UpdateLaughRequest,
  type UpdateSettingsRequest,
  type UserProfileReply,
  type UserProfileRequest,
} from '../user-queries';
import { IsAbsentOr, IsBetweenFields, IsIanaTimezone, IsIsoInstant, IsLocalDate, IsNotBefore, isLocalDate } from './constraints';
import { AnyText, Count, EpochMs, Identifier, NonNegative, OneOf, Probability, Text, UserId } from './fields';

/** Validation classes mirroring `user-queries.ts` (the gateway's queries). */

/** Long enough for any e-mail address (RFC 5321 caps a path at 256; the original stored 320). */
const EMAIL_MAX = 320;
/**
 * Notes the original app stored had no length limit; replies carry them whole (up to this), while
 * writes are held to NOTES_MAX_LENGTH.
 */
const STORED_NOTES_MAX = 100_000;
/** A day-laughs offset beyond this is a client bug, not a page anyone reads. */
const DAY_LAUGHS_OFFSET_MAX = 1_000_000;
/** base64 text, possibly empty (a zero-length read at the end of a clip is not an error for the encoder). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Optional and nullable: absent leaves a value alone, `null` clears it. */
function IsAbsentNullOr(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && value !== null);
}

/** A number not below another numeric field (a legacy laugh without an end has endMs = startMs). */
function IsNotLessThanField(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotLessThanField',
      constraints: [other],
      validator: {
        validate: (value, args) => {
          const bound = args ? (args.object as Record<string, unknown>)[other] : undefined;
          return typeof value !== 'number' || typeof bound !== 'number' || value >= bound;
        },
        defaultMessage: () => `$property must not be less than ${other}`,
      },
    },
    options,
  );
}

/** A local date at most `days − 1` days after another local-date field: [other, this] spans ≤ `days` days. */
function IsWithinDaysOf(other: string, days: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWithinDaysOf',
      constraints: [other, days],
      validator: {
        validate: (value, args) => {
          const bound = args ? (args.object as Record<string, unknown>)[other] : undefined;
          if (!isLocalDate(value) || !isLocalDate(bound)) return true;
          const span = (Date.parse(`${value}T00:00:00Z`) - Date.parse(`${bound}T00:00:00Z`)) / 86_400_000 + 1;
          return span <= days;
        },
        defaultMessage: () => `$property must be at most ${days} days from ${other} (both included)`,
      },
    },
    options,
  );
}

/** At least one of the named fields is present (put on a property that never holds a value). */
function AtLeastOneOf(fields: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'atLeastOneOf',
      constraints: [fields],
      validator: {
        validate: (value, args) => {
          if (value !== undefined) return false;
          const object = (args?.object ?? {}) as Record<string, unknown>;
          return fields.some((field) => object[field] !== undefined);
        },
        defaultMessage: () => `$property: give at least one of ${fields.join(' or ')}`,
      },
    },
    options,
  );
}

// Users, keys, settings ----------------------------------------------------------------------

export class LimitlessKeyStatusDto implements LimitlessKeyStatus {
  @OneOf(USER_KEY_STATES) state!: LimitlessKeyStatus['state'];
  @IsAbsentOr() @IsIsoInstant() savedAt?: string;
  @IsAbsentOr() @IsIsoInstant() invalidSince?: string;
  @IsAbsentOr() @AnyText(1000) invalidReason?: string;
  @IsAbsentOr() @IsIsoInstant() lastUsedAt?: string;
}

export class EnsureUserRequestDto implements EnsureUserRequest {
  @UserId() userId!: string;
  @IsEmail() @AnyText(EMAIL_MAX) email!: string;
  @IsAbsentOr() @IsIanaTimezone() timezone?: string;
}
export class UserProfileReplyDto implements UserProfileReply {
  @UserId() userId!: string;
  @AnyText(EMAIL_MAX) email!: string;
  @Text(100) timezone!: string;
  @IsIsoInstant() createdAt!: string;
  @IsDefined() @ValidateNested() @Type(() => LimitlessKeyStatusDto) key!: LimitlessKeyStatusDto;
}
export class EnsureUserReplyDto extends UserProfileReplyDto implements EnsureUserReply {
  @IsBoolean() created!: boolean;
}

export class UserProfileRequestDto implements UserProfileRequest {
  @UserId() userId!: string;
}

export class UpdateSettingsRequestDto implements UpdateSettingsRequest {
  @UserId() userId!: string;
  @IsAbsentOr() @IsIanaTimezone() timezone?: string;
}

export class SaveKeyRequestDto implements SaveKeyRequest {
  @UserId() userId!: string;
  @Text(4096) @Matches(BASE64, { message: '$property must be base64' }) encryptedKey!: string;
}
export class SaveKeyReplyDto implements SaveKeyReply {
  @IsBoolean() replaced!: boolean;
  @IsDefined() @ValidateNested() @Type(() => LimitlessKeyStatusDto) key!: LimitlessKeyStatusDto;
}

export class DeleteKeyRequestDto implements DeleteKeyRequest {
  @UserId() userId!: string;
}
export class DeleteKeyReplyDto implements DeleteKeyReply {
  @IsBoolean() deleted!: boolean;
}

export class DeleteUserDataRequestDto implements DeleteUserDataRequest {
  @UserId() userId!: string;
}
export class DeleteUserDataReplyDto implements DeleteUserDataReply {
  @Count() detections!: number;
  @Count() clips!: number;
  @Count() segments!: number;
  @Count() logs!: number;
  @Count() jobs!: number;
  @Count() keys!: number;
  @IsBoolean() userRemoved!: boolean;
  @IsAbsentOr() @Count() archivedAudioFiles?: number;
}

// Days ---------------------------------------------------------------------------------------

export class DaySummaryDto implements DaySummary {
  @IsLocalDate() localDate!: string;
  @Count() laughCount!: number;
  @NonNegative() laughSeconds!: number;
  @IsAbsentOr() @Probability() meanProbability?: number;
  @NonNegative() audioSeconds!: number;
  @Count() windowsProcessed!: number;
  @Count() windowsEmpty!: number;
  @Count() windowsGap!: number;
  @Count() windowsFailed!: number;
  @Count() rejectedCount!: number;
  @OneOf(DAY_STATES) state!: DaySummary['state'];
  @Text(500) stateMessage!: string;
  @Count() jobsInFlight!: number;
}

export class DaysPageRequestDto implements DaysPageRequest {
  @UserId() userId!: string;
  @IsAbsentOr() @IsLocalDate() before?: string;
  @IsAbsentOr() @Count() @Min(1) @Max(DAYS_PAGE.max) limit?: number;
}
export class DaysPageReplyDto implements DaysPageReply {
  @Text(100) timezone!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => DaySummaryDto) days!: DaySummaryDto[];
  @IsAbsentOr() @IsLocalDate() nextBefore?: string;
}

export class DayRequestDto implements DayRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
}
export class CoverageWindowDto implements CoverageWindow {
  @EpochMs() startMs!: number;
  @EpochMs() @IsNotLessThanField('startMs') endMs!: number;
  @OneOf(WINDOW_STATUSES) status!: CoverageWindow['status'];
  @NonNegative() audioSeconds!: number;
}
export class DayReplyDto implements DayReply {
  @Text(100) timezone!: string;
  @IsDefined() @ValidateNested() @Type(() => DaySummaryDto) summary!: DaySummaryDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => CoverageWindowDto) windows!: CoverageWindowDto[];
}

export class DeleteDayRequestDto implements DeleteDayRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
}
export class DeleteDayReplyDto implements DeleteDayReply {
  @Count() laughsDeleted!: number;
  @Count() clipsRemoved!: number;
  @IsAbsentOr() @Count() archivedAudioFiles?: number;
}

// Laughs -------------------------------------------------------------------------------------

export class LaughDto implements Laugh {
  @UserId() id!: string;
  @IsLocalDate() localDate!: string;
  @EpochMs() startMs!: number;
  @EpochMs() @IsNotLessThanField('startMs') endMs!: number;
  @EpochMs() @IsBetweenFields('startMs', 'endMs') peakMs!: number;
  @NonNegative() durationS!: number;
  @Probability() probability!: number;
  @IsAbsentOr() @Probability() meanProbability?: number;
  @IsAbsentOr() @IsInt() @Min(0) classId?: number;
  @Text(200) className!: string;
  @IsAbsentOr() @AnyText(STORED_NOTES_MAX) notes?: string;
  @IsAbsentOr() @OneOf(REVIEW_LABELS) review?: Laugh['review'];
  @IsAbsentOr() @IsIsoInstant() reviewedAt?: string;
  @IsBoolean() hasClip!: boolean;
}

export class DayLaughsRequestDto implements DayLaughsRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
  @IsAbsentOr() @Probability() minProbability?: number;
  @IsAbsentOr() @Count() @Max(DAY_LAUGHS_OFFSET_MAX) offset?: number;
  @IsAbsentOr() @Count() @Min(1) @Max(DAY_LAUGHS_PAGE.max) limit?: number;
}
export class DayLaughsReplyDto implements DayLaughsReply {
  @IsLocalDate() localDate!: string;
  @Text(100) timezone!: string;
  @Count() total!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => LaughDto) laughs!: LaughDto[];
}

export class UpdateLaughRequestDto implements UpdateLaughRequest {
  @UserId() userId!: string;
  @UserId() laughId!: string;
  /** Stored as plain text exactly as given (markup included); `null` or '' clears. */
  @IsAbsentNullOr() @AnyText(NOTES_MAX_LENGTH) notes?: string | null;
  @IsAbsentNullOr() @OneOf(REVIEW_LABELS) review?: UpdateLaughRequest['review'];
  @AtLeastOneOf(['notes', 'review']) change?: never;
}
export class UpdateLaughReplyDto implements UpdateLaughReply {
  @IsDefined() @ValidateNested() @Type(() => LaughDto) laugh!: LaughDto;
}

export class DeleteLaughRequestDto implements DeleteLaughRequest {
  @UserId() userId!: string;
  @UserId() laughId!: string;
}
export class DeleteLaughReplyDto implements DeleteLaughReply {
  @IsBoolean() deleted!: boolean;
  @IsBoolean() clipRemoved!: boolean;
}

export class ExportPositionDto {
  @EpochMs() startMs!: number;
  @UserId() id!: string;
}
export class ExportLaughsRequestDto implements ExportLaughsRequest {
  @UserId() userId!: string;
  @IsAbsentOr() @ValidateNested() @Type(() => ExportPositionDto) after?: ExportPositionDto;
  @IsAbsentOr() @Count() @Min(1) @Max(EXPORT_PAGE.max) limit?: number;
}
export class ExportLaughsReplyDto implements ExportLaughsReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => LaughDto) laughs!: LaughDto[];
  @IsAbsentOr() @ValidateNested() @Type(() => ExportPositionDto) next?: ExportPositionDto;
}

// Clips --------------------------------------------------------------------------------------

export class ReadClipRequestDto implements ReadClipRequest {
  @UserId() userId!: string;
  @UserId() laughId!: string;
  @IsAbsentOr() @Count() offset?: number;
  @IsAbsentOr() @Count() @Min(1) @Max(CLIP_CHUNK_MAX) length?: number;
}
export class ReadClipReplyDto implements ReadClipReply {
  @Count() size!: number;
  @Text(200) etag!: string;
  @Equals('audio/wav') contentType!: 'audio/wav';
  @Count() offset!: number;
  @MaxLength(Math.ceil(CLIP_CHUNK_MAX / 3) * 4) @Matches(BASE64, { message: '$property must be base64' }) dataBase64!: string;
}

// Trends -------------------------------------------------------------------------------------

export class TrendsRequestDto implements TrendsRequest {
  @UserId() userId!: string;
  @IsLocalDate() from!: string;
  @IsLocalDate() @IsNotBefore('from') @IsWithinDaysOf('from', TRENDS_MAX_DAYS) to!: string;
}
export class TrendDayDto implements TrendDay {
  @IsLocalDate() localDate!: string;
  @Count() laughs!: number;
  @NonNegative() laughSeconds!: number;
  @NonNegative() audioSeconds!: number;
  @NonNegative() movingAverage7!: number;
}
export class BestDayDto {
  @IsLocalDate() localDate!: string;
  @Count() laughs!: number;
}
export class TrendsReplyDto implements TrendsReply {
  @Text(100) timezone!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TrendDayDto) days!: TrendDayDto[];
  @IsArray() @ArrayMinSize(24) @ArrayMaxSize(24) @IsInt({ each: true }) @Min(0, { each: true }) byHour!: number[];
  @IsArray() @ArrayMaxSize(5) @ValidateNested({ each: true }) @Type(() => BestDayDto) bestDays!: BestDayDto[];
  @Count() currentStreak!: number;
  @Count() longestStreak!: number;
}

// Jobs ---------------------------------------------------------------------------------------

export class JobProgressRequestDto implements JobProgressRequest {
  @UserId() userId!: string;
  @Identifier() jobId!: string;
}
export class JobProgressReplyDto implements JobProgressReply {
  @Identifier() jobId!: string;
  @IsLocalDate() localDate!: string;
  @Identifier(32) trigger!: string;
  @OneOf(JOB_STATES) status!: JobProgressReply['status'];
  @Count() windowsPlanned!: number;
  @Count() windowsDone!: number;
  @Count() laughsFound!: number;
  @IsIsoInstant() updatedAt!: string;
}
