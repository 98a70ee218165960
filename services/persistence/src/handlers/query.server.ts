import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { QUERIES, QUERY_ERROR_CODES, type QuerySubject } from '@giggles/contracts';
import { QueryError, serveQueries, type QueryHandler, type QueryServer } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { PersistenceLogger } from '../logging/logger';
import { ReconcileService } from '../maintenance/reconcile.service';
import { ClearDaysService } from '../services/clear-days.service';
import { PersistenceMetrics } from '../services/persistence-metrics';
import { QueriesService } from '../services/queries.service';
import { LOGGER } from '../tokens';

type PersistenceQuery = (typeof QUERIES)[keyof typeof QUERIES];
/** One handler for every QUERIES subject (the COMMANDS are the scheduler's). */
export type PersistenceQueryHandlers = { [S in PersistenceQuery]: QueryHandler<S> };

/** Query error codes counted as their own metric outcome; anything else is 'error'. */
const COUNTED_CODES: readonly string[] = [QUERY_ERROR_CODES.notFound, QUERY_ERROR_CODES.conflict];

/** Every persistence instance joins this queue group: each query is answered by one of them. */
export const QUERY_QUEUE = 'giggles-persistence';

/**
 * Answers every subject in QUERIES over core NATS request/reply. serveQueries validates each
 * request and each reply against the contracts (`invalid_request` / `internal`); QueryErrors
 * thrown by the services become their code (`not_found`, `conflict`).
 */
@Injectable()
export class QueryServerHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: QueryServer | undefined;

  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(QueriesService) private readonly queries: QueriesService,
    @Inject(ClearDaysService) private readonly clearing: ClearDaysService,
    @Inject(ReconcileService) private readonly reconciliation: ReconcileService,
    @Inject(PersistenceMetrics) private readonly metrics: PersistenceMetrics,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
  ) {}

  handlers(): PersistenceQueryHandlers {
    const q = this.queries;
    return {
      [QUERIES.usersWithActiveKeys]: this.measured(QUERIES.usersWithActiveKeys, (request) => q.usersWithActiveKeys(request)),
      [QUERIES.userKey]: this.measured(QUERIES.userKey, (request) => q.userKey(request)),
      [QUERIES.markKeyInvalid]: this.measured(QUERIES.markKeyInvalid, (request) => q.markKeyInvalid(request)),
      [QUERIES.windowsDone]: this.measured(QUERIES.windowsDone, (request) => q.windowsDone(request)),
      [QUERIES.dueDays]: this.measured(QUERIES.dueDays, (request) => q.dueDays(request)),
      [QUERIES.userDays]: this.measured(QUERIES.userDays, (request) => q.userDays(request)),
      [QUERIES.dayDetections]: this.measured(QUERIES.dayDetections, (request) => q.dayDetections(request)),
      [QUERIES.jobStatus]: this.measured(QUERIES.jobStatus, (request) => q.jobStatus(request)),
      [QUERIES.userByEmail]: this.measured(QUERIES.userByEmail, (request) => q.userByEmail(request)),
      [QUERIES.registerJob]: this.measured(QUERIES.registerJob, (request) => q.registerJob(request)),
      [QUERIES.stalledJobs]: this.measured(QUERIES.stalledJobs, (request) => q.stalledJobs(request)),
      [QUERIES.giveUpGaps]: this.measured(QUERIES.giveUpGaps, (request) => q.giveUpGaps(request)),
      [QUERIES.clearDays]: this.measured(QUERIES.clearDays, (request) => this.clearing.clearDays(request)),
      [QUERIES.operationsStatus]: this.measured(QUERIES.operationsStatus, (request) => q.operationsStatus(request)),
      [QUERIES.reconcile]: this.measured(QUERIES.reconcile, (request) => this.reconciliation.reconcile(request)),
    };
  }

  onApplicationBootstrap(): void {
    this.server = serveQueries(this.nats.nc, this.handlers(), { queue: QUERY_QUEUE, logger: this.logger });
    this.logger.info({ queue: QUERY_QUEUE, subjects: Object.values(QUERIES) }, 'answering queries');
  }

  /** Stops taking requests and answers the ones in hand before NATS drains. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  private measured<S extends QuerySubject>(subject: S, handler: QueryHandler<S>): QueryHandler<S> {
    return async (request, ctx) => {
      const stop = this.metrics.querySeconds.startTimer({ query: subject });
      try {
        const reply = await handler(request, ctx);
        this.metrics.queries.inc({ query: subject, outcome: 'ok' });
        return reply;
      } catch (error) {
        const outcome = error instanceof QueryError && COUNTED_CODES.includes(error.code) ? error.code : 'error';
        this.metrics.queries.inc({ query: subject, outcome });
        throw error;
      } finally {
        stop();
      }
    };
  }
}
