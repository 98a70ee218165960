import { Module } from '@nestjs/common';
import { GATEWAY_SETTINGS } from '../tokens';
import { AbandonedUploadsCleanup } from './abandoned-uploads.cleanup';
import { UploadObjects } from './upload-objects.adapter';
import { UploadStore } from './upload-store.adapter';
import { UploadsController } from './uploads.controller';
import { UPLOADS_SETTINGS } from './uploads-config';
import { UploadsService } from './uploads.service';

/**
 * Issue 10's "recordings from any source" on the web: resumable uploads to local disk, then into
 * the audio bucket for ingestion to import; the user's imports list. Needs no Limitless key.
 */
@Module({
  controllers: [UploadsController],
  providers: [{ provide: UPLOADS_SETTINGS, useExisting: GATEWAY_SETTINGS }, UploadStore, UploadObjects, UploadsService, AbandonedUploadsCleanup],
})
export class UploadsModule {}
