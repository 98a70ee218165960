import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  ARCHIVE_CHUNK_MAX,
  ARCHIVE_DAY_MAX_WINDOWS,
  ARCHIVE_MODES,
  type ArchivedWindow,
  type ArchivedWindowsReply,
  type ArchivedWindowsRequest,
  type ArchiveMode,
  type ArchiveSummaryReply,
  type ArchiveSummaryRequest,
  type ArchiveTotalsReply,
  type ArchiveTotalsUser,
  type EmptyArchivedWindow,
  type ReadArchivedWindowReply,
  type ReadArchivedWindowRequest,
  type RestoreArchivedWindowReply,
  type RestoreArchivedWindowRequest,
  type SetArchiveRequest,
} from '../archive-queries';
import { IsAbsentOr, IsGreaterThanField, IsLocalDate, IsNotBefore } from './constraints';
import { Count, EpochMs, Identifier, OneOf, UserId } from './fields';

/** Validation classes mirroring `archive-queries.ts`. */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** 100 years: the bound of AUDIO_ARCHIVE_RETENTION_DAYS. */
const RETENTION_MAX_DAYS = 36_500;

export class ArchiveSummaryRequestDto implements ArchiveSummaryRequest {
  @UserId() userId!: string;
}
export class ArchiveSummaryReplyDto implements ArchiveSummaryReply {
  @OneOf(ARCHIVE_MODES) mode!: ArchiveMode;
  @IsBoolean() enabled!: boolean;
  @Count() @Max(RETENTION_MAX_DAYS) retentionDays!: number;
  @Count() windows!: number;
  @IsAbsentOr() @Count() emptyWindows?: number;
  @Count() bytes!: number;
  @Count() days!: number;
  @IsAbsentOr() @IsLocalDate() oldestDate?: string;
  @IsAbsentOr() @IsLocalDate() @IsNotBefore('oldestDate') newestDate?: string;
}
export class SetArchiveRequestDto implements SetArchiveRequest {
  @UserId() userId!: string;
  @IsBoolean() enabled!: boolean;
}

export class ArchiveTotalsUserDto implements ArchiveTotalsUser {
  @UserId() userId!: string;
  @Count() windows!: number;
  @IsAbsentOr() @Count() emptyWindows?: number;
  @Count() bytes!: number;
  @Count() days!: number;
  @IsAbsentOr() @IsLocalDate() oldestDate?: string;
  @IsAbsentOr() @IsLocalDate() newestDate?: string;
}
export class ArchiveTotalsReplyDto implements ArchiveTotalsReply {
  @OneOf(ARCHIVE_MODES) mode!: ArchiveMode;
  @Count() @Max(RETENTION_MAX_DAYS) retentionDays!: number;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ArchiveTotalsUserDto) users!: ArchiveTotalsUserDto[];
}

export class ArchivedWindowsRequestDto implements ArchivedWindowsRequest {
  @UserId() userId!: string;
  @IsLocalDate() localDate!: string;
}
export class ArchivedWindowDto implements ArchivedWindow {
  @EpochMs() windowStartMs!: number;
  @EpochMs() @IsGreaterThanField('windowStartMs') windowEndMs!: number;
  @Count() bytes!: number;
  @Matches(/^[0-9a-f]{64}$/, { message: '$property must be a hex sha256' }) sha256!: string;
}
export class EmptyArchivedWindowDto implements EmptyArchivedWindow {
  @EpochMs() windowStartMs!: number;
  @EpochMs() @IsGreaterThanField('windowStartMs') windowEndMs!: number;
  @EpochMs() emptyAtMs!: number;
}
export class ArchivedWindowsReplyDto implements ArchivedWindowsReply {
  @IsArray() @ArrayMaxSize(ARCHIVE_DAY_MAX_WINDOWS) @ValidateNested({ each: true }) @Type(() => ArchivedWindowDto) windows!: ArchivedWindowDto[];
  @IsAbsentOr()
  @IsArray()
  @ArrayMaxSize(ARCHIVE_DAY_MAX_WINDOWS)
  @ValidateNested({ each: true })
  @Type(() => EmptyArchivedWindowDto)
  emptyWindows?: EmptyArchivedWindowDto[];
}

export class RestoreArchivedWindowRequestDto implements RestoreArchivedWindowRequest {
  @UserId() userId!: string;
  @EpochMs() windowStartMs!: number;
  @Identifier() audioObject!: string;
}
export class RestoreArchivedWindowReplyDto implements RestoreArchivedWindowReply {
  @EpochMs() windowStartMs!: number;
  @EpochMs() @IsGreaterThanField('windowStartMs') windowEndMs!: number;
  @Count() bytes!: number;
}

export class ReadArchivedWindowRequestDto implements ReadArchivedWindowRequest {
  @UserId() userId!: string;
  @EpochMs() windowStartMs!: number;
  @IsAbsentOr() @Count() offset?: number;
  @IsAbsentOr() @Count() @Min(1) @Max(ARCHIVE_CHUNK_MAX) length?: number;
}
export class ReadArchivedWindowReplyDto implements ReadArchivedWindowReply {
  @Count() size!: number;
  @Count() offset!: number;
  @MaxLength(Math.ceil(ARCHIVE_CHUNK_MAX / 3) * 4) @Matches(BASE64, { message: '$property must be base64' }) dataBase64!: string;
}
