/**
 * Encrypts users' Limitless API keys at rest, byte-compatible with the original Python Giggles
 * (`cryptography`'s AESGCM), so keys it stored still decrypt:
 *
 *   stored = base64( nonce[12] ‖ ciphertext ‖ tag[16] )
 *   AES-256-GCM, key = 32 bytes from 64 hex chars, AAD = the user's id as UTF-8
 *
 * (Python's AESGCM.encrypt returns ciphertext with the tag appended; the original prefixed the
 * nonce.) The AAD binds a ciphertext to its user: a key row copied to another user fails.
 *
 * Never log plaintext keys, ciphertexts or the encryption key; errors here carry none of them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

export const ENCRYPTION_KEY_ENV = 'GIGGLES_ENCRYPTION_KEY';

export class KeyDecryptionError extends Error {
  constructor(reason: string) {
    super(`stored API key could not be decrypted: ${reason}`);
    this.name = 'KeyDecryptionError';
  }
}

export class KeyCipher {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  static fromHex(hex: string): KeyCipher {
    if (!HEX_KEY.test(hex)) throw new Error(`${ENCRYPTION_KEY_ENV} must be 64 hex characters (32 bytes)`);
    return new KeyCipher(Buffer.from(hex, 'hex'));
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): KeyCipher {
    const hex = env[ENCRYPTION_KEY_ENV];
    if (!hex) throw new Error(`${ENCRYPTION_KEY_ENV} is not set`);
    return KeyCipher.fromHex(hex.trim());
  }

  encrypt(plaintext: string, userId: string): string {
    if (plaintext.length === 0) throw new Error('cannot encrypt an empty API key');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64');
  }

  decrypt(stored: string, userId: string): string {
    const bytes = Buffer.from(stored, 'base64');
    if (bytes.length <= NONCE_BYTES + TAG_BYTES) throw new KeyDecryptionError('too short');
    const nonce = bytes.subarray(0, NONCE_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const ciphertext = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Wrong key, wrong user, or tampered data: GCM cannot tell which, and neither do we.
      throw new KeyDecryptionError('authentication failed');
    }
  }

  /** Keeps the key out of console.log / util.inspect output. */
  toJSON(): string {
    return 'KeyCipher(redacted)';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'KeyCipher(redacted)';
  }
}
