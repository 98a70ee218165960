import { Inject, Injectable } from '@nestjs/common';
import { HISTORY_QUERIES } from '@giggles/contracts';
import { QueryError, type QueryHandler } from '@giggles/messaging';
import { HistoryRepository } from './history.repository';

type HistoryQuery = (typeof HISTORY_QUERIES)[keyof typeof HISTORY_QUERIES];
export type HistoryQueryHandlers = { [S in HistoryQuery]: QueryHandler<S> };

/**
 * Persistence's answers to HISTORY_QUERIES (backfill rows and progress, Limitless outages). The
 * query server registers these beside its own; `not_found` for a user without a backfill or row.
 */
@Injectable()
export class HistoryQueryService {
  constructor(@Inject(HistoryRepository) private readonly history: HistoryRepository) {}

  handlers(): HistoryQueryHandlers {
    const h = this.history;
    return {
      [HISTORY_QUERIES.backfillStart]: async (request) => ({ backfill: await h.startBackfill(request.userId, request.from, request.to) }),
      [HISTORY_QUERIES.backfillPlan]: (request) => h.backfillPlan(request.limitPerUser),
      [HISTORY_QUERIES.backfillSetState]: async (request) => {
        const backfill = await h.setBackfillState(request.userId, request.state);
        if (!backfill) throw QueryError.notFound(`user ${request.userId} has no backfill`);
        return { backfill };
      },
      [HISTORY_QUERIES.backfillProgress]: async (request) => ({ backfills: await h.backfillProgress(request.userId) }),
      [HISTORY_QUERIES.apiOutages]: async () => ({ outages: await h.outages() }),
      [HISTORY_QUERIES.apiOutageSet]: async (request) => {
        const outage = await h.setOutage(request);
        if (!outage) throw QueryError.notFound(`no user ${request.userId}`);
        return { outage };
      },
      [HISTORY_QUERIES.backfillGiveUp]: async (request) => ({ updated: await h.giveUpBackfillDay(request.userId, request.localDate, request.reason) }),
      [HISTORY_QUERIES.discardJob]: async (request) => ({ discarded: await h.discardJob(request.userId, request.jobId) }),
    };
  }
}
