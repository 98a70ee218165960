/** The identity provider (Supabase Auth); `SupabaseAuthAdapter` implements it over HTTP. */
export const AUTH_PROVIDER = Symbol('AUTH_PROVIDER');

export interface AuthSession {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  user: { id: string; email: string };
}

/** Why the provider refused, in terms the gateway maps to HTTP statuses and plain messages. */
export type AuthFailure =
  | 'invalid_credentials'
  | 'user_exists'
  | 'weak_password'
  | 'invalid_input'
  | 'refresh_token_invalid'
  | 'session_invalid'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable';

export class AuthProviderError extends Error {
  override readonly name = 'AuthProviderError';
  constructor(
    readonly failure: AuthFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface AuthProvider {
  signUp(email: string, password: string, metadata?: Record<string, string>): Promise<AuthSession>;
  signIn(email: string, password: string): Promise<AuthSession>;
  /** A new session for a refresh token (refresh tokens are single use: store the new one). */
  refresh(refreshToken: string): Promise<AuthSession>;
  /** Ends the session the access token belongs to; its refresh token stops working. */
  signOut(accessToken: string): Promise<void>;
  /** Sends the reset e-mail; resolves the same whether the account exists or not. */
  requestPasswordReset(email: string, redirectTo?: string): Promise<void>;
  /** Removes the account (admin API with the service role key). */
  deleteUser(userId: string): Promise<void>;
}
