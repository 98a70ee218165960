/** The users table: profiles (id = Supabase auth user id) and who the nightly run processes. */
import { Inject, Injectable } from '@nestjs/common';
import { ACTIVE_KEY_USERS_PAGE, type ActiveKeyUser, type UserByEmailReply, type UserKeyState } from '@giggles/contracts';
import { check, unwrap } from '../database/database-error';
import { type UserRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

export interface UserProfile {
  id: string;
  email: string;
  timezone: string;
}

@Injectable()
export class UsersRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** Creates the profile on first sign-in, or updates email/timezone. */
  async upsertUser(user: UserProfile): Promise<void> {
    check('upsert user', await this.db.from('users').upsert(user, { onConflict: 'id' }));
  }

  async getUser(userId: string): Promise<UserProfile | null> {
    const rows = unwrap(
      'get user',
      await this.db.from('users').select('id, email, timezone').eq('id', userId).limit(1),
    ) as Pick<UserRow, 'id' | 'email' | 'timezone'>[];
    return rows[0] ?? null;
  }

  async setTimezone(userId: string, timezone: string): Promise<void> {
    check('set timezone', await this.db.from('users').update({ timezone }).eq('id', userId));
  }

  /**
   * Users with an active key Limitless still accepts (invalid keys wait for the user), in id
   * order: one page after `afterUserId`, or only `userId`. Without options, every such user
   * (page after page — hosted PostgREST caps the rows of one response).
   */
  async usersWithActiveKeys(options: { userId?: string; afterUserId?: string; limit?: number } = {}): Promise<ActiveKeyUser[]> {
    if (options.userId !== undefined || options.limit !== undefined) return this.activeKeyUsersPage(options);
    const all: ActiveKeyUser[] = [];
    for (let page = await this.activeKeyUsersPage({ limit: ACTIVE_KEY_USERS_PAGE.max }); ; ) {
      all.push(...page);
      if (page.length < ACTIVE_KEY_USERS_PAGE.max) return all;
      page = await this.activeKeyUsersPage({ afterUserId: page[page.length - 1].userId, limit: ACTIVE_KEY_USERS_PAGE.max });
    }
  }

  private async activeKeyUsersPage(options: { userId?: string; afterUserId?: string; limit?: number }): Promise<ActiveKeyUser[]> {
    let query = this.db
      .from('users')
      .select('id, email, timezone, limitless_keys!inner(id)')
      .eq('limitless_keys.is_active', true)
      .eq('limitless_keys.status', 'valid');
    if (options.userId !== undefined) query = query.eq('id', options.userId);
    if (options.afterUserId !== undefined) query = query.gt('id', options.afterUserId);
    const rows = unwrap('list users with active keys', await query.order('id').limit(options.limit ?? ACTIVE_KEY_USERS_PAGE.default)) as Array<
      Pick<UserRow, 'id' | 'email' | 'timezone'>
    >;
    return rows.map((row) => ({ userId: row.id, email: row.email, timezone: row.timezone }));
  }

  /** Case-insensitive; null when nobody has that e-mail. keyStatus: the active key's state or 'none'. */
  async userByEmail(email: string): Promise<UserByEmailReply | null> {
    const rows = unwrap('find user by e-mail', await this.db.rpc('giggles_user_by_email', { p_email: email }));
    const row = rows[0];
    if (!row) return null;
    return { userId: row.user_id, email: row.email, timezone: row.timezone, keyStatus: row.key_status as UserKeyState };
  }
}
