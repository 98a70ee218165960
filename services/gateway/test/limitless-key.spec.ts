import { QUERIES } from '@giggles/contracts';
import { KeyCipher } from '@giggles/crypto';
import { QueryError, request as natsRequest } from '@giggles/messaging';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack } from './support/gateway-stack';

/**
 * The Limitless key: checked against the Limitless simulator, encrypted so that what ingestion
 * reads back (persistence's userKey query) decrypts with AAD = user id, never echoed or logged.
 */

const GOOD_KEY = 'lmls_good_key_0123456789abcdef';
const SECOND_KEY = 'lmls_second_key_fedcba9876543210';
const REVOKED_KEY = 'lmls_not_a_key_at_all_42';

let stack: GatewayStack;
let nc: NatsConnection;
const responses: string[] = [];
const seen = (res: request.Response) => {
  responses.push(JSON.stringify(res.headers) + res.text);
  return res;
};

beforeAll(async () => {
  stack = await startGatewayStack({ limitlessKeys: [GOOD_KEY, SECOND_KEY] });
  nc = await connect({ servers: stack.harness.natsUrl });
});
afterAll(async () => {
  await nc?.close();
  await stack?.stop();
});

/** What ingestion would get for the user, decrypted as ingestion decrypts it. */
async function keyAsIngestionReadsIt(userId: string): Promise<string | undefined> {
  try {
    const reply = await natsRequest(nc, QUERIES.userKey, { userId });
    return KeyCipher.fromHex(stack.encryptionKey).decrypt(reply.encryptedKey, userId);
  } catch (error) {
    if (error instanceof QueryError && error.code === 'not_found') return undefined;
    throw error;
  }
}

describe('PUT /api/limitless-key', () => {
  it('a key Limitless accepts is stored encrypted (AAD = user id) and shows as active; a second one replaces it', async () => {
    const user = await stack.register();
    expect(seen(await user.agent.get('/api/limitless-key').expect(200)).body).toMatchObject({ state: 'none', has_key: false, is_active: false });
    const saved = seen(await user.agent.put('/api/limitless-key').send({ apiKey: `  ${GOOD_KEY} ` }).expect(200));
    expect(saved.body.state).toBe('active');
    expect(Date.parse(saved.body.savedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await keyAsIngestionReadsIt(user.userId)).toBe(GOOD_KEY);
    // Bound to its user: the ciphertext does not decrypt as anyone else's.
    const [row] = await stack.sql<{ encrypted_api_key: string }>('SELECT encrypted_api_key FROM limitless_keys WHERE user_id = $1 AND is_active', [user.userId]);
    expect(row.encrypted_api_key).not.toContain(GOOD_KEY);
    expect(() => KeyCipher.fromHex(stack.encryptionKey).decrypt(row.encrypted_api_key, '00000000-0000-4000-8000-000000000000')).toThrow();
    const checks = stack.harness.limitless!.requests().filter((r) => r.path.startsWith('/v1/lifelogs'));
    expect(checks.length).toBeGreaterThan(0);

    seen(await user.agent.put('/api/limitless-key').send({ apiKey: SECOND_KEY }).expect(200));
    expect(await keyAsIngestionReadsIt(user.userId)).toBe(SECOND_KEY);
    expect(seen(await user.agent.get('/api/me').expect(200)).body.key.state).toBe('active');
  });

  it('a key Limitless refuses → 400 and nothing stored (the old key stays)', async () => {
    const user = await stack.register();
    const refused = seen(await user.agent.put('/api/limitless-key').send({ apiKey: REVOKED_KEY }).expect(400));
    expect(refused.body.message).toBe('Limitless did not accept this key');
    expect(await keyAsIngestionReadsIt(user.userId)).toBeUndefined();
    seen(await user.agent.put('/api/limitless-key').send({ apiKey: GOOD_KEY }).expect(200));
    seen(await user.agent.put('/api/limitless-key').send({ apiKey: REVOKED_KEY }).expect(400));
    expect(await keyAsIngestionReadsIt(user.userId)).toBe(GOOD_KEY);
  });

  it('Limitless down (5xx, dropped connection, too slow, unreachable) → 502 with a clear message, nothing stored', async () => {
    const user = await stack.register();
    stack.harness.limitless!.queueFaults([{ kind: 'status', status: 503 }, { kind: 'drop-before-headers' }], GOOD_KEY);
    for (let i = 0; i < 2; i++) {
      const res = seen(await user.agent.put('/api/limitless-key').send({ apiKey: GOOD_KEY }).expect(502));
      expect(res.body.message).toBe('Could not reach Limitless to check the key — try again');
    }
    // Slower than GATEWAY_LIMITLESS_CHECK_TIMEOUT counts as unreachable too.
    const impatient = await stack.startGateway({ GATEWAY_LIMITLESS_CHECK_TIMEOUT: '300ms' });
    stack.harness.limitless!.queueFaults([{ kind: 'delay', ms: 2_000 }], GOOD_KEY);
    const started = Date.now();
    seen(await request(impatient.url).put('/api/limitless-key').set('Authorization', `Bearer ${user.accessToken}`).send({ apiKey: GOOD_KEY }).expect(502));
    expect(Date.now() - started).toBeLessThan(1_900);
    const offline = await stack.startGateway({ LIMITLESS_API_URL: 'http://127.0.0.1:9' });
    const res = seen(await request(offline.url).put('/api/limitless-key').set('Authorization', `Bearer ${user.accessToken}`).send({ apiKey: GOOD_KEY }).expect(502));
    expect(res.body.message).toMatch(/Could not reach Limitless/);
    expect(await keyAsIngestionReadsIt(user.userId)).toBeUndefined();
  });
});

describe('the original key routes and DELETE', () => {
  it('POST {api_key} answers the original fields; GET status has has_key; DELETE removes the key', async () => {
    const user = await stack.register();
    const saved = seen(await user.agent.post('/api/limitless-key').send({ api_key: GOOD_KEY }).expect(200));
    expect(saved.body).toMatchObject({ id: user.userId, is_active: true });
    expect(Date.parse(saved.body.created_at)).not.toBeNaN();
    expect(seen(await user.agent.get('/api/limitless-key/status').expect(200)).body).toEqual({ has_key: true });
    expect(seen(await user.agent.get('/api/limitless-key').expect(200)).body).toMatchObject({ state: 'active', has_key: true, is_active: true });
    seen(await user.agent.post('/api/limitless-key').send({ api_key: REVOKED_KEY }).expect(400));
    await user.agent.delete('/api/limitless-key').expect(204);
    expect(await keyAsIngestionReadsIt(user.userId)).toBeUndefined();
    expect(seen(await user.agent.get('/api/limitless-key').expect(200)).body).toMatchObject({ state: 'none', has_key: false });
    await user.agent.delete('/api/limitless-key').expect(204);
  });

  it('one user never touches another user’s key', async () => {
    const ada = await stack.register();
    const bob = await stack.register();
    seen(await ada.agent.put('/api/limitless-key').send({ apiKey: GOOD_KEY }).expect(200));
    await bob.agent.delete('/api/limitless-key').expect(204);
    expect(await keyAsIngestionReadsIt(ada.userId)).toBe(GOOD_KEY);
    expect(seen(await bob.agent.get('/api/limitless-key').expect(200)).body.state).toBe('none');
  });

  it('no key ever appears in a response or a log line', () => {
    for (const key of [GOOD_KEY, SECOND_KEY, REVOKED_KEY]) {
      expect(responses.some((r) => r.includes(key))).toBe(false);
      expect(stack.logs()).not.toContain(key);
    }
    expect(responses.length).toBeGreaterThan(15);
    expect(stack.logs()).toContain('Limitless key saved');
    // The access log saw those requests (method, path, status, user) and nothing of their bodies.
    const accessLines = stack.logs().split('\n').filter((l) => l.includes('"msg":"request"') && l.includes('"path":"/api/limitless-key"'));
    expect(accessLines.length).toBeGreaterThan(5);
    expect(accessLines.some((l) => l.includes('"method":"PUT"') && l.includes('"status":400') && /"userId":"[0-9a-f-]{36}"/.test(l))).toBe(true);
  });
});
