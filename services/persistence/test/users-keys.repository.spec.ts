import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyDecryptionError } from '@giggles/crypto';
import { userId } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

describe('UsersRepository and KeysRepository', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  async function newUser(timezone = 'America/Los_Angeles'): Promise<string> {
    const id = userId();
    await stack.users.upsertUser({ id, email: `${id}@example.test`, timezone });
    return id;
  }

  it('creates and updates a profile', async () => {
    const id = await newUser();
    expect(await stack.users.getUser(id)).toEqual({ id, email: `${id}@example.test`, timezone: 'America/Los_Angeles' });
    await stack.users.setTimezone(id, 'Asia/Kolkata');
    await stack.users.upsertUser({ id, email: 'new@example.test', timezone: 'Asia/Kolkata' });
    expect(await stack.users.getUser(id)).toEqual({ id, email: 'new@example.test', timezone: 'Asia/Kolkata' });
    expect(await stack.users.getUser(userId())).toBeNull();
  });

  it('stores a key encrypted for its user and hands out only the ciphertext', async () => {
    const id = await newUser();
    expect(await stack.keys.getEncryptedKey(id)).toBeNull();
    await stack.keys.setKey(id, 'lmtls-secret-1');

    const stored = await stack.keys.getEncryptedKey(id);
    expect(stored?.status).toBe('active');
    expect(stored?.encryptedKey).not.toContain('lmtls-secret-1');
    const [row] = await stack.db.query<{ encrypted_api_key: string }>(
      'SELECT encrypted_api_key FROM limitless_keys WHERE user_id = $1',
      [id],
    );
    expect(row.encrypted_api_key).toBe(stored?.encryptedKey);
    expect(stack.cipher.decrypt(stored!.encryptedKey, id)).toBe('lmtls-secret-1');
    expect(() => stack.cipher.decrypt(stored!.encryptedKey, userId())).toThrow(KeyDecryptionError);
  });

  it('keeps one active key per user when the key changes', async () => {
    const id = await newUser();
    const first = await stack.keys.setKey(id, 'lmtls-old');
    const second = await stack.keys.setKey(id, 'lmtls-new');
    expect(second).not.toBe(first);
    const rows = await stack.db.query<{ id: string; is_active: boolean }>(
      'SELECT id, is_active FROM limitless_keys WHERE user_id = $1 ORDER BY created_at, is_active',
      [id],
    );
    expect(rows).toEqual([
      { id: first, is_active: false },
      { id: second, is_active: true },
    ]);
    expect(stack.cipher.decrypt((await stack.keys.getEncryptedKey(id))!.encryptedKey, id)).toBe('lmtls-new');
  });

  it('marks a rejected key invalid once, drops the user from the nightly list, and a new key restores them', async () => {
    const id = await newUser('Europe/Berlin');
    await stack.keys.setKey(id, 'lmtls-will-be-rejected');
    expect(await stack.users.usersWithActiveKeys()).toContainEqual({ userId: id, email: `${id}@example.test`, timezone: 'Europe/Berlin' });

    const at = new Date('2024-03-02T03:00:00Z');
    expect(await stack.keys.markKeyInvalid(id, at)).toBe(true);
    expect(await stack.keys.markKeyInvalid(id)).toBe(false);
    expect((await stack.keys.getEncryptedKey(id))?.status).toBe('invalid');
    const [row] = await stack.db.query<{ invalid_since: Date }>(
      'SELECT invalid_since FROM limitless_keys WHERE user_id = $1 AND is_active',
      [id],
    );
    expect(row.invalid_since.toISOString()).toBe(at.toISOString());
    expect((await stack.users.usersWithActiveKeys()).map((u) => u.userId)).not.toContain(id);

    await stack.keys.setKey(id, 'lmtls-fixed');
    expect((await stack.keys.getEncryptedKey(id))?.status).toBe('active');
    expect((await stack.users.usersWithActiveKeys()).map((u) => u.userId)).toContain(id);
  });

  it('lists each user with a key once, and not users without one', async () => {
    const withKey = await newUser();
    const without = await newUser();
    await stack.keys.setKey(withKey, 'one');
    await stack.keys.setKey(withKey, 'two');
    const ids = (await stack.users.usersWithActiveKeys()).map((u) => u.userId);
    expect(ids.filter((id) => id === withKey)).toHaveLength(1);
    expect(ids).not.toContain(without);
    expect(await stack.keys.markKeyInvalid(without)).toBe(false);
  });
});
