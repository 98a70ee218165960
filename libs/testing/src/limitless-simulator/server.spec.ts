import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeOggOpus } from './decode-ogg-opus';
import { parseOggPages } from './ogg-pages';
import { hashKey } from './request-log';
import { type LimitlessSimulator, MAX_WINDOW_MS, startLimitlessSimulator } from './server';
import { evalRecording } from './test-recordings';

const T0 = Date.UTC(2025, 0, 15, 0, 0, 0);
const KEY = 'key-with-audio';
const EMPTY_KEY = 'key-without-audio';

let sim: LimitlessSimulator;

async function audio(params: Record<string, string | number>, key: string | null = KEY) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  return fetch(`${sim.url}/v1/download-audio?${qs}`, { headers: key === null ? {} : { 'X-API-Key': key } });
}

/** The JSON body of a response, typed loosely for assertions. */
async function json(res: Response): Promise<{ error?: string; retryAfter?: string } & Record<string, unknown>> {
  return (await res.json()) as { error?: string; retryAfter?: string } & Record<string, unknown>;
}

beforeAll(async () => {
  sim = await startLimitlessSimulator({ keys: [EMPTY_KEY], seed: 7 });
  sim.placeRecordings(KEY, [evalRecording('long_d1'), evalRecording('long_d2')], T0, 0.5);
});
afterAll(() => sim?.stop());
afterEach(() => {
  sim.clearFaults();
  sim.resetRateLimit();
  sim.clearRequests();
});

describe('GET /v1/download-audio', () => {
  it('200: Ogg Opus for the range, inline audio.ogg, decodable to the window length', async () => {
    const res = await audio({ startMs: T0 + 30_000, endMs: T0 + 40_000, audioSource: 'pendant' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/ogg');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="audio.ogg"');
    expect(res.headers.get('x-sim-audio-start-ms')).toBe(String(T0 + 30_000));
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.toString('latin1', 0, 4)).toBe('OggS');
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    const decoded = await decodeOggOpus(body, 16_000);
    expect(decoded.samples.length).toBe(160_000);
  });

  it('accepts exactly two hours and a missing audioSource', async () => {
    const res = await audio({ startMs: T0, endMs: T0 + MAX_WINDOW_MS });
    expect(res.status).toBe(200);
    const pages = parseOggPages(Buffer.from(await res.arrayBuffer()));
    expect(pages.length).toBeGreaterThan(1800); // 30 min of audio at ~1 page/s
    expect(res.headers.get('x-sim-audio-end-ms')).toBe(String(T0 + 1_800_000));
  });

  it.each([
    ['missing startMs', { endMs: T0 + 1000 }],
    ['missing endMs', { startMs: T0 }],
    ['non-integer startMs', { startMs: `${T0}.5`, endMs: T0 + 1000 }],
    ['non-numeric endMs', { startMs: T0, endMs: 'soon' }],
    ['negative startMs', { startMs: -5, endMs: 1000 }],
    ['endMs equal to startMs', { startMs: T0, endMs: T0 }],
    ['endMs before startMs', { startMs: T0 + 10, endMs: T0 }],
    ['more than 2 hours', { startMs: T0, endMs: T0 + MAX_WINDOW_MS + 1 }],
    ['audioSource other than pendant', { startMs: T0, endMs: T0 + 1000, audioSource: 'phone' }],
  ])('400 for %s', async (_name, params) => {
    const res = await audio(params as Record<string, string | number>);
    expect(res.status).toBe(400);
    expect(typeof (await json(res)).error).toBe('string');
  });

  it('401 for a missing, unknown or revoked key', async () => {
    for (const key of [null, '', 'nobody-has-this-key']) {
      const res = await audio({ startMs: T0, endMs: T0 + 1000 }, key);
      expect(res.status).toBe(401);
      expect(typeof (await json(res)).error).toBe('string');
    }
    sim.addKey('short-lived');
    expect((await audio({ startMs: T0, endMs: T0 + 1000 }, 'short-lived')).status).toBe(404);
    sim.revokeKey('short-lived');
    expect((await audio({ startMs: T0, endMs: T0 + 1000 }, 'short-lived')).status).toBe(401);
  });

  it('404 when there is no audio in the range', async () => {
    for (const [key, start] of [
      [KEY, T0 - 60_000],
      [KEY, T0 + 1_800_000],
      [EMPTY_KEY, T0],
    ] as const) {
      const res = await audio({ startMs: start, endMs: start + 60_000 }, key);
      expect(res.status).toBe(404);
      expect(typeof (await json(res)).error).toBe('string');
    }
  });

  it('streams with chunked encoding when contentLength is off', async () => {
    const other = await startLimitlessSimulator({ contentLength: false });
    try {
      other.addRecording('k', T0, evalRecording('long_d1'));
      const res = await fetch(`${other.url}/v1/download-audio?startMs=${T0}&endMs=${T0 + 5000}`, {
        headers: { 'X-API-Key': 'k' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBeNull();
      expect(Buffer.from(await res.arrayBuffer()).toString('latin1', 0, 4)).toBe('OggS');
    } finally {
      await other.stop();
    }
  });
});

describe('GET /v1/lifelogs', () => {
  it('200 with an empty page for a valid key, 401 otherwise', async () => {
    const ok = await fetch(`${sim.url}/v1/lifelogs?limit=1`, { headers: { 'X-API-Key': EMPTY_KEY } });
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ data: { lifelogs: [] }, meta: { lifelogs: { nextCursor: null, count: 0 } } });
    const bad = await fetch(`${sim.url}/v1/lifelogs?limit=1`, { headers: { 'X-API-Key': 'wrong' } });
    expect(bad.status).toBe(401);
    const none = await fetch(`${sim.url}/v1/lifelogs?limit=1`);
    expect(none.status).toBe(401);
  });

  type Page = { data: { lifelogs: { startTime: string; endTime: string }[] }; meta: { lifelogs: { nextCursor: string | null; count: number } } };
  const lifelogs = async (query: string): Promise<{ status: number; body: Page }> => {
    const res = await fetch(`${sim.url}/v1/lifelogs?${query}`, { headers: { 'X-API-Key': KEY } });
    return { status: res.status, body: (await res.json()) as Page };
  };

  it('serves one lifelog per recording on the timeline: direction=asc&limit=1 is the first audio', async () => {
    const placed = sim.timeline(KEY);
    expect(placed.length).toBeGreaterThan(1);
    const first = await lifelogs('direction=asc&limit=1');
    expect(first.status).toBe(200);
    expect(first.body.data.lifelogs).toHaveLength(1);
    expect(first.body.data.lifelogs[0]!.startTime).toBe(new Date(T0).toISOString());
    expect(first.body.meta.lifelogs.count).toBe(1);
    expect(first.body.meta.lifelogs.nextCursor).not.toBeNull();
    // Newest first by default.
    const newest = await lifelogs('limit=1');
    expect(newest.body.data.lifelogs[0]!.startTime).toBe(new Date(placed.at(-1)!.startMs).toISOString());
  });

  it('pages with the cursor and filters by start/end and date', async () => {
    const placed = sim.timeline(KEY);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await lifelogs(`direction=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.data.lifelogs.map((l) => l.startTime));
      cursor = page.body.meta.lifelogs.nextCursor;
    } while (cursor);
    expect(seen).toEqual(placed.map((p) => new Date(p.startMs).toISOString()));
    const later = await lifelogs(`direction=asc&limit=100&start=${new Date(placed[1]!.startMs).toISOString()}`);
    expect(later.body.data.lifelogs[0]!.startTime).toBe(new Date(placed[1]!.startMs).toISOString());
    const before = await lifelogs(`limit=100&end=${new Date(T0).toISOString()}`);
    expect(before.body.data.lifelogs).toEqual([]);
    const day = await lifelogs('limit=100&date=2025-01-15');
    expect(day.body.data.lifelogs).toHaveLength(placed.length);
  });

  it('400 for a bad direction, start or cursor', async () => {
    expect((await lifelogs('direction=up')).status).toBe(400);
    expect((await lifelogs('start=yesterday')).status).toBe(400);
    expect((await lifelogs('cursor=%21%21')).status).toBe(400);
  });
});

describe('rate limit', () => {
  it('allows 180 requests per minute per key across endpoints, then 429 with retryAfter', async () => {
    const lifelogs = () => fetch(`${sim.url}/v1/lifelogs?limit=1`, { headers: { 'X-API-Key': KEY } });
    const first = await Promise.all(
      Array.from({ length: 180 }, (_, i) => (i % 2 ? lifelogs() : audio({ startMs: T0 - 2000, endMs: T0 - 1000 }))),
    );
    expect(first.map((r) => r.status).sort()).toEqual([...Array(90).fill(200), ...Array(90).fill(404)]);
    await Promise.all(first.map((r) => r.arrayBuffer()));
    const limited = await lifelogs();
    expect(limited.status).toBe(429);
    const body = await json(limited);
    expect(body.error).toEqual(expect.any(String));
    expect(body.retryAfter).toMatch(/^\d+$/);
    expect(Number(body.retryAfter)).toBeGreaterThan(0);
    expect(Number(body.retryAfter)).toBeLessThanOrEqual(60);
    const header = limited.headers.get('retry-after');
    if (header !== null) expect(header).toBe(body.retryAfter);
    // Other keys have their own budget.
    const other = await fetch(`${sim.url}/v1/lifelogs?limit=1`, { headers: { 'X-API-Key': EMPTY_KEY } });
    expect(other.status).toBe(200);
  });

  it('frees the budget as the minute slides (injected clock)', async () => {
    let now = 1_000_000;
    const s = await startLimitlessSimulator({ keys: ['k'], rateLimitPerMinute: 3, now: () => now, retryAfterHeader: 'always' });
    try {
      const get = () => fetch(`${s.url}/v1/lifelogs`, { headers: { 'X-API-Key': 'k' } });
      for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
      now += 20_000;
      const r = await get();
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('40');
      expect((await json(r)).retryAfter).toBe('40');
      now += 40_000;
      expect((await get()).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('never sends Retry-After when configured so', async () => {
    const s = await startLimitlessSimulator({ keys: ['k'], rateLimitPerMinute: 1, retryAfterHeader: 'never' });
    try {
      await fetch(`${s.url}/v1/lifelogs`, { headers: { 'X-API-Key': 'k' } });
      const r = await fetch(`${s.url}/v1/lifelogs`, { headers: { 'X-API-Key': 'k' } });
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBeNull();
      expect((await json(r)).retryAfter).toMatch(/^\d+$/);
    } finally {
      await s.stop();
    }
  });
});

describe('fault injection', () => {
  const window = { startMs: T0 + 60_000, endMs: T0 + 70_000 };

  it('scripted faults apply to the next requests in order, then normal service resumes', async () => {
    sim.queueFaults(
      [
        { kind: 'status', status: 503 },
        { kind: 'status', status: 502 },
        { kind: 'rate-limit', retryAfterSeconds: 7, header: true },
        { kind: 'unauthorized' },
      ],
      KEY,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await audio(window);
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toBe('7');
        expect((await json(r)).retryAfter).toBe('7');
      } else await r.arrayBuffer();
    }
    expect(statuses).toEqual([503, 502, 429, 401, 200]);
    expect(sim.requests().map((r) => r.faults[0] ?? 'none')).toEqual([
      'status-503',
      'status-502',
      'rate-limit',
      'unauthorized',
      'none',
    ]);
  });

  it('random 5xx at a rate are reproducible with a seed', async () => {
    const run = async () => {
      const s = await startLimitlessSimulator({ keys: ['k'], seed: 42 });
      try {
        s.setFaultRates({ serverErrorRate: 0.5 });
        const out: number[] = [];
        for (let i = 0; i < 30; i++) {
          out.push((await fetch(`${s.url}/v1/lifelogs`, { headers: { 'X-API-Key': 'k' } })).status);
        }
        return out;
      } finally {
        await s.stop();
      }
    };
    const a = await run();
    expect(await run()).toEqual(a);
    const errors = a.filter((s) => s !== 200);
    expect(errors.length).toBeGreaterThan(5);
    expect(errors.length).toBeLessThan(25);
    expect(errors.every((s) => [500, 502, 503, 504].includes(s))).toBe(true);
  });

  it('slow responses', async () => {
    sim.setFaultRates({ delayMs: 300 }, KEY);
    const t = Date.now();
    const r = await audio(window);
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    expect(sim.requests()[0].durationMs).toBeGreaterThanOrEqual(290);
  });

  it('drops the connection before headers', async () => {
    sim.queueFaults([{ kind: 'drop-before-headers' }], KEY);
    await expect(audio(window)).rejects.toThrow();
    expect(sim.requests()[0].status).toBe(0);
  });

  it('drops the connection in the middle of the body', async () => {
    sim.queueFaults([{ kind: 'drop-mid-body' }], KEY);
    const r = await audio(window);
    expect(r.status).toBe(200);
    await expect(r.arrayBuffer()).rejects.toThrow();
    const entry = sim.requests()[0];
    expect(entry.bytes).toBeGreaterThan(0);
    expect(entry.bytes).toBeLessThan(Number(r.headers.get('content-length')));
  });

  it('corrupt body: 200 with bytes that are not Ogg', async () => {
    sim.queueFaults([{ kind: 'corrupt' }], KEY);
    const r = await audio(window);
    expect(r.status).toBe(200);
    const body = Buffer.from(await r.arrayBuffer());
    expect(body.toString('latin1', 0, 4)).not.toBe('OggS');
    expect(() => parseOggPages(body)).toThrow();
  });

  it('truncated body: a complete HTTP response holding a cut-off Ogg stream', async () => {
    sim.queueFaults([{ kind: 'truncate' }], KEY);
    const r = await audio(window);
    expect(r.status).toBe(200);
    const body = Buffer.from(await r.arrayBuffer());
    expect(body.toString('latin1', 0, 4)).toBe('OggS');
    expect(() => parseOggPages(body)).toThrow(/truncated/);
  });

  it('global faults hit every key', async () => {
    sim.setFaultRates({ serverErrorRate: 1, serverErrorStatuses: [504] });
    expect((await audio(window)).status).toBe(504);
    expect((await fetch(`${sim.url}/v1/lifelogs`, { headers: { 'X-API-Key': EMPTY_KEY } })).status).toBe(504);
  });
});

describe('request log', () => {
  it('records method, path, hashed key, status, bytes and duration — never the key', async () => {
    const r = await audio({ startMs: T0, endMs: T0 + 2000 });
    const bytes = (await r.arrayBuffer()).byteLength;
    await audio({ startMs: T0, endMs: T0 + 2000 }, 'unknown');
    const [ok, denied] = sim.requests();
    expect(ok).toMatchObject({
      method: 'GET',
      endpoint: 'download-audio',
      keyHash: hashKey(KEY),
      status: 200,
      bytes,
      audioStartMs: T0,
      audioEndMs: T0 + 2000,
    });
    expect(ok.path).toContain(`startMs=${T0}`);
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    expect(denied.status).toBe(401);
    expect(JSON.stringify(sim.requests())).not.toContain(KEY);
  });
});
