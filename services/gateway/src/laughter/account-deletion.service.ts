import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { QUERIES, type DeleteUserDataReply } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { AUTH_PROVIDER, AuthProviderError, type AuthProvider } from '../auth/auth-provider.port';
import type { GatewayLogger } from '../logging/logger';
import { LOGGER } from '../tokens';

/**
 * "Delete all my data": persistence removes every row and clip file of this user (and only this
 * user: it is keyed by the session's user id), then the account goes from Supabase Auth. Data first,
 * so a failure at the identity provider leaves an empty account that can sign in and try again,
 * never data without an account. An account Supabase Auth no longer knows counts as removed.
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(AUTH_PROVIDER) private readonly auth: AuthProvider,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async deleteEverything(userId: string): Promise<DeleteUserDataReply> {
    const removed = await this.queries.ask(QUERIES.deleteUserData, { userId });
    try {
      await this.auth.deleteUser(userId);
    } catch (error) {
      if (!(error instanceof AuthProviderError)) throw error;
      if (error.failure !== 'not_found') {
        this.logger.warn({ userId, failure: error.failure }, 'data deleted but the account could not be removed');
        throw new ServiceUnavailableException('Your data is deleted, but the account could not be removed just now — try again');
      }
    }
    this.logger.info({ userId, ...removed }, 'user deleted their data and account');
    return removed;
  }
}
