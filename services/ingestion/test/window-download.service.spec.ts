import { describe, expect, it } from 'vitest';
import { WindowDownloadService, type WindowRequest } from '../src/services/window-download.service';
import { capturedLogger, FakeClock, FakeLimitless, MemoryAudioStore, oggBytes, testConfig, testMetrics, type Scripted } from './fakes';

const W = { startMs: Date.UTC(2025, 0, 15, 10), endMs: Date.UTC(2025, 0, 15, 12) };
const KEY = 'sk-very-secret-limitless-key';

function setup(script: Scripted[], env: Record<string, string> = {}) {
  const clock = new FakeClock(Date.UTC(2025, 0, 20));
  const limitless = new FakeLimitless(clock, script);
  const store = new MemoryAudioStore();
  const logs = capturedLogger();
  const config = testConfig({ LIMITLESS_RETRY_BASE: '1s', LIMITLESS_RETRY_CAP: '8s', LIMITLESS_MAX_ATTEMPTS: '4', ...env });
  const service = new WindowDownloadService(limitless, store, config, clock, () => 0.5, logs.logger, testMetrics());
  const request: WindowRequest = { apiKey: KEY, window: W, objectName: 'u/1-2/j.ogg', metadata: { userId: 'u' } };
  return { clock, limitless, store, service, request, logs };
}

describe('WindowDownloadService', () => {
  it('200 with Ogg: streams every chunk into the store and records the call', async () => {
    const audio = oggBytes(300_000);
    const chunks = [audio.subarray(0, 2), audio.subarray(2, 100_000), audio.subarray(100_000)];
    const { service, store, request } = setup([{ status: 200, body: chunks }]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'audio', bytes: 300_000 });
    expect(result.calls).toEqual([{ status: 200, durationMs: 10, bytes: 300_000, at: '2025-01-20T00:00:00.000Z' }]);
    expect(store.objects.get('u/1-2/j.ogg')?.bytes.equals(audio)).toBe(true);
  });

  it('404 → empty, one call, no retry', async () => {
    const { service, limitless, request } = setup([{ status: 404, json: { error: 'No audio found' } }]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'outcome', status: 'empty' });
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({ status: 404, error: 'HTTP 404: No audio found' });
    expect(limitless.requests).toHaveLength(1);
  });

  it('404 for a window that ended recently → gap (the pendant may not have uploaded yet)', async () => {
    const { service, clock, request } = setup([{ status: 404, json: { error: 'No audio found' } }]);
    clock.nowMs = W.endMs + 10 * 60_000;
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'outcome', status: 'gap', error: { code: 'not_yet_available' } });
  });

  it('401 → key invalid, no retry', async () => {
    const { service, limitless, request } = setup([{ status: 401, json: { error: 'Invalid API key' } }]);
    expect(await service.download(request)).toMatchObject({ kind: 'key-invalid', message: 'HTTP 401: Invalid API key' });
    expect(limitless.requests).toHaveLength(1);
  });

  it('400 → failed loudly, no retry', async () => {
    const { service, limitless, request, logs } = setup([{ status: 400, json: { error: 'The requested range must not exceed 2 hours' } }]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'outcome', status: 'failed', error: { code: 'bad_request', message: 'HTTP 400: The requested range must not exceed 2 hours' } });
    expect(limitless.requests).toHaveLength(1);
    expect(logs.text()).toMatch(/"level":"error".*a bug on our side/);
  });

  it('non-Ogg 200 → failed with a clear error, no retry', async () => {
    const { service, limitless, store, request } = setup([{ status: 200, body: [Buffer.from('<!DOCTYPE html><html>')], contentType: 'text/html' }]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'outcome', status: 'failed', error: { code: 'not_ogg' } });
    if (result.kind !== 'outcome') throw new Error('unreachable');
    expect(result.error?.message).toBe('response is not Ogg audio (got content-type text/html, first bytes 3c 21 44 4f 43 54 59 50 45 20 68 74 6d 6c 3e 3c ("<!DOCTYPE html><"))');
    expect(limitless.requests).toHaveLength(1);
    expect(store.objects.size).toBe(0);
  });

  it('an empty 200 body is not Ogg either', async () => {
    const { service, request } = setup([{ status: 200, body: [] }]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'outcome', status: 'failed', error: { code: 'not_ogg' } });
  });

  it('5xx and transport errors: retried with full-jitter backoff, then succeed', async () => {
    const { service, clock, limitless, request } = setup([
      { status: 503, json: { error: 'Simulated 503' } },
      { transport: 'no response within 60000 ms (timeout)' },
      { status: 502, text: '<html>bad gateway</html>' },
      { status: 200, body: [oggBytes(10)] },
    ]);
    const result = await service.download(request);
    expect(result.kind).toBe('audio');
    expect(result.calls.map((c) => c.status)).toEqual([503, 0, 502, 200]);
    expect(result.calls[1].error).toMatch(/timeout/);
    expect(result.calls[2].error).toBe('HTTP 502: <html>bad gateway</html>');
    // random() = 0.5 → half of base·2^(n-1): 500, 1000, 2000 ms
    expect(clock.sleeps).toEqual([500, 1_000, 2_000]);
    expect(limitless.requests).toHaveLength(4);
  });

  it('persistent 5xx → gap after the bounded attempts', async () => {
    const { service, limitless, request } = setup([{ status: 500, json: { error: 'boom' } }]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'outcome', status: 'gap', error: { code: 'limitless_unavailable' } });
    expect(limitless.requests).toHaveLength(4);
    expect(result.calls).toHaveLength(4);
  });

  it('a connection dropped mid-body is retried; the partial download is not kept', async () => {
    const audio = oggBytes(3_000);
    const { service, store, request } = setup([
      { status: 200, body: [audio.subarray(0, 1_000), audio.subarray(1_000)], failAfterChunks: 1 },
      { status: 200, body: [audio] },
    ]);
    const result = await service.download(request);
    expect(result).toMatchObject({ kind: 'audio', bytes: 3_000 });
    expect(result.calls[0]).toMatchObject({ status: 200, bytes: 1_000 });
    expect(result.calls[0].error).toMatch(/ECONNRESET/);
    expect(store.objects.get('u/1-2/j.ogg')?.bytes.length).toBe(3_000);
  });

  it('429: pauses the key for retryAfter (body, else header), then retries; bounded', async () => {
    const { service, limitless, request } = setup([
      { status: 429, json: { error: 'Rate limit exceeded', retryAfter: '3' } },
      { status: 429, json: { error: 'Rate limit exceeded' }, retryAfterHeader: '2' },
      { status: 200, body: [oggBytes(10)] },
    ]);
    const result = await service.download(request);
    expect(result.kind).toBe('audio');
    expect(result.calls.map((c) => c.status)).toEqual([429, 429, 200]);
    const [first, second, third] = limitless.requests;
    expect(second.at - first.at).toBeGreaterThanOrEqual(3_000);
    expect(third.at - second.at).toBeGreaterThanOrEqual(2_000);

    const stubborn = setup([{ status: 429, json: { error: 'Rate limit exceeded', retryAfter: '1' } }], { LIMITLESS_MAX_RATE_LIMITED: '2' });
    expect(await stubborn.service.download(stubborn.request)).toMatchObject({ kind: 'outcome', status: 'gap', error: { code: 'rate_limited' } });
    expect(stubborn.limitless.requests).toHaveLength(3);
  });

  it('429 waits are capped by LIMITLESS_MAX_RETRY_AFTER', async () => {
    const { service, limitless, request } = setup(
      [{ status: 429, json: { error: 'slow down', retryAfter: '86400' } }, { status: 200, body: [oggBytes(10)] }],
      { LIMITLESS_MAX_RETRY_AFTER: '30s' },
    );
    await service.download(request);
    expect(limitless.pauses[0].untilMs - limitless.requests[0].at).toBeLessThanOrEqual(30_000 + 10);
  });

  it('an object-store failure is thrown (the job is retried), not recorded as a Limitless failure', async () => {
    const { service, store, request } = setup([{ status: 200, body: [oggBytes(10)] }]);
    store.failPut = new Error('JetStream unavailable');
    await expect(service.download(request)).rejects.toThrow('JetStream unavailable');
  });

  it('shutdown interrupts a backoff wait', async () => {
    const { service, request } = setup([{ status: 503, json: { error: 'x' } }]);
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(service.download({ ...request, waitSignal: controller.signal })).rejects.toThrow('shutting down');
  });

  it('the API key never appears in records or logs, even when echoed back', async () => {
    const { service, request, logs } = setup([{ status: 400, json: { error: `bad key ${KEY} in request` } }]);
    const result = await service.download(request);
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(result)).toContain('[redacted]');
    expect(logs.text()).not.toContain(KEY);
  });
});
