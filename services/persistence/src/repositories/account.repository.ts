/**
 * One user's account as the gateway sees it (migrations/0010): the users row for a Supabase Auth
 * user, the profile with the key's status (never the ciphertext), time zone, saving and removing
 * the key, and deleting everything of the user.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type EnsureUserReply, type LimitlessKeyStatus, type SaveKeyReply, type UserProfileReply } from '@giggles/contracts';
import { unwrap, unwrapNullable } from '../database/database-error';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

/** What giggles_delete_user_data removed; clip files are the caller's to delete after the commit. */
export interface DeletedUserData {
  detections: number;
  reviews: number;
  segments: number;
  logs: number;
  jobs: number;
  keys: number;
  userRemoved: boolean;
  clipPaths: string[];
}

@Injectable()
export class AccountRepository {
  constructor(@Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient) {}

  /** Creates the row when missing (an existing row is kept as it is); null when the e-mail is another user's. */
  async ensureUser(userId: string, email: string, timezone?: string): Promise<EnsureUserReply | null> {
    const reply = unwrapNullable(
      'ensure user',
      await this.db.rpc('giggles_ensure_user', { p_user_id: userId, p_email: email, ...(timezone ? { p_timezone: timezone } : {}) }),
    );
    return reply as unknown as EnsureUserReply | null;
  }

  /** Null when the user has no row. */
  async profile(userId: string): Promise<UserProfileReply | null> {
    const reply = unwrapNullable('read profile', await this.db.rpc('giggles_user_profile', { p_user_id: userId }));
    return reply as unknown as UserProfileReply | null;
  }

  /** False when the user has no row. */
  async setTimezone(userId: string, timezone: string): Promise<boolean> {
    const rows = unwrap('set timezone', await this.db.from('users').update({ timezone }).eq('id', userId).select('id'));
    return rows.length > 0;
  }

  async keyStatus(userId: string): Promise<LimitlessKeyStatus> {
    return unwrap('read key status', await this.db.rpc('giggles_key_status', { p_user_id: userId })) as unknown as LimitlessKeyStatus;
  }

  /** Stores the ciphertext as the only active key; null when the user has no row. */
  async saveKey(userId: string, encryptedKey: string): Promise<SaveKeyReply | null> {
    const reply = unwrapNullable('save key', await this.db.rpc('giggles_save_key', { p_user_id: userId, p_encrypted_api_key: encryptedKey }));
    return reply as unknown as SaveKeyReply | null;
  }

  /** Removes every key of the user; true when there was an active one. */
  async deleteKey(userId: string): Promise<boolean> {
    return unwrap('delete key', await this.db.rpc('giggles_delete_key', { p_user_id: userId }));
  }

  async deleteUserData(userId: string): Promise<DeletedUserData> {
    return unwrap('delete user data', await this.db.rpc('giggles_delete_user_data', { p_user_id: userId })) as unknown as DeletedUserData;
  }
}
