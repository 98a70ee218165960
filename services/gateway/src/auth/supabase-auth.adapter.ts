import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config/gateway-config';
import type { GatewayLogger } from '../logging/logger';
import { GATEWAY_SETTINGS, LOGGER } from '../tokens';
import { AuthProviderError, type AuthFailure, type AuthProvider, type AuthSession } from './auth-provider.port';

interface GoTrueSession {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  user?: { id?: unknown; email?: unknown };
}

interface GoTrueError {
  code?: unknown;
  error_code?: unknown;
  error?: unknown;
  message?: unknown;
  msg?: unknown;
}

/**
 * Supabase Auth (GoTrue) over HTTP at `${SUPABASE_URL}/auth/v1`: `/signup`, `/token`, `/logout`,
 * `/recover`, `/admin/users/{id}`. Every call sends the anon key as `apikey` (the admin call the
 * service role key) and times out after GATEWAY_AUTH_TIMEOUT. Tokens and passwords never reach
 * a log line or an error message.
 */
@Injectable()
export class SupabaseAuthAdapter implements AuthProvider {
  private readonly base: string;

  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: GatewayLogger,
  ) {
    this.base = `${config.supabaseUrl.replace(/\/+$/, '')}/auth/v1`;
  }

  async signUp(email: string, password: string, metadata: Record<string, string> = {}): Promise<AuthSession> {
    const reply = await this.call('POST', '/signup', { body: { email, password, data: metadata } });
    return this.session(reply, 'sign-up');
  }

  async signIn(email: string, password: string): Promise<AuthSession> {
    const reply = await this.call('POST', '/token?grant_type=password', { body: { email, password } });
    return this.session(reply, 'sign-in');
  }

  async refresh(refreshToken: string): Promise<AuthSession> {
    try {
      const reply = await this.call('POST', '/token?grant_type=refresh_token', { body: { refresh_token: refreshToken } });
      return this.session(reply, 'refresh');
    } catch (error) {
      // Older GoTrue answers a dead refresh token with invalid_grant, like a wrong password.
      if (error instanceof AuthProviderError && (error.failure === 'invalid_credentials' || error.failure === 'invalid_input')) {
        throw new AuthProviderError('refresh_token_invalid', 'Session expired — sign in again');
      }
      throw error;
    }
  }

  async signOut(accessToken: string): Promise<void> {
    // scope=local: this browser's session only (its refresh token is revoked); the user's other devices stay signed in.
    await this.call('POST', '/logout?scope=local', { bearer: accessToken });
  }

  async requestPasswordReset(email: string, redirectTo?: string): Promise<void> {
    const path = redirectTo ? `/recover?redirect_to=${encodeURIComponent(redirectTo)}` : '/recover';
    await this.call('POST', path, { body: { email } });
  }

  async deleteUser(userId: string): Promise<void> {
    await this.call('DELETE', `/admin/users/${encodeURIComponent(userId)}`, { bearer: this.config.supabaseServiceRoleKey, apikey: this.config.supabaseServiceRoleKey });
  }

  private session(reply: unknown, what: string): AuthSession {
    const s = (reply ?? {}) as GoTrueSession;
    if (typeof s.access_token !== 'string' || typeof s.refresh_token !== 'string' || typeof s.user?.id !== 'string') {
      // Sign-up with e-mail confirmation on returns a user without a session.
      if (what === 'sign-up' && typeof (reply as { id?: unknown })?.id === 'string') {
        throw new AuthProviderError('invalid_input', 'Check your e-mail to confirm the account, then sign in');
      }
      this.logger.error({ what }, 'Supabase Auth answered without a session');
      throw new AuthProviderError('unavailable', 'The sign-in service gave an unexpected answer');
    }
    return {
      accessToken: s.access_token,
      refreshToken: s.refresh_token,
      expiresIn: typeof s.expires_in === 'number' && s.expires_in > 0 ? s.expires_in : 3600,
      user: { id: s.user.id, email: typeof s.user.email === 'string' ? s.user.email : '' },
    };
  }

  private async call(method: string, path: string, options: { body?: unknown; bearer?: string; apikey?: string }): Promise<unknown> {
    const headers: Record<string, string> = { apikey: options.apikey ?? this.config.supabaseAnonKey, Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.config.authTimeoutMs),
      });
    } catch (error) {
      this.logger.warn({ path: path.split('?')[0], err: (error as Error).name }, 'Supabase Auth unreachable');
      throw new AuthProviderError('unavailable', 'The sign-in service is not reachable — try again shortly');
    }
    const text = await response.text();
    const json = text ? safeJson(text) : {};
    if (response.ok) return json;
    throw this.failure(response.status, (json ?? {}) as GoTrueError, path.split('?')[0]);
  }

  private failure(status: number, body: GoTrueError, path: string): AuthProviderError {
    const code = String(body.code ?? body.error_code ?? body.error ?? '');
    const message = String(body.message ?? body.msg ?? '');
    const failure = classify(status, code, path);
    if (failure === 'unavailable') this.logger.error({ status, code, path }, 'Supabase Auth failed');
    return new AuthProviderError(failure, plainMessage(failure, message));
  }
}

function classify(status: number, code: string, path: string): AuthFailure {
  if (status === 429 || code.includes('rate_limit')) return 'rate_limited';
  if (code === 'invalid_credentials' || code === 'invalid_grant') return 'invalid_credentials';
  if (code === 'user_already_exists' || code === 'email_exists') return 'user_exists';
  if (code === 'weak_password') return 'weak_password';
  if (code.startsWith('refresh_token') || code === 'session_not_found') return path === '/logout' ? 'session_invalid' : 'refresh_token_invalid';
  if (code === 'bad_jwt' || status === 401 || (status === 403 && path === '/logout')) return 'session_invalid';
  if (code === 'user_not_found' || status === 404) return 'not_found';
  if (status === 400 || status === 422) return 'invalid_input';
  return 'unavailable';
}

function plainMessage(failure: AuthFailure, providerMessage: string): string {
  switch (failure) {
    case 'invalid_credentials':
      return 'Wrong e-mail or password';
    case 'user_exists':
      return 'An account with this e-mail already exists — sign in instead';
    case 'weak_password':
      return providerMessage || 'The password is too weak';
    case 'refresh_token_invalid':
    case 'session_invalid':
      return 'Session expired — sign in again';
    case 'rate_limited':
      return 'Too many attempts — wait a little and try again';
    case 'not_found':
      return 'No such account';
    case 'invalid_input':
      return providerMessage || 'The sign-in service did not accept the request';
    default:
      return 'The sign-in service could not complete the request — try again shortly';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
