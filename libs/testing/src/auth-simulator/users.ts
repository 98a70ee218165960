import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';

/** A user as GoTrue returns it (the fields supabase-js reads). */
export interface AuthUser {
  id: string;
  aud: 'authenticated';
  role: 'authenticated';
  email: string;
  email_confirmed_at: string;
  phone: string;
  confirmed_at: string;
  last_sign_in_at: string | null;
  app_metadata: { provider: string; providers: string[] };
  user_metadata: Record<string, unknown>;
  identities: unknown[];
  created_at: string;
  updated_at: string;
  is_anonymous: boolean;
}

interface StoredUser {
  user: AuthUser;
  salt: Buffer;
  hash: Buffer;
}

function hashPassword(password: string, salt: Buffer): Buffer {
  return scryptSync(password, salt, 32, { N: 1024 });
}

/** In-memory user store with scrypt-hashed passwords and opaque refresh tokens. */
export class UserStore {
  private readonly byEmail = new Map<string, StoredUser>();
  private readonly byId = new Map<string, StoredUser>();
  private readonly refreshTokens = new Map<string, { userId: string; sessionId: string }>();

  create(email: string, password: string, metadata: Record<string, unknown> = {}, id: string = randomUUID()): AuthUser {
    const key = email.trim().toLowerCase();
    if (this.byEmail.has(key)) throw Object.assign(new Error('User already registered'), { code: 'user_already_exists' });
    const now = new Date().toISOString();
    const salt = randomBytes(16);
    const user: AuthUser = {
      id,
      aud: 'authenticated',
      role: 'authenticated',
      email: key,
      email_confirmed_at: now,
      phone: '',
      confirmed_at: now,
      last_sign_in_at: null,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: metadata,
      identities: [],
      created_at: now,
      updated_at: now,
      is_anonymous: false,
    };
    const stored = { user, salt, hash: hashPassword(password, salt) };
    this.byEmail.set(key, stored);
    this.byId.set(id, stored);
    return user;
  }

  /** The user when email and password match, else undefined. */
  verify(email: string, password: string): AuthUser | undefined {
    const stored = this.byEmail.get(email.trim().toLowerCase());
    if (!stored) return undefined;
    const ok = timingSafeEqual(stored.hash, hashPassword(password, stored.salt));
    if (!ok) return undefined;
    stored.user.last_sign_in_at = new Date().toISOString();
    return stored.user;
  }

  get(id: string): AuthUser | undefined {
    return this.byId.get(id)?.user;
  }

  list(): AuthUser[] {
    return [...this.byId.values()].map((s) => s.user);
  }

  /** A refresh token of a session (a sign-in starts a session; refreshing keeps it). */
  issueRefreshToken(userId: string, sessionId: string): string {
    const token = randomBytes(16).toString('base64url');
    this.refreshTokens.set(token, { userId, sessionId });
    return token;
  }

  /** Exchanges a refresh token (single use) for its user and session. */
  useRefreshToken(token: string): { user: AuthUser; sessionId: string } | undefined {
    const entry = this.refreshTokens.get(token);
    if (!entry) return undefined;
    this.refreshTokens.delete(token);
    const user = this.get(entry.userId);
    return user ? { user, sessionId: entry.sessionId } : undefined;
  }

  /** Logout scopes (GoTrue): `global` every session of the user, `local` this one, `others` all but this one. */
  revokeRefreshTokens(userId: string, scope: 'global' | 'local' | 'others' = 'global', sessionId?: string): number {
    let revoked = 0;
    for (const [t, entry] of this.refreshTokens) {
      if (entry.userId !== userId) continue;
      const same = entry.sessionId === sessionId;
      if (scope === 'global' || (scope === 'local' && same) || (scope === 'others' && !same)) {
        this.refreshTokens.delete(t);
        revoked++;
      }
    }
    return revoked;
  }

  /** Removes the user and every refresh token of theirs. */
  delete(id: string): boolean {
    const stored = this.byId.get(id);
    if (!stored) return false;
    this.byId.delete(id);
    this.byEmail.delete(stored.user.email);
    this.revokeRefreshTokens(id, 'global');
    return true;
  }

  /** Refresh tokens currently usable (for tests). */
  liveRefreshTokens(userId: string): number {
    return [...this.refreshTokens.values()].filter((e) => e.userId === userId).length;
  }
}
