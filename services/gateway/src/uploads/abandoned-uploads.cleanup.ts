import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GatewayLogger } from '../logging/logger';
import { LOGGER } from '../tokens';
import { UploadStore } from './upload-store.adapter';
import { UPLOADS_SETTINGS, type UploadsConfig } from './uploads-config';

/** How often the upload directory is swept; well under the smallest UPLOAD_ABANDONED_AFTER_HOURS. */
export const ABANDONED_SWEEP_INTERVAL_MS = 15 * 60_000;

/**
 * Unfinished uploads hold disk until finished or abandoned (DELETE). One the page never came back
 * to — closed tab, file gone — is deleted once no byte arrived for UPLOAD_ABANDONED_AFTER_HOURS:
 * at boot and every 15 minutes, with one summary line when anything went.
 */
@Injectable()
export class AbandonedUploadsCleanup implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly store: UploadStore,
    @Inject(UPLOADS_SETTINGS) private readonly config: UploadsConfig,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {}

  onModuleInit(): void {
    const tick = () => {
      this.running ??= this.sweep(Date.now()).finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, ABANDONED_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; never throws (a full disk or a permission problem is logged and tried again later). */
  async sweep(nowMs: number): Promise<{ uploads: number; bytes: number }> {
    const hours = this.config.uploadAbandonedAfterHours;
    try {
      const removed = await this.store.expireIdle(nowMs - hours * 3_600_000);
      if (removed.uploads > 0) {
        this.logger.info({ uploads: removed.uploads, bytes: removed.bytes, idleHours: hours }, `deleted ${removed.uploads} abandoned upload(s) idle for over ${hours} h`);
      }
      return removed;
    } catch (error) {
      this.logger.warn({ err: error }, 'abandoned uploads cleanup failed; trying again later');
      return { uploads: 0, bytes: 0 };
    }
  }
}
