import { Module } from '@nestjs/common';
import { LaughterModule } from '../laughter/laughter.module';
import { LegacyDataController } from './legacy-data.controller';
import { LegacyDataService } from './legacy-data.service';

/** The original app's data routes (`/api/daily-summary`, `/api/laughter-detections/…`, …) over the laughter services. */
@Module({
  imports: [LaughterModule],
  controllers: [LegacyDataController],
  providers: [LegacyDataService],
})
export class LegacyDataModule {}
