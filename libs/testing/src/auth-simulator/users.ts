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
  private readonly refreshTokens = new Map<string, string>(); // token → user id

  create(email: string, password: string, metadata: Record<string, unknown> = {}, id = randomUUID()): AuthUser {
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

  issueRefreshToken(userId: string): string {
    const token = randomBytes(16).toString('base64url');
    this.refreshTokens.set(token, userId);
    return token;
  }

  /** Exchanges a refresh token (single use) for its user. */
  useRefreshToken(token: string): AuthUser | undefined {
    const id = this.refreshTokens.get(token);
    if (!id) return undefined;
    this.refreshTokens.delete(token);
    return this.get(id);
  }

  revokeRefreshTokens(userId: string): void {
    for (const [t, id] of this.refreshTokens) if (id === userId) this.refreshTokens.delete(t);
  }
}
