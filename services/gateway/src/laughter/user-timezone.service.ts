import { Inject, Injectable } from '@nestjs/common';
import { QUERIES } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';

/** The user's IANA zone (from persistence's profile), for replies that show local times or need "today". */
@Injectable()
export class UserTimezoneService {
  constructor(@Inject(NatsQueryClient) private readonly queries: NatsQueryClient) {}

  async of(userId: string): Promise<string> {
    const profile = await this.queries.ask(QUERIES.userProfile, { userId });
    return profile.timezone;
  }
}
