import { BadGatewayException, BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { QUERIES, type LimitlessKeyStatus } from '@giggles/contracts';
import { KeyCipher } from '@giggles/crypto';
import { AccountService } from '../account/account.service';
import { NatsQueryClient } from '../adapters/nats-query.client';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { GatewayLogger } from '../logging/logger';
import { LOGGER } from '../tokens';
import { LIMITLESS_KEY_CHECKER, type LimitlessKeyChecker } from './limitless-key-checker.port';

export const KEY_REJECTED_MESSAGE = 'Limitless did not accept this key';
export const KEY_CHECK_UNREACHABLE_MESSAGE = 'Could not reach Limitless to check the key — try again';

export interface KeySaved {
  replaced: boolean;
  key: LimitlessKeyStatus;
}

/**
 * The user's Limitless key: checked against Limitless first, then encrypted exactly as ingestion
 * decrypts it (AES-256-GCM, AAD = user id, @giggles/crypto) and stored by persistence, replacing
 * the old one. Nothing is stored when the check fails. The key is never returned or logged.
 */
@Injectable()
export class LimitlessKeyService {
  constructor(
    @Inject(LIMITLESS_KEY_CHECKER) private readonly checker: LimitlessKeyChecker,
    @Inject(KeyCipher) private readonly cipher: KeyCipher,
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async status(user: AuthenticatedUser): Promise<LimitlessKeyStatus> {
    return (await this.accounts.profile(user)).key;
  }

  async save(user: AuthenticatedUser, apiKey: string): Promise<KeySaved> {
    const check = await this.checker.check(apiKey);
    if (check.outcome === 'rejected') throw new BadRequestException(KEY_REJECTED_MESSAGE);
    if (check.outcome === 'unreachable') {
      this.logger.warn({ userId: user.userId, reason: check.reason }, 'Limitless unreachable while checking a key');
      throw new BadGatewayException(KEY_CHECK_UNREACHABLE_MESSAGE);
    }
    const encryptedKey = this.cipher.encrypt(apiKey, user.userId);
    let reply;
    try {
      reply = await this.queries.ask(QUERIES.saveKey, { userId: user.userId, encryptedKey });
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      // No users row yet (signed up elsewhere): create it, then store.
      await this.accounts.profile(user);
      reply = await this.queries.ask(QUERIES.saveKey, { userId: user.userId, encryptedKey });
    }
    this.logger.info({ userId: user.userId, replaced: reply.replaced }, 'Limitless key saved');
    return reply;
  }

  async delete(user: AuthenticatedUser): Promise<boolean> {
    const { deleted } = await this.queries.ask(QUERIES.deleteKey, { userId: user.userId });
    if (deleted) this.logger.info({ userId: user.userId }, 'Limitless key deleted');
    return deleted;
  }
}
