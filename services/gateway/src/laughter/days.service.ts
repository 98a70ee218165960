import { Inject, Injectable } from '@nestjs/common';
import { QUERIES, type DayReply, type DaysPageReply, type DeleteDayReply } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { coverageHours, type CoverageHour } from './coverage-hours';

export type DayWithHours = DayReply & { hours: CoverageHour[] };

/** A user's days: the paged list, one day with its coverage, and deleting a day's laughs. */
@Injectable()
export class DaysService {
  constructor(@Inject(NatsQueryClient) private readonly queries: NatsQueryClient) {}

  page(userId: string, before: string | undefined, limit: number | undefined): Promise<DaysPageReply> {
    return this.queries.ask(QUERIES.daysPage, { userId, ...(before ? { before } : {}), ...(limit ? { limit } : {}) });
  }

  async one(userId: string, localDate: string): Promise<DayWithHours> {
    const day = await this.queries.ask(QUERIES.day, { userId, localDate });
    return { ...day, hours: coverageHours(day.windows, day.timezone) };
  }

  delete(userId: string, localDate: string): Promise<DeleteDayReply> {
    return this.queries.ask(QUERIES.deleteDay, { userId, localDate });
  }
}
