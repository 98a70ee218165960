/**
 * Users' Limitless API keys, stored encrypted (KeyCipher, compatible with the original app).
 * Reads hand out the ciphertext only; decrypting is up to the service that calls Limitless.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type UserKeyReply } from '@giggles/contracts';
import { type KeyCipher } from '@giggles/crypto';
import { unwrap } from '../database/database-error';
import { type LimitlessKeyRow } from '../database/database.types';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';

export const KEY_CIPHER = Symbol('KEY_CIPHER');

@Injectable()
export class KeysRepository {
  constructor(
    @Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient,
    @Inject(KEY_CIPHER) private readonly cipher: KeyCipher,
  ) {}

  /** The user's active key, or null when the user has none. */
  async getEncryptedKey(userId: string): Promise<UserKeyReply | null> {
    const rows = unwrap(
      'get encrypted key',
      await this.db
        .from('limitless_keys')
        .select('encrypted_api_key, status')
        .eq('user_id', userId)
        .eq('is_active', true)
        .limit(1),
    ) as Array<Pick<LimitlessKeyRow, 'encrypted_api_key' | 'status'>>;
    const row = rows[0];
    if (!row) return null;
    return { encryptedKey: row.encrypted_api_key, status: row.status === 'valid' ? 'active' : 'invalid' };
  }

  /**
   * Limitless rejected the key: stop using it until the user sets a new one. Returns false when
   * it was already invalid or there is no active key. invalid_since keeps the first rejection;
   * `reason` (plain words, shown to the user) is stored with it.
   */
  async markKeyInvalid(userId: string, at: Date = new Date(), reason?: string): Promise<boolean> {
    const rows = unwrap(
      'mark key invalid',
      await this.db
        .from('limitless_keys')
        .update({ status: 'invalid', invalid_since: at.toISOString(), ...(reason !== undefined ? { invalid_reason: reason } : {}) })
        .eq('user_id', userId)
        .eq('is_active', true)
        .eq('status', 'valid')
        .select('id'),
    );
    return rows.length > 0;
  }

  /** Encrypts and stores a new key as the user's only active one; returns its row id. */
  async setKey(userId: string, plaintextKey: string): Promise<string> {
    const encrypted = this.cipher.encrypt(plaintextKey, userId);
    return unwrap(
      'set key',
      await this.db.rpc('giggles_set_user_key', { p_user_id: userId, p_encrypted_api_key: encrypted }),
    );
  }
}
