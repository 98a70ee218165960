/**
 * A browser-like client of the gateway's HTTP API (docs/api.md) for scripts: keeps the session
 * cookies the gateway sets and sends the CSRF cookie's value back in `X-CSRF-Token` on
 * state-changing requests, as the web app does. Node's fetch keeps no cookies, hence this.
 */

/** Session cookies are scoped to /api; the CSRF cookie is readable by page scripts. */
const CSRF_COOKIE = 'giggles_csrf';
const CSRF_HEADER = 'X-CSRF-Token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class GatewayHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} → ${status}: ${body.slice(0, 500)}`);
    this.name = 'GatewayHttpError';
  }
}

export interface GatewayMe {
  id: string;
  email: string;
  timezone: string;
  key: { state: string };
}

export class GatewayClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** POST /api/account: a new account, signed in. */
  async register(email: string, password: string, timezone: string): Promise<GatewayMe> {
    return (await this.json<{ user: GatewayMe }>('POST', '/api/account', { email, password, timezone })).user;
  }

  /** POST /api/session: signs in with e-mail and password. */
  async signIn(email: string, password: string): Promise<GatewayMe> {
    return (await this.json<{ user: GatewayMe }>('POST', '/api/session', { email, password })).user;
  }

  /** PUT /api/limitless-key: the gateway checks the key against Limitless, encrypts and stores it. */
  async saveLimitlessKey(apiKey: string): Promise<{ state: string }> {
    return this.json('PUT', '/api/limitless-key', { apiKey });
  }

  /** A JSON request; throws GatewayHttpError unless the status is 2xx. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new GatewayHttpError(method, path, res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Any request with this client's cookies (and CSRF header when needed); the caller reads the response. */
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.cookies.size > 0) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get(CSRF_COOKIE);
    if (csrf && UNSAFE_METHODS.has(method)) all[CSRF_HEADER] = csrf;
    if (body !== undefined) all['content-type'] = 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: all,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    this.keepCookies(res);
    return res;
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
