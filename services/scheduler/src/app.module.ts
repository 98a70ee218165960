import { Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { HealthModule } from '@giggles/health';
import { telemetryShutdownProvider, type Telemetry } from '@giggles/observability';
import { JetStreamDeadLetters } from './adapters/dead-letters.adapter';
import { JetStreamJobPublisher } from './adapters/day-job-publisher.adapter';
import { NatsConnectionAdapter } from './adapters/nats-connection.adapter';
import { NatsHistoryQueries } from './adapters/history-queries.adapter';
import { NatsPersistenceQueries } from './adapters/persistence-queries.adapter';
import type { SchedulerConfig } from './config/scheduler-config';
import { systemClock, type Clock } from './domain/clock';
import { CommandServerHandler } from './handlers/command.server';
import { ScheduleRegistrar, type ScheduleOptions } from './handlers/schedule.registrar';
import type { SchedulerLogger } from './logging/logger';
import { ApiOutageGate } from './services/api-outage-gate.service';
import { BackfillCommandsService } from './services/backfill-commands.service';
import { BackfillRound } from './services/backfill-round.service';
import { CommandsService } from './services/commands.service';
import { JobDispatcher } from './services/job-dispatcher.service';
import { ReconcileService } from './services/reconcile.service';
import { SchedulerMetrics } from './services/scheduler-metrics';
import { SchedulerState } from './services/scheduler-state';
import { TickService } from './services/tick.service';
import { TickingHealth } from './services/ticking.health';
import { UserResolver } from './services/user-resolver.service';
import { CLOCK, DEAD_LETTERS, HISTORY, JOB_PUBLISHER, LOGGER, PERSISTENCE, SCHEDULE_OPTIONS, SCHEDULER_SETTINGS } from './tokens';

export interface AppModuleOptions {
  clock?: Clock;
  /** False: no interval, no cron, no tick at boot; call `TickService.tick()` / `ReconcileService.reconcile()` yourself. Default true. */
  timers?: boolean;
  /** Flushed as the last step of shutdown (main.ts starts it before the app). */
  telemetry?: Telemetry;
}

/**
 * handlers (CommandServerHandler, ScheduleRegistrar) → services (TickService, ReconcileService,
 * CommandsService, JobDispatcher, UserResolver) → adapters (NATS connection, persistence queries,
 * day-job publisher, dead-letter reader). Only adapters touch the network. Health and /metrics
 * via @giggles/health; timers via @nestjs/schedule.
 */
@Module({})
export class AppModule {
  static forRoot(config: SchedulerConfig, logger: SchedulerLogger, options: AppModuleOptions = {}): DynamicModule {
    const schedule: ScheduleOptions = { timers: options.timers ?? true };
    return {
      module: AppModule,
      imports: [HealthModule.forService({ service: 'scheduler', memoryLimitMb: config.memoryLimitMb }), ScheduleModule.forRoot()],
      providers: [
        { provide: SCHEDULER_SETTINGS, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: SCHEDULE_OPTIONS, useValue: schedule },
        ...(options.telemetry ? [telemetryShutdownProvider(options.telemetry)] : []),
        NatsConnectionAdapter,
        { provide: PERSISTENCE, useClass: NatsPersistenceQueries },
        { provide: JOB_PUBLISHER, useClass: JetStreamJobPublisher },
        { provide: DEAD_LETTERS, useClass: JetStreamDeadLetters },
        { provide: HISTORY, useClass: NatsHistoryQueries },
        ApiOutageGate,
        BackfillRound,
        BackfillCommandsService,
        SchedulerMetrics,
        SchedulerState,
        JobDispatcher,
        UserResolver,
        TickService,
        ReconcileService,
        CommandsService,
        TickingHealth,
        CommandServerHandler,
        ScheduleRegistrar,
      ],
      exports: [TickService, ReconcileService, CommandsService, SchedulerState, BackfillCommandsService, ApiOutageGate],
    };
  }
}
