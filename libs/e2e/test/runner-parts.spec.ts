/** The runner's own small parts (no stack): local-day arithmetic, argument parsing, the fault proxy. */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { localDateOf, localDayRange, localMidnightMs, parseE2eArgs, parseFaults, startLimitlessProxy } from '@giggles/e2e';
import { describe, expect, it } from 'vitest';

describe('local days', () => {
  it('finds 00:00 local time as an instant, across DST changes', () => {
    expect(new Date(localMidnightMs('2025-01-15', 'UTC')).toISOString()).toBe('2025-01-15T00:00:00.000Z');
    expect(new Date(localMidnightMs('2025-01-15', 'Europe/Berlin')).toISOString()).toBe('2025-01-14T23:00:00.000Z');
    expect(new Date(localMidnightMs('2025-07-15', 'Europe/Berlin')).toISOString()).toBe('2025-07-14T22:00:00.000Z');
    expect(new Date(localMidnightMs('2025-01-15', 'Asia/Kolkata')).toISOString()).toBe('2025-01-14T18:30:00.000Z');
    expect(new Date(localMidnightMs('2025-03-09', 'America/New_York')).toISOString()).toBe('2025-03-09T05:00:00.000Z');
  });

  it('gives 23- and 25-hour days at the DST switches', () => {
    const hours = (d: string, tz: string) => {
      const r = localDayRange(d, tz);
      return (r.endMs - r.startMs) / 3_600_000;
    };
    expect(hours('2025-03-30', 'Europe/Berlin')).toBe(23);
    expect(hours('2025-10-26', 'Europe/Berlin')).toBe(25);
    expect(hours('2025-11-02', 'America/New_York')).toBe(25);
    expect(hours('2025-06-01', 'Asia/Kolkata')).toBe(24);
  });

  it('handles a timezone whose DST jump skips midnight', () => {
    // America/Santiago springs forward at 24:00 → the day starts at 01:00 local.
    const start = localMidnightMs('2024-09-08', 'America/Santiago');
    expect(localDateOf(start, 'America/Santiago')).toBe('2024-09-08');
    expect(localDateOf(start - 1, 'America/Santiago')).toBe('2024-09-07');
  });
});

describe('arguments', () => {
  it('parses the documented flags', () => {
    expect(parseE2eArgs(['--users', '3', '--hours', '1.5', '--recordings', '/r', '--faults', '5xx=0.3', '--env', 'A=b=c'])).toMatchObject({
      users: 3,
      hours: 1.5,
      recordings: '/r',
      faults: { serverErrorRate: 0.3 },
      env: { A: 'b=c' },
    });
    expect(parseE2eArgs([], { users: 2, hours: 3 })).toMatchObject({ users: 2, hours: 3 });
  });

  it('parses every fault kind and rejects nonsense', () => {
    expect(parseFaults('5xx=0.3,429=0.1,401=0.01,drop=0.02,drop-mid=0.03,corrupt=0.04,truncate=0.05,delay=10-200')).toEqual({
      serverErrorRate: 0.3,
      rateLimitRate: 0.1,
      unauthorizedRate: 0.01,
      dropBeforeHeadersRate: 0.02,
      dropMidBodyRate: 0.03,
      corruptRate: 0.04,
      truncateRate: 0.05,
      delayMs: [10, 200],
    });
    expect(() => parseFaults('5xx=2')).toThrow(/probability/);
    expect(() => parseFaults('teapot=0.1')).toThrow(/unknown fault/);
    expect(() => parseE2eArgs(['--users', '0'])).toThrow(/positive integer/);
    expect(() => parseE2eArgs(['--bogus'])).toThrow(/unknown argument/);
  });
});

describe('Limitless proxy', () => {
  it('passes requests through and corrupts only the marked windows of the marked key', async () => {
    const body = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(20_000, 7)]);
    const upstream = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'audio/ogg', 'Content-Length': body.length, 'X-Path': req.url ?? '' });
      res.end(body);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const proxy = await startLimitlessProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    try {
      proxy.corruptWindow(1000, 'k1', 'not-ogg');
      proxy.corruptWindow(2000, undefined, 'damaged');
      const get = async (start: number, key: string) => {
        const res = await fetch(`${proxy.url}/v1/download-audio?startMs=${start}&endMs=${start + 1000}`, { headers: { 'X-API-Key': key } });
        return { status: res.status, path: res.headers.get('x-path'), bytes: Buffer.from(await res.arrayBuffer()) };
      };
      const plain = await get(1000, 'k2');
      expect(plain.status).toBe(200);
      expect(plain.path).toBe('/v1/download-audio?startMs=1000&endMs=2000');
      expect(plain.bytes.equals(body)).toBe(true);

      const notOgg = await get(1000, 'k1');
      expect(notOgg.bytes.subarray(0, 6).toString()).toBe('NotOgg');

      const damaged = await get(2000, 'k2');
      expect(damaged.bytes.length).toBe(body.length);
      expect(damaged.bytes.subarray(0, 4).toString()).toBe('OggS');
      expect(damaged.bytes.equals(body)).toBe(false);
      expect(proxy.corruptedRequests()).toBe(2);
    } finally {
      await proxy.stop();
      await new Promise<void>((r) => upstream.close(() => r()));
    }
  });
});
