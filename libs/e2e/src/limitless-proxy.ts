import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';

/**
 * A pass-through HTTP proxy in front of the Limitless simulator that can damage chosen windows:
 * every `download-audio` request for a window starting at a marked instant (of a marked key, or
 * of any key) gets a bad body. The simulator's own faults are per request (the next N requests,
 * or a rate); the end-to-end scenarios need "this window is corrupt, however often it is
 * retried", which only a rule keyed by the window gives.
 *
 * - `not-ogg`: a 200 `audio/ogg` body of random bytes (what the simulator's corrupt fault sends);
 * - `damaged`: the real Ogg stream with 4 KiB overwritten by random bytes 60% of the way in, so
 *   it starts like audio and breaks mid-stream (only decoding finds it);
 * - `unavailable`: 503 with the API's JSON error body on every attempt (the window ends up a gap
 *   until the rule is cleared).
 */
export type WindowDamage = 'not-ogg' | 'damaged' | 'unavailable';

export interface LimitlessProxy {
  url: string;
  /** From now on, download-audio for the window starting at `startMs` returns a bad body. */
  corruptWindow(startMs: number, apiKey?: string, kind?: WindowDamage): void;
  clearRules(): void;
  /** download-audio requests answered with a corrupt body so far. */
  corruptedRequests(): number;
  /**
   * Requests the services sent toward Limitless so far (every endpoint; counted here, so also
   * while the simulator behind is down), of one key or of all.
   */
  requests(apiKey?: string): number;
  stop(): Promise<void>;
}

export async function startLimitlessProxy(targetUrl: string): Promise<LimitlessProxy> {
  const target = new URL(targetUrl);
  const rules: Array<{ startMs: number; apiKey?: string; kind: WindowDamage }> = [];
  const sockets = new Set<Socket>();
  let corrupted = 0;
  const requestsByKey = new Map<string, number>();

  const corruptBody = (res: ServerResponse) => {
    const junk = randomBytes(4096);
    junk.write('NotOgg', 0, 'latin1');
    res.writeHead(200, { 'Content-Type': 'audio/ogg', 'Content-Disposition': 'inline; filename="audio.ogg"', 'Content-Length': junk.length });
    res.end(junk);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, damage = false) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (up) => {
        if (damage && up.statusCode === 200) return damageBody(up, res);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        // The simulator dropped the connection mid-body: drop ours too, so the client sees the same fault.
        up.on('aborted', () => res.destroy());
        up.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.socket?.destroy();
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const damageBody = (up: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    up.on('data', (c: Buffer) => chunks.push(c));
    up.on('error', () => res.destroy());
    up.on('end', () => {
      const body = Buffer.concat(chunks);
      const at = Math.floor(body.length * 0.6);
      randomBytes(4096).copy(body, at);
      const headers = { ...up.headers, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      res.writeHead(200, headers);
      res.end(body);
    });
  };

  const server = createServer((req, res) => {
    const requestKey = String(req.headers['x-api-key'] ?? '');
    requestsByKey.set(requestKey, (requestsByKey.get(requestKey) ?? 0) + 1);
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === '/v1/download-audio') {
      const startMs = Number(url.searchParams.get('startMs'));
      const key = req.headers['x-api-key'];
      const hit = rules.find((r) => r.startMs === startMs && (r.apiKey === undefined || r.apiKey === key));
      if (hit) {
        corrupted++;
        if (hit.kind === 'damaged') return forward(req, res, true);
        req.resume();
        if (hit.kind === 'unavailable') {
          res.writeHead(503, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify({ error: 'Service Unavailable' }));
        }
        return corruptBody(res);
      }
    }
    forward(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    corruptWindow: (startMs, apiKey, kind = 'not-ogg') => void rules.push({ startMs, apiKey, kind }),
    clearRules: () => void (rules.length = 0),
    corruptedRequests: () => corrupted,
    requests: (apiKey) => (apiKey === undefined ? [...requestsByKey.values()].reduce((a, b) => a + b, 0) : requestsByKey.get(apiKey) ?? 0),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
