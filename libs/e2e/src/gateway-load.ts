import autocannon from 'autocannon';

/** One kind of request in the mix: its share of the rate and how to make the next one. */
export interface LoadKind {
  kind: string;
  /** Share of the total rate (the shares are normalised). */
  weight: number;
  /** The next request of this kind (path and headers; always GET). */
  next: () => { path: string; headers: Record<string, string> };
}

export interface LoadOptions {
  /** Base URL on loopback, e.g. http://127.0.0.1:8080 (anything else is refused). */
  url: string;
  /** Requests per second of all kinds together. */
  rate: number;
  durationS: number;
  /** Per-request deadline (s); a request past it counts as an error. */
  timeoutS?: number;
  kinds: LoadKind[];
}

export interface LoadResult {
  targetRate: number;
  achievedRate: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  statusCounts: Record<string, number>;
  /** p99 per request kind. */
  p99MsByKind: Record<string, number>;
}

/**
 * autocannon's fixed rate spreads a rate over its connections, each sending its share of a second
 * back to back from the start of that second; a connection carrying more than this many a second
 * would queue behind its own requests and measure itself, not the server.
 */
const REQUESTS_PER_CONNECTION = 20;

/**
 * The mix at a fixed total rate for a bounded time: one autocannon instance per kind, all at
 * once, each at its share of the rate (so every response is known to be of its kind), every
 * response's time recorded here (exact p50/p95/p99 overall and per kind; autocannon's own
 * histogram has no p95).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  if (!/^127\.\d+\.\d+\.\d+$|^localhost$|^\[::1\]$/.test(target.hostname)) throw new Error(`load goes to loopback only, not ${target.hostname}`);
  const totalWeight = options.kinds.reduce((sum, k) => sum + k.weight, 0);
  const times: number[] = [];
  const statusCounts: Record<string, number> = {};
  const p99MsByKind: Record<string, number> = {};
  let errors = 0;
  let elapsedS = options.durationS;
  await Promise.all(
    options.kinds.map(async (kind) => {
      const rate = Math.max(1, Math.round((options.rate * kind.weight) / totalWeight));
      const own: number[] = [];
      const result = await new Promise<autocannon.AutocannonResult>((resolve, reject) => {
        const instance = autocannon(
          {
            url: options.url,
            connections: Math.max(2, Math.ceil(rate / REQUESTS_PER_CONNECTION)),
            duration: options.durationS,
            overallRate: rate,
            timeout: options.timeoutS ?? 10,
            requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', ...kind.next() }) }],
          },
          (error, res) => (error ? reject(error) : resolve(res)),
        );
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          own.push(responseTime);
          statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
          if (statusCode < 200 || statusCode >= 300) errors++;
        });
      });
      errors += result.errors;
      elapsedS = Math.max(elapsedS, result.duration);
      p99MsByKind[kind.kind] = percentile(own.sort((a, b) => a - b), 99);
      times.push(...own);
    }),
  );
  times.sort((a, b) => a - b);
  return {
    targetRate: options.rate,
    achievedRate: round1(times.length / Math.max(1, elapsedS)),
    requests: times.length,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
    maxMs: round1(times[times.length - 1] ?? 0),
    errors,
    statusCounts,
    p99MsByKind,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round1(sorted[rank]);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
