import { Inject, Injectable } from '@nestjs/common';
import { KeyCipher, KeyDecryptionError } from '@giggles/crypto';
import { PermanentError } from '@giggles/messaging';
import type { IngestionConfig } from '../config/ingestion-config';
import { INGESTION_SETTINGS, PERSISTENCE } from '../tokens';
import type { PersistenceQueries } from './ports';

export type UserApiKey = { status: 'active'; apiKey: string } | { status: 'invalid' };

/**
 * Fetches a user's encrypted Limitless key from persistence and decrypts it (AES-256-GCM, AAD =
 * user id). The plaintext lives only in the running job; it is never logged or put in a message.
 */
@Injectable()
export class ApiKeyService {
  private readonly cipher: KeyCipher;

  constructor(
    @Inject(PERSISTENCE) private readonly persistence: PersistenceQueries,
    @Inject(INGESTION_SETTINGS) config: IngestionConfig,
  ) {
    this.cipher = KeyCipher.fromHex(config.encryptionKey);
  }

  /** Throws `PermanentError` when the user has no key or it cannot be decrypted (retrying cannot help). */
  async keyFor(userId: string): Promise<UserApiKey> {
    const stored = await this.persistence.userKey(userId);
    if (!stored) throw new PermanentError('no Limitless API key is stored for this user');
    if (stored.status === 'invalid') return { status: 'invalid' };
    try {
      return { status: 'active', apiKey: this.cipher.decrypt(stored.encryptedKey, userId) };
    } catch (error) {
      if (error instanceof KeyDecryptionError) {
        throw new PermanentError(`${error.message} (was GIGGLES_ENCRYPTION_KEY changed?)`);
      }
      throw error;
    }
  }
}
