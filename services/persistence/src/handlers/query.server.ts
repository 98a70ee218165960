import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { QUERIES, QUERY_ERROR_CODES, type QuerySubject } from '@giggles/contracts';
import { QueryError, serveQueries, type QueryHandler, type QueryServer } from '@giggles/messaging';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { PersistenceLogger } from '../logging/logger';
import { ReconcileService } from '../maintenance/reconcile.service';
import { AccountService } from '../services/account.service';
import { ClearDaysService } from '../services/clear-days.service';
import { ClipReaderService } from '../services/clip-reader.service';
import { LaughsService } from '../services/laughs.service';
import { PersistenceMetrics } from '../services/persistence-metrics';
import { QueriesService } from '../services/queries.service';
import { UserDaysService } from '../services/user-days.service';
import { LOGGER } from '../tokens';
import { HistoryQueryService } from '../history/history-query.handlers';
import { AudioArchiveService } from '../archive/audio-archive.service';
import { ImportQueryService } from '../imports/import-query.handlers';

/** The import queries are answered by ImportQueryService (src/imports), registered beside these. */
type PersistenceQuery = Exclude<(typeof QUERIES)[keyof typeof QUERIES], typeof QUERIES.importBegin | typeof QUERIES.importsList>;
/** One handler for every other QUERIES subject (the COMMANDS are the scheduler's). */
export type PersistenceQueryHandlers = { [S in PersistenceQuery]: QueryHandler<S> };
type GatewayQuery =
  | typeof QUERIES.ensureUser
  | typeof QUERIES.userProfile
  | typeof QUERIES.updateSettings
  | typeof QUERIES.saveKey
  | typeof QUERIES.deleteKey
  | typeof QUERIES.deleteUserData
  | typeof QUERIES.daysPage
  | typeof QUERIES.day
  | typeof QUERIES.deleteDay
  | typeof QUERIES.dayLaughs
  | typeof QUERIES.updateLaugh
  | typeof QUERIES.deleteLaugh
  | typeof QUERIES.exportLaughs
  | typeof QUERIES.readClip
  | typeof QUERIES.trends
  | typeof QUERIES.jobProgress;
type ArchiveQuery =
  | typeof QUERIES.archiveSummary
  | typeof QUERIES.setArchive
  | typeof QUERIES.archiveTotals
  | typeof QUERIES.archivedWindows
  | typeof QUERIES.restoreArchivedWindow
  | typeof QUERIES.readArchivedWindow;

/** Query error codes counted as their own metric outcome; anything else is 'error'. */
const COUNTED_CODES: readonly string[] = [QUERY_ERROR_CODES.notFound, QUERY_ERROR_CODES.conflict, QUERY_ERROR_CODES.rangeNotSatisfiable];

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
    @Inject(AccountService) private readonly account: AccountService,
    @Inject(UserDaysService) private readonly userDays: UserDaysService,
    @Inject(LaughsService) private readonly laughs: LaughsService,
    @Inject(ClipReaderService) private readonly clipReader: ClipReaderService,
    @Inject(PersistenceMetrics) private readonly metrics: PersistenceMetrics,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    @Inject(HistoryQueryService) private readonly history: HistoryQueryService,
    @Inject(AudioArchiveService) private readonly archive: AudioArchiveService,
    @Inject(ImportQueryService) private readonly imports: ImportQueryService,
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
      ...this.gatewayHandlers(),
      ...this.archiveHandlers(),
    };
  }

  /** The audio archive's queries (archive-queries.ts). */
  private archiveHandlers(): Pick<PersistenceQueryHandlers, ArchiveQuery> {
    const { archive } = this;
    return {
      [QUERIES.archiveSummary]: this.measured(QUERIES.archiveSummary, (request) => archive.summary(request)),
      [QUERIES.setArchive]: this.measured(QUERIES.setArchive, (request) => archive.setEnabled(request)),
      [QUERIES.archiveTotals]: this.measured(QUERIES.archiveTotals, () => archive.totals()),
      [QUERIES.archivedWindows]: this.measured(QUERIES.archivedWindows, (request) => archive.windows(request)),
      [QUERIES.restoreArchivedWindow]: this.measured(QUERIES.restoreArchivedWindow, (request) => archive.restore(request)),
      [QUERIES.readArchivedWindow]: this.measured(QUERIES.readArchivedWindow, (request) => archive.read(request)),
    };
  }

  /** The gateway's queries: one user's own data (user-queries.ts). */
  private gatewayHandlers(): Pick<PersistenceQueryHandlers, GatewayQuery> {
    const { account, userDays, laughs } = this;
    return {
      [QUERIES.ensureUser]: this.measured(QUERIES.ensureUser, (request) => account.ensureUser(request)),
      [QUERIES.userProfile]: this.measured(QUERIES.userProfile, (request) => account.userProfile(request)),
      [QUERIES.updateSettings]: this.measured(QUERIES.updateSettings, (request) => account.updateSettings(request)),
      [QUERIES.saveKey]: this.measured(QUERIES.saveKey, (request) => account.saveKey(request)),
      [QUERIES.deleteKey]: this.measured(QUERIES.deleteKey, (request) => account.deleteKey(request)),
      [QUERIES.deleteUserData]: this.measured(QUERIES.deleteUserData, (request) => account.deleteUserData(request)),
      [QUERIES.daysPage]: this.measured(QUERIES.daysPage, (request) => userDays.daysPage(request)),
      [QUERIES.day]: this.measured(QUERIES.day, (request) => userDays.day(request)),
      [QUERIES.deleteDay]: this.measured(QUERIES.deleteDay, (request) => laughs.deleteDay(request)),
      [QUERIES.dayLaughs]: this.measured(QUERIES.dayLaughs, (request) => laughs.dayLaughs(request)),
      [QUERIES.updateLaugh]: this.measured(QUERIES.updateLaugh, (request) => laughs.updateLaugh(request)),
      [QUERIES.deleteLaugh]: this.measured(QUERIES.deleteLaugh, (request) => laughs.deleteLaugh(request)),
      [QUERIES.exportLaughs]: this.measured(QUERIES.exportLaughs, (request) => laughs.exportLaughs(request)),
      [QUERIES.readClip]: this.measured(QUERIES.readClip, (request) => this.clipReader.readClip(request)),
      [QUERIES.trends]: this.measured(QUERIES.trends, (request) => userDays.trends(request)),
      [QUERIES.jobProgress]: this.measured(QUERIES.jobProgress, (request) => userDays.jobProgress(request)),
    };
  }

  onApplicationBootstrap(): void {
    // HISTORY_QUERIES (backfill, Limitless outages) are answered beside QUERIES, measured the same way.
    const history = Object.entries({ ...this.history.handlers(), ...this.imports.handlers() }).map(([subject, handler]) => [subject, this.measured(subject as QuerySubject, handler as QueryHandler<QuerySubject>)]);
    this.server = serveQueries(this.nats.nc, { ...this.handlers(), ...Object.fromEntries(history) }, { queue: QUERY_QUEUE, logger: this.logger });
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
