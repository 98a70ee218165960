import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { QUERIES, type DeleteLaughReply, type UpdateLaughRequest } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import type { DayLaughsQueryDto, UpdateLaughDto } from './dto/laughter-requests.dto';
import { toLaughView, type LaughView } from './laugh-view';
import { UserTimezoneService } from './user-timezone.service';

export interface DayLaughsView {
  localDate: string;
  timezone: string;
  total: number;
  laughs: LaughView[];
}

/** A day's laughs, and the user's changes to one laugh: notes, the "not a laugh" mark, deletion. */
@Injectable()
export class LaughsService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(UserTimezoneService) private readonly zones: UserTimezoneService,
  ) {}

  async ofDay(userId: string, localDate: string, query: DayLaughsQueryDto): Promise<DayLaughsView> {
    const reply = await this.queries.ask(QUERIES.dayLaughs, {
      userId,
      localDate,
      ...(query.minProbability !== undefined ? { minProbability: query.minProbability } : {}),
      ...(query.offset !== undefined ? { offset: query.offset } : {}),
      ...(query.limit !== undefined ? { limit: query.limit } : {}),
    });
    return { ...reply, laughs: reply.laughs.map((laugh) => toLaughView(laugh, reply.timezone)) };
  }

  /** Notes (`''` or null clears) and/or the review mark; the reply is the laugh as it now is. */
  async update(userId: string, laughId: string, change: UpdateLaughDto): Promise<LaughView> {
    if (change.notes === undefined && change.notLaugh === undefined) throw new BadRequestException('Give notes or notLaugh');
    const request: UpdateLaughRequest = { userId, laughId };
    if (change.notes !== undefined) request.notes = change.notes === null || change.notes === '' ? null : change.notes;
    if (change.notLaugh !== undefined) request.review = change.notLaugh ? 'not_laugh' : null;
    const { laugh } = await this.queries.ask(QUERIES.updateLaugh, request);
    return toLaughView(laugh, await this.zones.of(userId));
  }

  delete(userId: string, laughId: string): Promise<DeleteLaughReply> {
    return this.queries.ask(QUERIES.deleteLaugh, { userId, laughId });
  }
}
