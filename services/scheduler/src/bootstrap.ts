import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { startServiceApp } from '@giggles/health';
import type { LevelWithSilent } from 'pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { describeSchedulerConfig, loadSchedulerConfig, type SchedulerConfig } from './config/scheduler-config';
import type { Clock } from './domain/clock';
import { createSchedulerLogger, PinoNestLogger, type SchedulerLogger } from './logging/logger';
import { ReconcileService } from './services/reconcile.service';
import { TickService, type TickReport } from './services/tick.service';
import { ApiOutageGate } from './services/api-outage-gate.service';
import type { BackfillRoundReport } from './services/backfill-round.service';
import type { ReconcileReply } from '@giggles/contracts';

export interface CreateSchedulerAppOptions {
  /** Settings as environment variables (validated like at boot); default `process.env`. Ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
  config?: SchedulerConfig;
  logger?: SchedulerLogger;
  /** "Now" for everything the scheduler decides; default the system clock. */
  clock?: Clock;
  /** False: no timers; drive the app with `tick()` / `reconcile()`. Default true. */
  timers?: boolean;
  /** Interface for /health and /metrics; default 0.0.0.0 (tests pass 127.0.0.1). */
  host?: string;
}

export interface SchedulerApp {
  app: INestApplication;
  config: SchedulerConfig;
  /** Runs one tick now (what the interval does). */
  tick(): Promise<TickReport>;
  /** Runs one backfill round now (what SCHEDULER_BACKFILL_INTERVAL does); undefined when a tick was running. */
  backfillTick(): Promise<BackfillRoundReport | undefined>;
  /** Resolves when the Limitless probes started by ticks have finished (tests). */
  probesSettled(): Promise<void>;
  /** Runs the reconciliation now (what the cron does). */
  reconcile(): Promise<ReconcileReply | undefined>;
  close(): Promise<void>;
}

/**
 * Builds and starts the scheduler in this process: NATS connected, topology ensured, commands
 * answered, ticks and reconciliation scheduled (unless `timers: false`), `/health/live`,
 * `/health/ready` and `/metrics` on `HEALTH_PORT`.
 *
 * ```ts
 * const scheduler = await createSchedulerApp({ env: { NATS_URL, HEALTH_PORT: '0' }, clock, timers: false });
 * await scheduler.tick();
 * ```
 */
export async function createSchedulerApp(options: CreateSchedulerAppOptions = {}): Promise<SchedulerApp> {
  const config = options.config ?? loadSchedulerConfig(options.env ?? process.env);
  const logger = options.logger ?? createSchedulerLogger(config.logLevel as LevelWithSilent);
  const app = await startSchedulerApp(config, logger, { clock: options.clock, timers: options.timers, host: options.host });
  const ticks = app.get(TickService);
  const reconciliation = app.get(ReconcileService);
  return {
    app,
    config,
    tick: () => ticks.tick(),
    backfillTick: () => ticks.backfillTick(),
    probesSettled: async () => {
      await Promise.all([...app.get(ApiOutageGate).pendingProbes]);
    },
    reconcile: () => reconciliation.reconcile(),
    close: () => app.close(),
  };
}

/** The Nest application itself (what `main.ts` runs). */
export async function startSchedulerApp(
  config: SchedulerConfig,
  logger: SchedulerLogger,
  options: AppModuleOptions & { host?: string } = {},
): Promise<INestApplication> {
  logger.info({ config: describeSchedulerConfig(config) }, 'starting scheduler');
  return startServiceApp(AppModule.forRoot(config, logger, options), { logger: new PinoNestLogger(logger), port: config.healthPort, host: options.host });
}
