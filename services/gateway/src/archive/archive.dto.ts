import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ARCHIVE_MODES, type ArchiveMode, type ArchiveSummaryReply } from '@giggles/contracts';

export class SetArchiveDto {
  @ApiProperty({ description: 'Keep the audio of processed windows from now on (true) or stop keeping it (false; what is kept stays until deleted or expired)' })
  @IsBoolean()
  enabled!: boolean;
}

export class ArchiveSummaryDto implements ArchiveSummaryReply {
  @ApiProperty({ enum: ARCHIVE_MODES, description: "The deployment's archive storage; 'off' keeps nothing whatever the switch says" })
  mode!: ArchiveMode;
  @ApiProperty({ description: "The user's choice (off by default)" })
  enabled!: boolean;
  @ApiProperty({ description: 'Days kept audio stays (0: until you delete it)' })
  retentionDays!: number;
  @ApiProperty({ description: 'Windows (≤ 2 h of recording each) kept' })
  windows!: number;
  @ApiProperty({ description: 'Bytes kept' })
  bytes!: number;
  @ApiProperty({ description: 'Local days with kept audio' })
  days!: number;
  @ApiPropertyOptional({ example: '2026-03-01' })
  oldestDate?: string;
  @ApiPropertyOptional({ example: '2026-03-07' })
  newestDate?: string;
}

export class DayArchiveDto {
  @ApiProperty({ example: '2026-03-07' })
  localDate!: string;
  @ApiProperty({ description: 'Windows of the day kept (0: nothing to download)' })
  windows!: number;
  @ApiProperty({ description: 'Bytes kept for the day' })
  bytes!: number;
}
