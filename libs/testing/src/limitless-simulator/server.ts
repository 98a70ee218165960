import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { cutWindow, type GapMode } from './ogg-cut';
import { type Fault, FaultPlan, type FaultRates } from './faults';
import { SlidingWindowRateLimiter } from './rate-limit';
import { lifelogPage } from './lifelogs';
import { hashKey, type LimitlessRequest } from './request-log';
import { loadOpusRecording } from './recording';
import { seededRng } from './rng';
import { oggFilesIn, type Placement, placeBackToBack, Timeline } from './timeline';

/** Longest window the API serves: 2 hours (exactly 2 h is allowed). */
export const MAX_WINDOW_MS = 7_200_000;

export interface LimitlessSimulatorOptions {
  /** Port to listen on (default: a free port chosen by the OS). */
  port?: number;
  host?: string;
  /** Keys accepted from the start (keys given to addRecording are accepted too). */
  keys?: string[];
  /** Requests per minute per key, all endpoints together (default 180). */
  rateLimitPerMinute?: number;
  /** Whether a 429 carries a Retry-After header besides the body's retryAfter (default sometimes). */
  retryAfterHeader?: 'always' | 'never' | 'sometimes';
  /** How gaps between recordings inside a window are served (default silence; see ogg-cut.ts). */
  gaps?: GapMode;
  /** Send Content-Length on audio (default true); false streams with chunked encoding. */
  contentLength?: boolean;
  /** Seed of the RNG behind fault rates and Retry-After choice (default 1). */
  seed?: number;
  /** Clock for the rate limit (default Date.now). */
  now?: () => number;
}

export interface LimitlessSimulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  addKey(key: string): void;
  /** Later requests with this key get 401. */
  revokeKey(key: string): void;
  /** Places an Ogg Opus file on the key's timeline at an absolute instant (epoch ms). */
  addRecording(key: string, startMs: number, oggPath: string): Placement;
  /**
   * Places a directory's .ogg files (sorted by name) or a list of files back to back from
   * `fromMs`, repeating until `hours` are filled, with optional `gapMs` between recordings.
   */
  placeRecordings(
    key: string,
    dirOrFiles: string | string[],
    fromMs: number,
    hours: number,
    options?: { gapMs?: number },
  ): Placement[];
  timeline(key: string): readonly Placement[];
  /** Faults for one key, or for every key when key is omitted. */
  setFaultRates(rates: FaultRates, key?: string): void;
  /** Scripted faults for the next requests (of one key, or of any key when key is omitted). */
  queueFaults(faults: Fault[], key?: string): void;
  clearFaults(key?: string): void;
  resetRateLimit(key?: string): void;
  requests(): readonly LimitlessRequest[];
  clearRequests(): void;
  stop(): Promise<void>;
}

interface RequestContext {
  /** The request's API key ('' until it is known). */
  key: string;
  started: number;
  entry: LimitlessRequest;
  log: LimitlessRequest[];
}

export async function startLimitlessSimulator(options: LimitlessSimulatorOptions = {}): Promise<LimitlessSimulator> {
  const keys = new Set(options.keys ?? []);
  const timelines = new Map<string, Timeline>();
  const keyFaults = new Map<string, FaultPlan>();
  const globalFaults = new FaultPlan();
  const rng = seededRng(options.seed ?? 1);
  const limiter = new SlidingWindowRateLimiter(options.rateLimitPerMinute ?? 180, 60_000, options.now);
  const log: LimitlessRequest[] = [];
  const sockets = new Set<Socket>();
  const gaps = options.gaps ?? 'silence';
  const sendLength = options.contentLength ?? true;
  const retryHeader = options.retryAfterHeader ?? 'sometimes';

  const timelineOf = (key: string) => {
    let t = timelines.get(key);
    if (!t) timelines.set(key, (t = new Timeline()));
    return t;
  };
  const faultsOf = (key: string) => {
    let f = keyFaults.get(key);
    if (!f) keyFaults.set(key, (f = new FaultPlan()));
    return f;
  };

  const finish = (ctx: RequestContext, status: number, bytes: number) => {
    ctx.entry.status = status;
    ctx.entry.bytes = bytes;
    ctx.entry.durationMs = Date.now() - ctx.started;
    ctx.log.push(ctx.entry);
  };

  const sendJson = (res: ServerResponse, ctx: RequestContext, status: number, body: unknown, headers = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
    finish(ctx, status, Buffer.byteLength(text));
  };

  const drop = (req: IncomingMessage, ctx: RequestContext, status: number, bytes: number) => {
    req.socket.destroy();
    finish(ctx, status, bytes);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const endpoint =
      url.pathname === '/v1/download-audio' ? 'download-audio' : url.pathname === '/v1/lifelogs' ? 'lifelogs' : 'other';
    const rawKey = req.headers['x-api-key'];
    const key = typeof rawKey === 'string' && rawKey.length > 0 ? rawKey : null;
    const ctx: RequestContext = {
      key: key ?? '',
      started: Date.now(),
      log,
      entry: {
        at: Date.now(),
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        endpoint,
        keyHash: key === null ? null : hashKey(key),
        status: 0,
        bytes: 0,
        durationMs: 0,
        faults: [],
      },
    };

    if (endpoint === 'other') return sendJson(res, ctx, 404, { error: 'Not found' });
    if (req.method !== 'GET') return sendJson(res, ctx, 405, { error: 'Method not allowed' }, { Allow: 'GET' });
    if (key === null) return sendJson(res, ctx, 401, { error: 'Missing API key (X-API-Key header)' });
    if (!keys.has(key)) return sendJson(res, ctx, 401, { error: 'Invalid API key' });

    const decision = limiter.take(key);
    if (!decision.ok) return rateLimited(res, ctx, decision.retryAfterSeconds, undefined);

    const faults = [...globalFaults.next(rng), ...faultsOf(key).next(rng)];
    ctx.entry.faults = faults.map((f) => (f.kind === 'status' ? `status-${f.status}` : f.kind));
    let bodyFault: Fault | undefined;
    for (const fault of faults) {
      switch (fault.kind) {
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          if (req.socket.destroyed) return finish(ctx, 0, 0);
          break;
        case 'drop-before-headers':
          return drop(req, ctx, 0, 0);
        case 'unauthorized':
          return sendJson(res, ctx, 401, { error: 'Invalid API key' });
        case 'rate-limit':
          return rateLimited(res, ctx, fault.retryAfterSeconds ?? 1, fault.header);
        case 'status':
          return sendJson(res, ctx, fault.status, { error: `Simulated ${fault.status}` });
        default:
          bodyFault = fault;
      }
    }

    if (endpoint === 'lifelogs') return lifelogs(res, ctx, url, bodyFault);
    return downloadAudio(req, res, ctx, url, key, bodyFault);
  };

  const rateLimited = (res: ServerResponse, ctx: RequestContext, seconds: number, header: boolean | undefined) => {
    const withHeader = header ?? (retryHeader === 'always' || (retryHeader === 'sometimes' && rng() < 0.5));
    sendJson(
      res,
      ctx,
      429,
      { error: 'Rate limit exceeded', retryAfter: String(seconds) },
      withHeader ? { 'Retry-After': String(seconds) } : {},
    );
  };

  const lifelogs = (res: ServerResponse, ctx: RequestContext, url: URL, fault: Fault | undefined) => {
    const limit = url.searchParams.get('limit');
    if (limit !== null && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 100)) {
      return sendJson(res, ctx, 400, { error: 'limit must be an integer between 1 and 100' });
    }
    if (fault?.kind === 'corrupt' || fault?.kind === 'truncate') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"data":{"lifel');
      return finish(ctx, 200, 15);
    }
    if (fault?.kind === 'drop-mid-body') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 200 });
      res.write('{"data":{');
      return drop(res.req, ctx, 200, 9);
    }
    const page = lifelogPage(timelineOf(ctx.key).list(), url.searchParams);
    if ('error' in page) return sendJson(res, ctx, 400, { error: page.error });
    sendJson(res, ctx, 200, { data: { lifelogs: page.lifelogs }, meta: { lifelogs: { nextCursor: page.nextCursor, count: page.lifelogs.length } } });
  };

  const downloadAudio = async (
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    url: URL,
    key: string,
    fault: Fault | undefined,
  ) => {
    const q = url.searchParams;
    const start = q.get('startMs');
    const end = q.get('endMs');
    const source = q.get('audioSource');
    if (start === null || end === null) return sendJson(res, ctx, 400, { error: 'startMs and endMs are required' });
    if (!/^\d+$/.test(start) || !/^-?\d+$/.test(end)) {
      return sendJson(res, ctx, 400, { error: 'startMs and endMs must be integers (epoch milliseconds)' });
    }
    const startMs = Number(start);
    const endMs = Number(end);
    if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs)) {
      return sendJson(res, ctx, 400, { error: 'startMs and endMs out of range' });
    }
    if (endMs <= startMs) return sendJson(res, ctx, 400, { error: 'endMs must be greater than startMs' });
    if (endMs - startMs > MAX_WINDOW_MS) {
      return sendJson(res, ctx, 400, { error: 'The requested range must not exceed 2 hours' });
    }
    if (source !== null && source !== 'pendant') {
      return sendJson(res, ctx, 400, { error: 'audioSource must be "pendant"' });
    }

    if (fault?.kind === 'corrupt') {
      const junk = Buffer.alloc(4096);
      for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rng() * 256);
      junk.write('NotOgg', 0, 'latin1');
      res.writeHead(200, audioHeaders(junk.length));
      res.end(junk);
      return finish(ctx, 200, junk.length);
    }

    const cut = cutWindow(timelineOf(key).list(), startMs, endMs, { gaps });
    if (!cut) return sendJson(res, ctx, 404, { error: 'No audio found for the requested range' });
    ctx.entry.audioStartMs = cut.audioStartMs;
    ctx.entry.audioEndMs = cut.audioEndMs;
    let pages = cut.pages;
    let total = pages.reduce((n, p) => n + p.length, 0);
    const simHeaders = {
      'X-Sim-Audio-Start-Ms': String(cut.audioStartMs),
      'X-Sim-Audio-End-Ms': String(cut.audioEndMs),
    };

    if (fault?.kind === 'truncate') {
      const whole = Buffer.concat(pages);
      const cutAt = Math.max(60, Math.floor(whole.length / 2) + 13); // mid-page, past the headers
      pages = [whole.subarray(0, cutAt)];
      total = cutAt;
    }
    const dropAfter = fault?.kind === 'drop-mid-body' ? Math.max(1, Math.floor(total / 2)) : Infinity;
    res.writeHead(200, { ...audioHeaders(sendLength ? total : undefined), ...simHeaders });
    let sent = 0;
    for (const page of pages) {
      if (req.socket.destroyed) return finish(ctx, 200, sent);
      if (sent + page.length > dropAfter) {
        await new Promise<void>((r) => res.write(page.subarray(0, dropAfter - sent), () => r()));
        sent = dropAfter;
        return drop(req, ctx, 200, sent);
      }
      sent += page.length;
      if (!res.write(page)) await drainedOrClosed(res);
    }
    res.end();
    finish(ctx, 200, sent);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: `simulator error: ${(err as Error).message}` }));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    addKey: (key) => void keys.add(key),
    revokeKey: (key) => void keys.delete(key),
    addRecording(key, startMs, oggPath) {
      keys.add(key);
      return timelineOf(key).add(startMs, loadOpusRecording(oggPath));
    },
    placeRecordings(key, dirOrFiles, fromMs, hours, opts = {}) {
      keys.add(key);
      const files = typeof dirOrFiles === 'string' ? oggFilesIn(dirOrFiles) : dirOrFiles;
      return placeBackToBack(timelineOf(key), files, fromMs, hours, opts.gapMs ?? 0);
    },
    timeline: (key) => timelineOf(key).list(),
    setFaultRates(rates, key) {
      (key === undefined ? globalFaults : faultsOf(key)).rates = { ...rates };
    },
    queueFaults(faults, key) {
      (key === undefined ? globalFaults : faultsOf(key)).enqueue(...faults);
    },
    clearFaults(key) {
      if (key === undefined) {
        globalFaults.clear();
        keyFaults.clear();
      } else faultsOf(key).clear();
    },
    resetRateLimit: (key) => limiter.reset(key),
    requests: () => log,
    clearRequests: () => void (log.length = 0),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

function audioHeaders(length: number | undefined): Record<string, string | number> {
  const h: Record<string, string | number> = {
    'Content-Type': 'audio/ogg',
    'Content-Disposition': 'inline; filename="audio.ogg"',
  };
  if (length !== undefined) h['Content-Length'] = length;
  return h;
}

/** Resolves when the response can take more (or is gone), leaving no listener behind either way. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
