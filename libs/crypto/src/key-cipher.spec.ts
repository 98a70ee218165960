import { createCipheriv } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeyCipher, KeyDecryptionError } from './key-cipher';

const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const USER_A = '6f1c2a5e-3b4d-4e8f-9a0b-1c2d3e4f5a6b';
const USER_B = '0b6a3c1d-2e4f-4a5b-8c6d-7e8f9a0b1c2d';

/**
 * Produced by the original app's code path: Python `cryptography` 48 AESGCM with a random nonce,
 * stored as base64(nonce + aesgcm.encrypt(nonce, b"lmtls-example-key-not-real", USER_A.encode())).
 */
const PYTHON_VECTOR = 'M+WW+vKGxKXcovtcQGCcnu0lIx77dNKfsPaH89MKY/kIqbTlHkchHIvcxoRhVGPm+ZdQT/IN';

describe('KeyCipher', () => {
  const cipher = KeyCipher.fromHex(KEY_HEX);

  it('round-trips a key for its user, with a fresh nonce each time', () => {
    const a = cipher.encrypt('sk-limitless-123', USER_A);
    const b = cipher.encrypt('sk-limitless-123', USER_A);
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a, USER_A)).toBe('sk-limitless-123');
    expect(cipher.decrypt(b, USER_A)).toBe('sk-limitless-123');
  });

  it('uses the original layout: base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag)', () => {
    const stored = Buffer.from(cipher.encrypt('abcd', USER_A), 'base64');
    expect(stored.length).toBe(12 + 4 + 16);
  });

  it('refuses another user\'s ciphertext (AAD = user id)', () => {
    const stored = cipher.encrypt('sk-limitless-123', USER_A);
    expect(() => cipher.decrypt(stored, USER_B)).toThrow(KeyDecryptionError);
  });

  it('refuses tampered ciphertext, tag or nonce', () => {
    const stored = Buffer.from(cipher.encrypt('sk-limitless-123', USER_A), 'base64');
    for (const index of [0, 12, stored.length - 1]) {
      const tampered = Buffer.from(stored);
      tampered[index] ^= 0x01;
      expect(() => cipher.decrypt(tampered.toString('base64'), USER_A)).toThrow(KeyDecryptionError);
    }
    expect(() => cipher.decrypt(stored.subarray(0, 20).toString('base64'), USER_A)).toThrow(KeyDecryptionError);
  });

  it('refuses a ciphertext made with another encryption key', () => {
    const other = KeyCipher.fromHex('ff'.repeat(32));
    expect(() => cipher.decrypt(other.encrypt('sk-limitless-123', USER_A), USER_A)).toThrow(KeyDecryptionError);
  });

  it('decrypts a value built independently with Node crypto in the original layout', () => {
    const nonce = Buffer.from('a1a2a3a4a5a6a7a8a9aaabac', 'hex');
    const gcm = createCipheriv('aes-256-gcm', Buffer.from(KEY_HEX, 'hex'), nonce);
    gcm.setAAD(Buffer.from(USER_A, 'utf8'));
    const body = Buffer.concat([gcm.update('lmtls-näive-ключ', 'utf8'), gcm.final()]);
    const stored = Buffer.concat([nonce, body, gcm.getAuthTag()]).toString('base64');
    expect(cipher.decrypt(stored, USER_A)).toBe('lmtls-näive-ключ');
  });

  it('decrypts a value encrypted by the original Python implementation', () => {
    expect(cipher.decrypt(PYTHON_VECTOR, USER_A)).toBe('lmtls-example-key-not-real');
    expect(() => cipher.decrypt(PYTHON_VECTOR, USER_B)).toThrow(KeyDecryptionError);
  });

  it('accepts only a 64-hex-character key and reads it from GIGGLES_ENCRYPTION_KEY', () => {
    expect(() => KeyCipher.fromHex('abc')).toThrow(/64 hex/);
    expect(() => KeyCipher.fromHex('zz'.repeat(32))).toThrow(/64 hex/);
    expect(() => KeyCipher.fromEnv({})).toThrow(/not set/);
    const fromEnv = KeyCipher.fromEnv({ GIGGLES_ENCRYPTION_KEY: KEY_HEX });
    expect(fromEnv.decrypt(PYTHON_VECTOR, USER_A)).toBe('lmtls-example-key-not-real');
  });

  it('never shows the key when logged, and errors carry no secret', () => {
    expect(inspect(cipher)).not.toContain(KEY_HEX);
    expect(JSON.stringify({ cipher })).not.toContain(KEY_HEX);
    const stored = cipher.encrypt('sk-secret-value', USER_A);
    try {
      cipher.decrypt(stored, USER_B);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(stored);
      expect(String(error)).not.toContain('sk-secret-value');
    }
  });
});
