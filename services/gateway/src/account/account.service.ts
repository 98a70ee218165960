import { BadGatewayException, ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException, HttpException, HttpStatus, UnauthorizedException, BadRequestException } from '@nestjs/common';
import { QUERIES, type UserProfileReply } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { AUTH_PROVIDER, AuthProviderError, type AuthProvider, type AuthSession } from '../auth/auth-provider.port';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { GatewayLogger } from '../logging/logger';
import { LOGGER } from '../tokens';

export interface SignedIn {
  session: AuthSession;
  profile: UserProfileReply;
}

/**
 * Accounts and sessions: Supabase Auth for identity, persistence for the `users` row. A user of
 * the original app already has a row under their auth id, so `ensureUser` finds it (their old data
 * is there) and keeps their zone.
 */
@Injectable()
export class AccountService {
  constructor(
    @Inject(AUTH_PROVIDER) private readonly auth: AuthProvider,
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async register(email: string, password: string, timezone?: string): Promise<SignedIn> {
    const session = await this.authCall(() => this.auth.signUp(email, password, timezone ? { timezone } : {}));
    const profile = await this.ensureUser(session, timezone);
    this.logger.info({ userId: profile.userId, created: true }, 'account registered');
    return { session, profile };
  }

  async signIn(email: string, password: string): Promise<SignedIn> {
    const session = await this.authCall(() => this.auth.signIn(email, password));
    const profile = await this.ensureUser(session);
    return { session, profile };
  }

  refresh(refreshToken: string): Promise<AuthSession> {
    return this.authCall(() => this.auth.refresh(refreshToken));
  }

  /**
   * Revokes the session at Supabase Auth. An expired access token cannot sign out, so the refresh
   * token is first exchanged for a live one (which is then revoked with its session).
   */
  async signOut(accessToken: string | undefined, refreshToken: string | undefined): Promise<void> {
    if (accessToken) {
      try {
        await this.auth.signOut(accessToken);
        return;
      } catch (error) {
        if (!(error instanceof AuthProviderError) || error.failure !== 'session_invalid' || !refreshToken) throw this.toHttp(error);
      }
    }
    if (!refreshToken) return;
    let session: AuthSession;
    try {
      session = await this.auth.refresh(refreshToken);
    } catch (error) {
      // Already revoked or expired: nothing left to revoke.
      if (error instanceof AuthProviderError && error.failure === 'refresh_token_invalid') return;
      throw this.toHttp(error);
    }
    await this.authCall(() => this.auth.signOut(session.accessToken));
  }

  async requestPasswordReset(email: string): Promise<void> {
    try {
      await this.auth.requestPasswordReset(email);
    } catch (error) {
      // 202 whatever happened (no account probing); trouble goes to the log.
      this.logger.warn({ failure: error instanceof AuthProviderError ? error.failure : 'error' }, 'password reset request failed');
    }
  }

  /** The user's profile; a signed-in user without a row yet (first sign-in elsewhere) gets one. */
  async profile(user: AuthenticatedUser): Promise<UserProfileReply> {
    try {
      return await this.queries.ask(QUERIES.userProfile, { userId: user.userId });
    } catch (error) {
      if (!(error instanceof NotFoundException) || !user.email) throw error;
      return this.queries.ask(QUERIES.ensureUser, { userId: user.userId, email: user.email });
    }
  }

  updateTimezone(user: AuthenticatedUser, timezone: string): Promise<UserProfileReply> {
    return this.queries.ask(QUERIES.updateSettings, { userId: user.userId, timezone });
  }

  private ensureUser(session: AuthSession, timezone?: string): Promise<UserProfileReply> {
    return this.queries.ask(QUERIES.ensureUser, { userId: session.user.id, email: session.user.email, ...(timezone ? { timezone } : {}) });
  }

  private async authCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.toHttp(error);
    }
  }

  private toHttp(error: unknown): HttpException {
    if (error instanceof HttpException) return error;
    if (!(error instanceof AuthProviderError)) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'auth call failed');
      return new ServiceUnavailableException('The sign-in service could not complete the request — try again shortly');
    }
    switch (error.failure) {
      case 'invalid_credentials':
      case 'refresh_token_invalid':
      case 'session_invalid':
        return new UnauthorizedException(error.message);
      case 'user_exists':
        return new ConflictException(error.message);
      case 'weak_password':
      case 'invalid_input':
        return new BadRequestException(error.message);
      case 'not_found':
        return new NotFoundException(error.message);
      case 'rate_limited':
        return new HttpException({ statusCode: HttpStatus.TOO_MANY_REQUESTS, message: error.message }, HttpStatus.TOO_MANY_REQUESTS);
      default:
        return new BadGatewayException(error.message);
    }
  }
}
