import { join } from 'node:path';
import { hashKey, sharedDir, startLimitlessSimulator, type LimitlessSimulator } from '@giggles/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitlessHttpClient } from '../src/adapters/limitless-http.client';
import { systemClock } from '../src/domain/token-bucket';
import { MAX_WINDOW_MS } from '../src/domain/window-planner';
import { LimitlessTransportError } from '../src/services/ports';
import { testConfig } from './fakes';

const T0 = Date.UTC(2025, 0, 15, 8);
const KEY = 'lmtls-http-client-test-key';
let sim: LimitlessSimulator;

beforeAll(async () => {
  sim = await startLimitlessSimulator({ seed: 5 });
  sim.placeRecordings(KEY, [join(sharedDir(), 'eval', 'long_d1.ogg'), join(sharedDir(), 'eval', 'long_d2.ogg')], T0, 0.34);
});
afterAll(() => sim?.stop());

function client(env: Record<string, string> = {}) {
  return new LimitlessHttpClient(testConfig({ LIMITLESS_API_URL: `${sim.url}/`, ...env }), systemClock);
}

describe('LimitlessHttpClient against the simulator', () => {
  it('an exactly-2-hour window: 200 audio streamed chunk by chunk, key sent in X-API-Key', async () => {
    const response = await client().downloadAudio(KEY, { startMs: T0, endMs: T0 + MAX_WINDOW_MS });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('audio/ogg');
    let chunks = 0;
    let first: Uint8Array | undefined;
    for await (const chunk of response.body) {
      first ??= chunk;
      chunks++;
    }
    expect(Buffer.from(first as Uint8Array).subarray(0, 4).toString('latin1')).toBe('OggS');
    expect(chunks).toBeGreaterThan(10);
    expect(response.bytesReceived()).toBeGreaterThan(3_000_000);
    const [request] = sim.requests().slice(-1);
    expect(request.keyHash).toBe(hashKey(KEY));
    expect(request.path).toBe(`/v1/download-audio?startMs=${T0}&endMs=${T0 + MAX_WINDOW_MS}&audioSource=pendant`);
  });

  it('error statuses come back with their JSON body', async () => {
    const notFound = await client().downloadAudio(KEY, { startMs: T0 - 3_600_000, endMs: T0 - 1_800_000 });
    expect(notFound.status).toBe(404);
    expect(JSON.parse(await notFound.text())).toEqual({ error: 'No audio found for the requested range' });
    const unknown = await client().downloadAudio('nobody', { startMs: T0, endMs: T0 + 1_000 });
    expect(unknown.status).toBe(401);
    await unknown.discard();
  });

  it('no response within LIMITLESS_REQUEST_TIMEOUT is a transport error (timeout)', async () => {
    sim.queueFaults([{ kind: 'delay', ms: 1_500 }], KEY);
    const attempt = client({ LIMITLESS_REQUEST_TIMEOUT: '300ms' }).downloadAudio(KEY, { startMs: T0, endMs: T0 + 60_000 });
    await expect(attempt).rejects.toBeInstanceOf(LimitlessTransportError);
    await expect(attempt).rejects.toThrow(/timeout/);
    sim.clearFaults(KEY);
  });

  it('a connection dropped before headers or mid-body is a transport error', async () => {
    sim.queueFaults([{ kind: 'drop-before-headers' }, { kind: 'drop-mid-body' }], KEY);
    await expect(client().downloadAudio(KEY, { startMs: T0, endMs: T0 + 60_000 })).rejects.toBeInstanceOf(LimitlessTransportError);
    const response = await client().downloadAudio(KEY, { startMs: T0, endMs: T0 + 60_000 });
    expect(response.status).toBe(200);
    const reading = (async () => {
      for await (const chunk of response.body) void chunk;
    })();
    await expect(reading).rejects.toBeInstanceOf(LimitlessTransportError);
  });

  it('an aborted I/O signal aborts the request with the caller’s reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(client().downloadAudio(KEY, { startMs: T0, endMs: T0 + 60_000 }, { io: controller.signal })).rejects.toThrow('shutting down');
  });
});
