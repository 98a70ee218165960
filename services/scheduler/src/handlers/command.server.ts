import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { COMMANDS, HISTORY_COMMANDS, type QuerySubject } from '@giggles/contracts';
import { serveQueries, type QueryHandler, type QueryHandlers, type QueryServer } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { SchedulerLogger } from '../logging/logger';
import { BackfillCommandsService } from '../services/backfill-commands.service';
import { CommandsService } from '../services/commands.service';
import { LOGGER } from '../tokens';

/** Every scheduler instance joins this queue group: each command is answered by one of them. */
export const COMMAND_QUEUE = 'giggles-scheduler';

/**
 * Answers the COMMANDS over core NATS request/reply. serveQueries validates each request against
 * its contract (`invalid_request` with the parser's message) and each reply before it leaves;
 * QueryErrors thrown by CommandsService become their code (`not_found`, `conflict`, …).
 */
@Injectable()
export class CommandServerHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: QueryServer | undefined;

  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(CommandsService) private readonly commands: CommandsService,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
    @Inject(BackfillCommandsService) private readonly backfills: BackfillCommandsService,
  ) {}

  handlers(): QueryHandlers {
    const c = this.commands;
    return {
      [COMMANDS.processToday]: this.logged(COMMANDS.processToday, (request) => c.processToday(request)),
      [COMMANDS.processDay]: this.logged(COMMANDS.processDay, (request) => c.processDay(request)),
      [COMMANDS.reprocess]: this.logged(COMMANDS.reprocess, (request) => c.reprocess(request)),
      [COMMANDS.status]: this.logged(COMMANDS.status, () => c.status()),
      [HISTORY_COMMANDS.backfill]: this.logged(HISTORY_COMMANDS.backfill, (request) => this.backfills.backfill(request)),
      [HISTORY_COMMANDS.backfillStatus]: this.logged(HISTORY_COMMANDS.backfillStatus, (request) => this.backfills.status(request)),
      [HISTORY_COMMANDS.backfillPause]: this.logged(HISTORY_COMMANDS.backfillPause, (request) => this.backfills.pause(request)),
      [HISTORY_COMMANDS.backfillResume]: this.logged(HISTORY_COMMANDS.backfillResume, (request) => this.backfills.resume(request)),
    };
  }

  onApplicationBootstrap(): void {
    this.server = serveQueries(this.nats.nc, this.handlers(), { queue: COMMAND_QUEUE, logger: this.logger });
    this.logger.info({ queue: COMMAND_QUEUE, subjects: [...Object.values(COMMANDS), ...Object.values(HISTORY_COMMANDS)] }, 'answering commands');
  }

  /** Stops taking commands and answers the ones in hand before NATS drains. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  private logged<S extends QuerySubject>(subject: S, handler: QueryHandler<S>): QueryHandler<S> {
    return async (request, ctx) => {
      try {
        return await handler(request, ctx);
      } catch (error) {
        this.logger.info({ subject, err: error }, 'command refused or failed');
        throw error;
      }
    };
  }
}
