import { Inject, Injectable } from '@nestjs/common';
import { QUERIES, type TrendsReply } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import type { TrendSpan } from './dto/laughter-requests.dto';
import { addDays, localDateOf } from './local-day';
import { UserTimezoneService } from './user-timezone.service';

export type TrendsView = TrendsReply & { from: string; to: string };

/** Laughs per day with a 7-day moving average, by hour, best days and streaks — computed by persistence in SQL. */
@Injectable()
export class TrendsService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(UserTimezoneService) private readonly zones: UserTimezoneService,
  ) {}

  /** The last `days` local days ending today in the user's zone. */
  async lastDays(userId: string, days: TrendSpan, now: Date = new Date()): Promise<TrendsView> {
    const timezone = await this.zones.of(userId);
    const to = localDateOf(now.getTime(), timezone);
    const from = addDays(to, -(days - 1));
    const reply = await this.queries.ask(QUERIES.trends, { userId, from, to });
    return { ...reply, from, to };
  }
}
