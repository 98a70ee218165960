import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../net/free-port';
import { type RouterHandle, startRouter } from './start-router';

let upstream: Server;
let upstreamUrl: string;
let router: RouterHandle;

beforeAll(async () => {
  upstream = createServer(async (req, res) => {
    if (req.url?.startsWith('/big')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(64 * 1024, i));
      return res.end();
    }
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const c of req) {
      hash.update(c as Buffer);
      bytes += (c as Buffer).length;
    }
    res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Range': '0-0/1', 'X-Upstream': 'yes' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, bytes, sha: hash.digest('hex') }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  router = await startRouter({ routes: { '/rest/v1': upstreamUrl, '/rest/v1/special': `${upstreamUrl}/deep` } });
});
afterAll(async () => {
  await router?.stop();
  await new Promise((r) => upstream.close(r));
});

describe('router', () => {
  it('strips the prefix and passes method, query and end-to-end headers both ways', async () => {
    const res = await fetch(`${router.url}/rest/v1/items?select=id&id=eq.3`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer t0k', apikey: 'anon', Prefer: 'return=representation', 'Content-Type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-range')).toBe('0-0/1');
    expect(res.headers.get('x-upstream')).toBe('yes');
    const echo = (await res.json()) as { method: string; url: string; headers: Record<string, string>; bytes: number };
    expect(echo.method).toBe('PATCH');
    expect(echo.url).toBe('/items?select=id&id=eq.3');
    expect(echo.headers.authorization).toBe('Bearer t0k');
    expect(echo.headers.apikey).toBe('anon');
    expect(echo.headers.prefer).toBe('return=representation');
    expect(echo.bytes).toBe(7);
  });

  it('uses the longest matching prefix and maps the bare prefix to /', async () => {
    const deep = (await (await fetch(`${router.url}/rest/v1/special/x`)).json()) as { url: string };
    expect(deep.url).toBe('/deep/x');
    const root = (await (await fetch(`${router.url}/rest/v1?a=1`)).json()) as { url: string };
    expect(root.url).toBe('/?a=1');
  });

  it('streams large bodies both ways', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 7);
    const res = await fetch(`${router.url}/rest/v1/upload`, { method: 'POST', body });
    const echo = (await res.json()) as { bytes: number; sha: string };
    expect(echo.bytes).toBe(body.length);
    expect(echo.sha).toBe(createHash('sha256').update(body).digest('hex'));
    const big = Buffer.from(await (await fetch(`${router.url}/rest/v1/big`)).arrayBuffer());
    expect(big.length).toBe(64 * 64 * 1024);
    expect(big[big.length - 1]).toBe(63);
  });

  it('404 for unknown paths, 502 when the upstream is down', async () => {
    const res = await fetch(`${router.url}/storage/v1/object/x`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'no route for /storage/v1/object/x' });
    router.setRoute('/dead', `http://127.0.0.1:${await freePort()}`);
    const dead = await fetch(`${router.url}/dead/x`);
    expect(dead.status).toBe(502);
  });
});
