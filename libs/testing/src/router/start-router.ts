import { createServer } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { proxyRequest } from './proxy';

export interface StartRouterOptions {
  /**
   * Path prefix → upstream base URL. The prefix is stripped: with `{'/rest/v1': 'http://h:3000'}`
   * a request for `/rest/v1/items?x=1` goes to `http://h:3000/items?x=1`. Longest prefix wins.
   */
  routes: Record<string, string>;
  port?: number;
  host?: string;
}

export interface RouterHandle {
  url: string;
  port: number;
  /** Adds or replaces a route while running. */
  setRoute(prefix: string, target: string): void;
  stop(): Promise<void>;
}

/**
 * One port in front of several services, Supabase style: `/rest/v1` → PostgREST, `/auth/v1` → Auth,
 * `/storage/v1` → Storage, so `createClient(router.url, key)` works unchanged.
 */
export async function startRouter(options: StartRouterOptions): Promise<RouterHandle> {
  const routes = new Map<string, URL>();
  const setRoute = (prefix: string, target: string) => routes.set(prefix.replace(/\/$/, ''), new URL(target));
  for (const [prefix, target] of Object.entries(options.routes)) setRoute(prefix, target);
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const raw = req.url ?? '/';
    const match = [...routes.keys()]
      .sort((a, b) => b.length - a.length)
      .find((p) => raw === p || raw.startsWith(`${p}/`) || raw.startsWith(`${p}?`));
    if (match === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `no route for ${raw.split('?')[0]}` }));
      return;
    }
    let rest = raw.slice(match.length);
    if (!rest.startsWith('/')) rest = `/${rest}`;
    proxyRequest(req, res, routes.get(match) as URL, rest);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    setRoute,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
