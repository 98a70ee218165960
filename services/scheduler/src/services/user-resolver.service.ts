import { Inject, Injectable } from '@nestjs/common';
import { QUERY_ERROR_CODES, type UserRef } from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { isValidTimezone } from '../domain/local-day';
import { PERSISTENCE } from '../tokens';
import type { PersistenceQueries } from './ports';

export interface ResolvedUser {
  userId: string;
  email: string;
  timezone: string;
}

/**
 * A command's user, named by id (the gateway) or e-mail (the operator CLI). Only users with an
 * active Limitless key can be processed; anything else is `not_found` with the reason.
 */
@Injectable()
export class UserResolver {
  constructor(@Inject(PERSISTENCE) private readonly persistence: PersistenceQueries) {}

  async resolve(ref: UserRef): Promise<ResolvedUser> {
    const user = ref.email !== undefined ? await this.byEmail(ref.email) : await this.byId(ref.userId ?? '');
    if (!isValidTimezone(user.timezone)) {
      throw new QueryError(QUERY_ERROR_CODES.conflict, `user ${user.email} has time zone ${JSON.stringify(user.timezone)}, which is not an IANA zone; fix it first`);
    }
    return user;
  }

  private async byEmail(email: string): Promise<ResolvedUser> {
    const user = await this.persistence.userByEmail(email);
    if (user.keyStatus !== 'active') {
      const why = user.keyStatus === 'invalid' ? 'their Limitless key was rejected (invalid)' : 'they have no Limitless key';
      throw QueryError.notFound(`user ${email} cannot be processed: ${why}`);
    }
    return { userId: user.userId, email: user.email, timezone: user.timezone };
  }

  private async byId(userId: string): Promise<ResolvedUser> {
    const user = await this.persistence.activeKeyUser(userId);
    if (!user) throw QueryError.notFound(`user ${userId} does not exist or has no active Limitless key`);
    return user;
  }
}
