import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { SchedulerLogger } from '../logging/logger';
import { ReconcileService } from '../services/reconcile.service';
import { TickService } from '../services/tick.service';
import { LOGGER, SCHEDULE_OPTIONS, SCHEDULER_SETTINGS } from '../tokens';

export const TICK_INTERVAL_NAME = 'scheduler-tick';
export const RECONCILE_CRON_NAME = 'scheduler-reconcile';
export const BACKFILL_INTERVAL_NAME = 'scheduler-backfill';

export interface ScheduleOptions {
  /** False: no timers at all (tests call `tick()` and `reconcile()` themselves). Default true. */
  timers: boolean;
}

/**
 * Registers the periodic work with @nestjs/schedule from the settings (so intervals and the cron
 * expression are configurable rather than fixed in decorators): the tick every
 * `SCHEDULER_TICK_INTERVAL` (and once at boot, so a restart catches up at once), the
 * reconciliation on `RECONCILE_CRON` in UTC. The timers only call the services' plain methods.
 */
@Injectable()
export class ScheduleRegistrar implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @Inject(TickService) private readonly ticks: TickService,
    @Inject(ReconcileService) private readonly reconciliation: ReconcileService,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(SCHEDULE_OPTIONS) private readonly options: ScheduleOptions,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.timers) {
      this.logger.info('timers disabled: ticks and reconciliation run only when called');
      return;
    }
    this.registry.addInterval(
      TICK_INTERVAL_NAME,
      setInterval(() => void this.runTick(), this.config.tickIntervalMs),
    );
    this.registry.addInterval(
      BACKFILL_INTERVAL_NAME,
      setInterval(() => void this.ticks.backfillTick(), this.config.backfillIntervalMs),
    );
    const cron = CronJob.from({
      cronTime: this.config.reconcileCron,
      onTick: () => void this.reconciliation.reconcile(),
      timeZone: 'UTC',
      start: true,
    });
    this.registry.addCronJob(RECONCILE_CRON_NAME, cron);
    this.logger.info(
      { tickIntervalMs: this.config.tickIntervalMs, reconcileCron: this.config.reconcileCron, nextReconcile: cron.nextDate().toISO() },
      'scheduled ticks and reconciliation',
    );
    void this.runTick();
  }

  beforeApplicationShutdown(): void {
    if (this.registry.doesExist('interval', TICK_INTERVAL_NAME)) this.registry.deleteInterval(TICK_INTERVAL_NAME);
    if (this.registry.doesExist('interval', BACKFILL_INTERVAL_NAME)) this.registry.deleteInterval(BACKFILL_INTERVAL_NAME);
    if (this.registry.doesExist('cron', RECONCILE_CRON_NAME)) this.registry.deleteCronJob(RECONCILE_CRON_NAME);
  }

  /** A failed tick is logged and counted by TickService; the timer must never see a rejection. */
  private async runTick(): Promise<void> {
    await this.ticks.tick().catch(() => undefined);
  }
}
