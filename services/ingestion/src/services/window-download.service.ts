import { Inject, Injectable } from '@nestjs/common';
import type { ErrorInfo, LimitlessCall } from '@giggles/contracts';
import type { IngestionConfig } from '../config/ingestion-config';
import { fullJitterDelay, retryAfterMs, type RetryPolicy } from '../domain/retry-policy';
import type { Clock } from '../domain/token-bucket';
import type { TimeWindow } from '../domain/window-planner';
import type { IngestionLogger } from '../logging/logger';
import { AUDIO_STORE, CLOCK, INGESTION_SETTINGS, LIMITLESS_API, LOGGER, RANDOM } from '../tokens';
import { IngestionMetrics } from './ingestion-metrics';
import { LimitlessTransportError, type AudioStore, type LimitlessApi, type LimitlessResponse } from './ports';

/** What became of one window. */
export type WindowResult =
  | { kind: 'audio'; bytes: number; calls: LimitlessCall[] }
  | { kind: 'outcome'; status: 'empty' | 'gap' | 'failed'; error?: ErrorInfo; calls: LimitlessCall[] }
  | { kind: 'key-invalid'; message: string; calls: LimitlessCall[] };

export interface WindowRequest {
  apiKey: string;
  window: TimeWindow;
  objectName: string;
  metadata: Record<string, string>;
  /** Aborts waits (backoff, rate limit) — set when shutdown begins. */
  waitSignal?: AbortSignal;
  /** Aborts I/O in progress — set when the shutdown grace period is over. */
  ioSignal?: AbortSignal;
}

const OGG_MAGIC = Buffer.from('OggS', 'latin1');
/** Gap code for a window whose every request got no HTTP response (the API is down or gone). */
export const API_UNREACHABLE = 'api_unreachable';
const MAX_ERROR_CHARS = 2_000;

export function retryPolicyFrom(config: IngestionConfig): RetryPolicy {
  return {
    baseMs: config.retryBaseMs,
    capMs: config.retryCapMs,
    maxAttempts: config.maxAttempts,
    maxRetryAfterMs: config.maxRetryAfterMs,
    maxRateLimited: config.maxRateLimited,
    defaultRetryAfterMs: Math.min(60_000, config.maxRetryAfterMs),
  };
}

/**
 * Downloads one window, following LIMITLESS_API.md status by status:
 * 200 → must start with `OggS`, streamed straight into the object store; 404 → empty (or a gap while
 * the window is too recent to be sure); 401/403 → key invalid; 400 → failed, never retried; 429 →
 * wait as told, retry (bounded); 5xx/408/timeouts/resets → full-jitter backoff, bounded, then a gap.
 * Every call is recorded as a `LimitlessCall`. Object-store failures are thrown: the job is retried.
 */
@Injectable()
export class WindowDownloadService {
  private readonly policy: RetryPolicy;

  constructor(
    @Inject(LIMITLESS_API) private readonly limitless: LimitlessApi,
    @Inject(AUDIO_STORE) private readonly store: AudioStore,
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RANDOM) private readonly random: () => number,
    @Inject(LOGGER) private readonly logger: IngestionLogger,
    @Inject(IngestionMetrics) private readonly metrics: IngestionMetrics,
  ) {
    this.policy = retryPolicyFrom(config);
  }

  async download(req: WindowRequest): Promise<WindowResult> {
    const calls: LimitlessCall[] = [];
    let failedAttempts = 0;
    let rateLimited = 0;
    const log = this.logger.child({ windowStartMs: req.window.startMs, windowEndMs: req.window.endMs });
    for (;;) {
      throwIfAborted(req.ioSignal);
      const attempt = await this.attempt(req, calls);
      switch (attempt.kind) {
        case 'done':
          return attempt.result;
        case 'rate-limited': {
          rateLimited++;
          if (rateLimited > this.policy.maxRateLimited) {
            return this.gap(calls, 'rate_limited', `still rate limited after ${this.policy.maxRateLimited} waits (429)`);
          }
          log.warn({ waitMs: attempt.waitMs, rateLimited }, 'Limitless rate limit (429): waiting as told');
          this.metrics.limitlessRetries.inc({ reason: 'rate_limited' });
          this.limitless.pauseKey(req.apiKey, this.clock.now() + attempt.waitMs);
          break; // the next request waits in the rate limiter until the pause is over
        }
        case 'transient': {
          failedAttempts++;
          if (failedAttempts >= this.policy.maxAttempts) {
            // No HTTP answer at all, every attempt (refused, timeout, reset): the API is unreachable,
            // not merely failing — the scheduler pauses users whose jobs only ever see this.
            const unreachable = calls.length > 0 && calls.every((call) => call.status === 0);
            log.warn({ attempts: failedAttempts, err: attempt.message, unreachable }, 'Limitless unavailable for this window: recording a gap');
            return this.gap(calls, unreachable ? API_UNREACHABLE : 'limitless_unavailable', `${failedAttempts} attempts failed; last: ${attempt.message}`);
          }
          const delay = fullJitterDelay(failedAttempts, this.policy, this.random);
          log.warn({ attempt: failedAttempts, retryInMs: delay, err: attempt.message }, 'Limitless request failed: retrying');
          this.metrics.limitlessRetries.inc({ reason: 'transient' });
          await this.clock.sleep(delay, req.waitSignal);
          break;
        }
      }
    }
  }

  private gap(calls: LimitlessCall[], code: string, message: string): WindowResult {
    return { kind: 'outcome', status: 'gap', error: { code, message: clip(message) }, calls };
  }

  private async attempt(
    req: WindowRequest,
    calls: LimitlessCall[],
  ): Promise<{ kind: 'done'; result: WindowResult } | { kind: 'rate-limited'; waitMs: number } | { kind: 'transient'; message: string }> {
    let sentAt = this.clock.now();
    const record = (status: number, bytes: number, error?: string): LimitlessCall => {
      const call: LimitlessCall = {
        status,
        durationMs: Math.max(0, this.clock.now() - sentAt),
        bytes,
        at: new Date(sentAt).toISOString(),
        ...(error ? { error: scrub(error, req.apiKey) } : {}),
      };
      calls.push(call);
      this.metrics.limitlessRequests.inc({ status: String(status) });
      this.metrics.limitlessDuration.observe({ status: String(status) }, call.durationMs / 1000);
      return call;
    };

    let response: LimitlessResponse;
    try {
      response = await this.limitless.downloadAudio(req.apiKey, req.window, { wait: req.waitSignal, io: req.ioSignal });
    } catch (error) {
      if (!(error instanceof LimitlessTransportError)) throw error; // shutdown abort or a bug
      sentAt = error.sentAt;
      record(0, 0, error.message);
      return { kind: 'transient', message: error.message };
    }
    sentAt = response.sentAt;

    const status = response.status;
    if (status === 200) return this.store200(req, response, record, calls);

    const text = await readErrorBody(response);
    const error = scrub(clip(`HTTP ${status}: ${text.message || '(no body)'}`), req.apiKey);
    record(status, response.bytesReceived(), error);
    if (status === 404) {
      if (req.window.endMs > this.clock.now() - this.config.settleMs) {
        return done({ kind: 'outcome', status: 'gap', error: { code: 'not_yet_available', message: 'no audio yet for a recent window; a later run retries' }, calls });
      }
      return done({ kind: 'outcome', status: 'empty', calls });
    }
    if (status === 401 || status === 403) return done({ kind: 'key-invalid', message: error, calls });
    if (status === 400) {
      this.logger.error({ windowStartMs: req.window.startMs, windowEndMs: req.window.endMs, status, error }, 'Limitless rejected our request (400): a bug on our side');
      return done({ kind: 'outcome', status: 'failed', error: { code: 'bad_request', message: error }, calls });
    }
    if (status === 429) {
      const waitMs = retryAfterMs(text.retryAfter, response.retryAfterHeader, {
        defaultMs: this.policy.defaultRetryAfterMs,
        maxMs: this.policy.maxRetryAfterMs,
        nowMs: this.clock.now(),
      });
      return { kind: 'rate-limited', waitMs };
    }
    if (status === 408 || (status >= 500 && status <= 599)) return { kind: 'transient', message: error };
    this.logger.error({ windowStartMs: req.window.startMs, status, error }, 'unexpected Limitless status');
    return done({ kind: 'outcome', status: 'failed', error: { code: 'unexpected_status', message: error }, calls });
  }

  /** 200: check the Ogg magic, then stream the body into the object store without buffering it. */
  private async store200(
    req: WindowRequest,
    response: LimitlessResponse,
    record: (status: number, bytes: number, error?: string) => LimitlessCall,
    calls: LimitlessCall[],
  ): Promise<{ kind: 'done'; result: WindowResult } | { kind: 'transient'; message: string }> {
    const source = new TrackedSource(response.body);
    let head: Buffer;
    try {
      head = await source.peek(OGG_MAGIC.length);
    } catch (error) {
      if (!(error instanceof LimitlessTransportError)) throw error;
      record(200, response.bytesReceived(), error.message);
      return { kind: 'transient', message: error.message };
    }
    if (head.length < OGG_MAGIC.length || !head.subarray(0, OGG_MAGIC.length).equals(OGG_MAGIC)) {
      await response.discard();
      const message = `response is not Ogg audio (got content-type ${response.contentType ?? 'none'}, first bytes ${describeBytes(head)})`;
      record(200, response.bytesReceived(), message);
      this.logger.error({ windowStartMs: req.window.startMs, windowEndMs: req.window.endMs, contentType: response.contentType }, message);
      return done({ kind: 'outcome', status: 'failed', error: { code: 'not_ogg', message }, calls });
    }
    let stored: { size: number };
    try {
      stored = await this.store.put(req.objectName, source, req.metadata);
    } catch (error) {
      await response.discard();
      if (source.failure instanceof LimitlessTransportError) {
        record(200, response.bytesReceived(), source.failure.message);
        return { kind: 'transient', message: source.failure.message };
      }
      throw source.failure ?? error; // the object store failed (or shutdown aborted the download)
    }
    if (stored.size !== source.bytes) {
      throw new Error(`stored ${stored.size} bytes for ${req.objectName} but received ${source.bytes}`);
    }
    record(200, source.bytes);
    this.metrics.audioBytes.inc(source.bytes);
    return done({ kind: 'audio', bytes: source.bytes, calls });
  }
}

function done(result: WindowResult): { kind: 'done'; result: WindowResult } {
  return { kind: 'done', result };
}

/**
 * The response body as the object store's source: the first bytes can be peeked (the Ogg check)
 * and are then replayed; a failure of the body is remembered, so a dropped download is told apart
 * from an object-store failure when the put rejects.
 */
class TrackedSource implements AsyncIterable<Uint8Array> {
  failure: unknown;
  bytes = 0;
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly buffered: Uint8Array[] = [];

  constructor(body: AsyncIterable<Uint8Array>) {
    this.iterator = body[Symbol.asyncIterator]();
  }

  /** Reads until at least `n` bytes are buffered (or the body ends); returns what is buffered. */
  async peek(n: number): Promise<Buffer> {
    let size = this.buffered.reduce((total, chunk) => total + chunk.length, 0);
    while (size < n) {
      const next = await this.next();
      if (next.done) break;
      this.buffered.push(next.value);
      size += next.value.length;
    }
    return Buffer.concat(this.buffered);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    while (this.buffered.length > 0) {
      const chunk = this.buffered.shift() as Uint8Array;
      this.bytes += chunk.length;
      yield chunk;
    }
    for (;;) {
      const next = await this.next();
      if (next.done) return;
      this.bytes += next.value.length;
      yield next.value;
    }
  }

  private async next(): Promise<IteratorResult<Uint8Array>> {
    try {
      return await this.iterator.next();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }
}

async function readErrorBody(response: LimitlessResponse): Promise<{ message: string; retryAfter?: unknown }> {
  let text: string;
  try {
    text = await response.text(4_096);
  } catch (error) {
    return { message: `(body unreadable: ${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    const json = JSON.parse(text) as { error?: unknown; retryAfter?: unknown };
    if (json && typeof json === 'object') {
      return { message: typeof json.error === 'string' ? json.error : text, retryAfter: json.retryAfter };
    }
  } catch {
    // not JSON: report the text
  }
  return { message: text.trim() };
}

/** First bytes as hex plus their printable form, e.g. `3c 21 44 4f ("<!DO")`. */
export function describeBytes(bytes: Buffer): string {
  if (bytes.length === 0) return '(empty body)';
  const head = bytes.subarray(0, 16);
  const hex = [...head].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const printable = head.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return `${hex} ("${printable}")`;
}

function clip(text: string): string {
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

/** Removes the API key should a server ever echo it back in an error. */
function scrub(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
