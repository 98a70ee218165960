import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsBoolean, Matches, Max, Min, ValidateNested } from 'class-validator';
import {
  IMPORT_FILE_NAME_MAX,
  IMPORT_PLACEMENTS,
  IMPORT_SOURCES,
  IMPORT_STATES,
  type ImportBeginReply,
  type ImportBeginRequest,
  type ImportDay,
  type ImportRecord,
  type ImportRecordingReply,
  type ImportRecordingRequest,
  type ImportsListReply,
  type ImportsListRequest,
} from '../import-queries';
import { IsAbsentOr, IsGreaterThanField, IsIanaTimezone, IsIsoInstant, IsLocalDate } from './constraints';
import { AnyText, Count, EpochMs, Identifier, OneOf, Text, UserId } from './fields';
import { ErrorInfoDto } from './payload-dtos';

/** Validation classes mirroring `import-queries.ts`. */

/** Most local days one import may cover (a recording longer than this is refused before recording). */
export const IMPORT_MAX_DAYS = 8;
/** Most imports one list returns. */
export const IMPORTS_LIST_MAX = 200;
const SHA256 = /^[0-9a-f]{64}$/;

export class ImportDayDto implements ImportDay {
  @IsLocalDate() localDate!: string;
  @Count() laughs!: number;
}

export class ImportRecordDto implements ImportRecord {
  @UserId() importId!: string;
  @Text(IMPORT_FILE_NAME_MAX) fileName!: string;
  @Matches(SHA256) sha256!: string;
  @Count() bytes!: number;
  @OneOf(IMPORT_SOURCES) source!: ImportRecord['source'];
  @OneOf(IMPORT_STATES) state!: ImportRecord['state'];
  @IsAbsentOr() @OneOf(IMPORT_PLACEMENTS) placedBy?: ImportRecord['placedBy'];
  @IsAbsentOr() @EpochMs() startMs?: number;
  @IsAbsentOr() @EpochMs() @IsGreaterThanField('startMs') endMs?: number;
  @IsAbsentOr() @IsIanaTimezone() timezone?: string;
  @IsArray() @ArrayMaxSize(IMPORT_MAX_DAYS) @ValidateNested({ each: true }) @Type(() => ImportDayDto) days!: ImportDayDto[];
  @Count() laughs!: number;
  @IsAbsentOr() @ValidateNested() @Type(() => ErrorInfoDto) error?: ErrorInfoDto;
  @IsIsoInstant() createdAt!: string;
}

export class ImportBeginRequestDto implements ImportBeginRequest {
  @UserId() userId!: string;
  @Text(IMPORT_FILE_NAME_MAX) fileName!: string;
  @Matches(SHA256) sha256!: string;
  @Count() bytes!: number;
  @OneOf(IMPORT_SOURCES) source!: ImportBeginRequest['source'];
  @IsAbsentOr() @OneOf(IMPORT_PLACEMENTS) placedBy?: ImportBeginRequest['placedBy'];
  @IsAbsentOr() @EpochMs() startMs?: number;
  @IsAbsentOr() @EpochMs() @IsGreaterThanField('startMs') endMs?: number;
  @IsAbsentOr() @IsIanaTimezone() timezone?: string;
  @IsAbsentOr() @IsArray() @ArrayMaxSize(IMPORT_MAX_DAYS) @IsLocalDate({ each: true }) days?: string[];
  @IsAbsentOr() @ValidateNested() @Type(() => ErrorInfoDto) error?: ErrorInfoDto;
}
export class ImportBeginReplyDto implements ImportBeginReply {
  @IsDefined() @ValidateNested() @Type(() => ImportRecordDto) import!: ImportRecordDto;
  @IsBoolean() duplicate!: boolean;
}

export class ImportsListRequestDto implements ImportsListRequest {
  @UserId() userId!: string;
  @Count() @Min(1) @Max(IMPORTS_LIST_MAX) limit!: number;
  @IsAbsentOr() @UserId() importId?: string;
}
export class ImportsListReplyDto implements ImportsListReply {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ImportRecordDto) imports!: ImportRecordDto[];
}

export class ImportRecordingRequestDto implements ImportRecordingRequest {
  @UserId() userId!: string;
  @Identifier(512) audioObject!: string;
  @AnyText(4_096) fileName!: string;
  @OneOf(IMPORT_SOURCES) source!: ImportRecordingRequest['source'];
  @IsAbsentOr() @Text(100) start?: string;
}
export class ImportRecordingReplyDto implements ImportRecordingReply {
  @IsDefined() @ValidateNested() @Type(() => ImportRecordDto) import!: ImportRecordDto;
  @IsBoolean() duplicate!: boolean;
}
