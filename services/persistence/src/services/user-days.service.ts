/** The gateway's day queries: the day list, one day with its windows, trends, a job's progress. */
import { Inject, Injectable } from '@nestjs/common';
import {
  DAYS_PAGE,
  type DayReply,
  type DayRequest,
  type DaysPageReply,
  type DaysPageRequest,
  type JobProgressReply,
  type JobProgressRequest,
  type TrendsReply,
  type TrendsRequest,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { UserDaysRepository } from '../repositories/user-days.repository';
import { UsersRepository } from '../repositories/users.repository';
import { toDaySummary } from './day-state';

@Injectable()
export class UserDaysService {
  constructor(
    @Inject(UserDaysRepository) private readonly days: UserDaysRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  /** Newest first; one more row than the page is read to know whether another page follows. */
  async daysPage(request: DaysPageRequest): Promise<DaysPageReply> {
    const userId = request.userId.toLowerCase();
    const timezone = await this.timezone(userId);
    const limit = request.limit ?? DAYS_PAGE.default;
    const rows = await this.days.daySummaries(userId, { before: request.before, limit: limit + 1 });
    const days = rows.slice(0, limit).map(toDaySummary);
    return rows.length > limit ? { timezone, days, nextBefore: days[days.length - 1].localDate } : { timezone, days };
  }

  /** `not_found` when the user has nothing on that day. */
  async day(request: DayRequest): Promise<DayReply> {
    const userId = request.userId.toLowerCase();
    const timezone = await this.timezone(userId);
    const [row] = await this.days.daySummaries(userId, { localDate: request.localDate, limit: 1 });
    if (!row) throw QueryError.notFound(`nothing recorded on ${request.localDate}`);
    return { timezone, summary: toDaySummary(row), windows: await this.days.dayWindows(userId, request.localDate) };
  }

  async trends(request: TrendsRequest): Promise<TrendsReply> {
    const userId = request.userId.toLowerCase();
    await this.timezone(userId);
    return this.days.trends(userId, request.from, request.to);
  }

  /** `not_found` for an unknown job and for another user's job alike. */
  async jobProgress(request: JobProgressRequest): Promise<JobProgressReply> {
    const progress = await this.days.jobProgress(request.userId.toLowerCase(), request.jobId);
    if (!progress) throw QueryError.notFound(`no job ${request.jobId}`);
    return progress;
  }

  private async timezone(userId: string): Promise<string> {
    const user = await this.users.getUser(userId);
    if (!user) throw QueryError.notFound('no such user');
    return user.timezone;
  }
}
