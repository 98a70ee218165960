import { randomUUID } from 'node:crypto';

/** Where errors go besides the log (an operator's Sentry, or anything speaking its envelope API). */
export interface ErrorTracker {
  capture(error: unknown, context: ErrorContext): void;
  /** Waits for reports still being sent (shutdown). */
  flush(): Promise<void>;
}

export interface ErrorContext {
  service: string;
  traceId?: string;
  spanId?: string;
}

/** Reports sent per minute at most: an error storm must not flood the tracker or the network. */
export const SENTRY_MAX_EVENTS_PER_MINUTE = 30;
/** A report that takes longer is dropped (the log line is what counts). */
export const SENTRY_SEND_TIMEOUT_MS = 5_000;

interface Dsn {
  publicKey: string;
  /** `<scheme>://<host>[:port]<path prefix>/api/<project>/envelope/` */
  envelopeUrl: string;
  raw: string;
}

/** `https://<public key>@<host>[/<path>]/<project id>` → where and how to send envelopes. */
export function parseSentryDsn(dsn: string): Dsn {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new Error('SENTRY_DSN is not a Sentry DSN (https://<public key>@<host>/<project id>)');
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const project = segments.pop();
  if (!/^https?:$/.test(url.protocol) || !url.username || !project || !/^\d+$/.test(project)) {
    throw new Error('SENTRY_DSN is not a Sentry DSN (https://<public key>@<host>/<project id>)');
  }
  const prefix = segments.length ? `/${segments.join('/')}` : '';
  return { publicKey: url.username, envelopeUrl: `${url.protocol}//${url.host}${prefix}/api/${project}/envelope/`, raw: dsn };
}

/**
 * A minimal client of Sentry's documented envelope endpoint (one `event` item per error: type,
 * message, stack frames, the service and trace as tags and trace context). Nothing else is sent —
 * no request data, no environment, no local variables. Fire and forget, bounded per minute.
 */
export class SentryEnvelopeTracker implements ErrorTracker {
  private readonly dsn: Dsn;
  private readonly pending = new Set<Promise<void>>();
  private windowStart = 0;
  private sentInWindow = 0;

  constructor(
    dsn: string,
    private readonly options: { release?: string; environment?: string; fetch?: typeof globalThis.fetch; now?: () => number } = {},
  ) {
    this.dsn = parseSentryDsn(dsn);
  }

  capture(error: unknown, context: ErrorContext): void {
    const now = (this.options.now ?? Date.now)();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    if (this.sentInWindow >= SENTRY_MAX_EVENTS_PER_MINUTE) return;
    this.sentInWindow++;
    const sending = this.send(error, context, now).catch(() => undefined);
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async send(error: unknown, context: ErrorContext, now: number): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    const eventId = randomUUID().replace(/-/g, '');
    const event = {
      event_id: eventId,
      timestamp: now / 1000,
      platform: 'node',
      level: 'error',
      logger: context.service,
      ...(this.options.release ? { release: this.options.release } : {}),
      ...(this.options.environment ? { environment: this.options.environment } : {}),
      tags: { service: context.service, ...(context.traceId ? { trace_id: context.traceId } : {}) },
      ...(context.traceId && context.spanId ? { contexts: { trace: { trace_id: context.traceId, span_id: context.spanId } } } : {}),
      exception: { values: [{ type: err.name, value: err.message, stacktrace: { frames: framesOf(err.stack) } }] },
    };
    const body = [JSON.stringify({ event_id: eventId, sent_at: new Date(now).toISOString(), dsn: this.dsn.raw }), JSON.stringify({ type: 'event' }), JSON.stringify(event)].join('\n');
    await (this.options.fetch ?? globalThis.fetch)(this.dsn.envelopeUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-sentry-envelope',
        'x-sentry-auth': `Sentry sentry_version=7, sentry_client=giggles/0.1, sentry_key=${this.dsn.publicKey}`,
      },
      body,
      signal: AbortSignal.timeout(SENTRY_SEND_TIMEOUT_MS),
    });
  }
}

/** Stack lines → Sentry frames, oldest call first (Sentry's order). */
function framesOf(stack: string | undefined): Array<{ function?: string; filename?: string; lineno?: number; colno?: number }> {
  const frames = [];
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
    if (match) frames.push({ ...(match[1] ? { function: match[1] } : {}), filename: match[2], lineno: Number(match[3]), colno: Number(match[4]) });
  }
  return frames.reverse();
}

/** SENTRY_DSN set → a tracker (SENTRY_RELEASE, SENTRY_ENVIRONMENT optional); unset → none. */
export function errorTrackerFromEnv(env: NodeJS.ProcessEnv = process.env): ErrorTracker | undefined {
  const dsn = env['SENTRY_DSN']?.trim();
  if (!dsn) return undefined;
  return new SentryEnvelopeTracker(dsn, { release: env['SENTRY_RELEASE'] || undefined, environment: env['SENTRY_ENVIRONMENT'] || undefined });
}
