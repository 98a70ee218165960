import { Module } from '@nestjs/common';
import { LaughterModule } from '../laughter/laughter.module';
import { ArchiveController } from './archive.controller';
import { ArchiveService } from './archive.service';

/** "Keep the audio" (issue 10): the switch, the size, and a day's kept audio as a zip. */
@Module({
  imports: [LaughterModule],
  controllers: [ArchiveController],
  providers: [ArchiveService],
})
export class ArchiveModule {}
