import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

export class UploadCreateDto {
  @ApiProperty({ description: "The file's name as picked (shown in lists and read for a time: 20261203_141500.m4a)", example: '20261203_141500.m4a' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  fileName!: string;

  @ApiProperty({ description: 'Its size in bytes (at most UPLOAD_MAX_BYTES)', example: 1048576 })
  @IsInt()
  @Min(1)
  size!: number;
}

export class UploadFinishDto {
  @ApiPropertyOptional({ description: 'When the recording began, ISO-8601 (no offset: your time zone). Overrides the creation time and the name.', example: '2026-12-03T14:15:00' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  start?: string;
}

export class UploadStateDto {
  @ApiProperty() uploadId!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ description: 'Declared size (bytes)' }) size!: number;
  @ApiProperty({ description: 'Bytes received so far: the next PUT starts here' }) offset!: number;
  @ApiProperty({ description: 'Largest chunk one PUT may carry' }) maxChunkBytes!: number;
  @ApiProperty() createdAt!: string;
}

export class ImportDayDto {
  @ApiProperty({ example: '2026-12-03' }) localDate!: string;
  @ApiProperty() laughs!: number;
}

export class ImportErrorDto {
  @ApiProperty({ example: 'CANNOT_PLACE', description: 'CANNOT_PLACE, INVALID_START, UNSUPPORTED, CORRUPT, EMPTY, TOO_LARGE, TOO_LONG, DUPLICATE, OBJECT_MISSING, or an inference code' })
  code!: string;
  @ApiProperty() message!: string;
}

export class ImportViewDto {
  @ApiProperty() importId!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ enum: ['cli', 'upload'] }) source!: string;
  @ApiProperty({ enum: ['rejected', 'processing', 'done', 'failed'] }) state!: string;
  @ApiPropertyOptional({ enum: ['start', 'embedded', 'name'] }) placedBy?: string;
  @ApiPropertyOptional() startMs?: number;
  @ApiPropertyOptional() endMs?: number;
  @ApiPropertyOptional() timezone?: string;
  @ApiProperty({ type: [ImportDayDto] }) days!: ImportDayDto[];
  @ApiProperty() laughs!: number;
  @ApiPropertyOptional({ type: ImportErrorDto }) error?: ImportErrorDto;
  @ApiProperty() createdAt!: string;
}

export class UploadFinishedDto {
  @ApiProperty({ type: ImportViewDto }) import!: ImportViewDto;
  @ApiProperty({ description: 'The same file was imported before: nothing was processed again' }) duplicate!: boolean;
}

export class ImportsListDto {
  @ApiProperty({ type: [ImportViewDto] }) imports!: ImportViewDto[];
}
