import { Inject, Injectable } from '@nestjs/common';
import type { IngestionConfig } from '../config/ingestion-config';
import { keyFingerprint, KeyRateLimiter, type Clock } from '../domain/token-bucket';
import type { TimeWindow } from '../domain/window-planner';
import { LimitlessTransportError, type LimitlessApi, type LimitlessResponse, type RequestSignals } from '../services/ports';
import { CLOCK, INGESTION_SETTINGS } from '../tokens';

/**
 * The only code that talks to the Limitless API. Every request first takes a token from the key's
 * rate-limit bucket (180/min per key is shared by all endpoints). Bodies are handed out as streams
 * so a 2-hour window is never held in memory. The key goes in `X-API-Key` and nowhere else.
 */
@Injectable()
export class LimitlessHttpClient implements LimitlessApi {
  private readonly limiter: KeyRateLimiter;
  private readonly baseUrl: string;

  constructor(
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.limiter = new KeyRateLimiter({ perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst }, clock);
    this.baseUrl = config.limitlessApiUrl.replace(/\/+$/, '');
  }

  async downloadAudio(apiKey: string, window: TimeWindow, signals: RequestSignals = {}): Promise<LimitlessResponse> {
    const url = new URL(`${this.baseUrl}/v1/download-audio`);
    url.searchParams.set('startMs', String(window.startMs));
    url.searchParams.set('endMs', String(window.endMs));
    url.searchParams.set('audioSource', 'pendant');
    return this.get(url, apiKey, signals);
  }

  async lifelogs(apiKey: string, query: Record<string, string>, signals: RequestSignals = {}): Promise<LimitlessResponse> {
    const url = new URL(`${this.baseUrl}/v1/lifelogs`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return this.get(url, apiKey, signals);
  }

  pauseKey(apiKey: string, untilMs: number): void {
    this.limiter.pause(keyFingerprint(apiKey), untilMs);
  }

  private async get(url: URL, apiKey: string, signals: RequestSignals): Promise<LimitlessResponse> {
    await this.limiter.acquire(keyFingerprint(apiKey), signals.wait);
    const signal = signals.io;
    const sentAt = Date.now();
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    const release = () => signal?.removeEventListener('abort', onCallerAbort);

    const timeoutMs = this.config.requestTimeoutMs;
    const headersTimer = setTimeout(() => controller.abort(new LimitlessTransportError(`no response within ${timeoutMs} ms (timeout)`, sentAt)), timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'GET',
        headers: { 'X-API-Key': apiKey, Accept: url.pathname.endsWith('/lifelogs') ? 'application/json' : 'audio/ogg, application/json' },
        // A redirect could carry the key to another host: treat it as an unexpected status instead.
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (error) {
      release();
      throw transportError(error, controller.signal, signal, sentAt);
    } finally {
      clearTimeout(headersTimer);
    }
    return new StreamedResponse(response, sentAt, controller, signal, this.config.bodyIdleTimeoutMs, release);
  }
}

/** Maps a fetch failure to what happened: the caller's abort (rethrown as is), our timeout, or a network error. */
function transportError(error: unknown, ours: AbortSignal, caller: AbortSignal | undefined, sentAt: number): Error {
  if (caller?.aborted) return caller.reason instanceof Error ? caller.reason : new Error('aborted');
  if (ours.aborted && ours.reason instanceof LimitlessTransportError) return ours.reason;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new LimitlessTransportError(`request failed: ${detail}`, sentAt);
}

class StreamedResponse implements LimitlessResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly retryAfterHeader: string | null;
  private received = 0;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private finished = false;

  constructor(
    private readonly response: Response,
    readonly sentAt: number,
    private readonly controller: AbortController,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly idleTimeoutMs: number,
    private readonly release: () => void,
  ) {
    this.status = response.status;
    this.contentType = response.headers.get('content-type');
    this.retryAfterHeader = response.headers.get('retry-after');
  }

  get body(): AsyncIterable<Uint8Array> {
    return { [Symbol.asyncIterator]: () => this.chunks() };
  }

  bytesReceived(): number {
    return this.received;
  }

  async text(maxBytes = 8_192): Promise<string> {
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.chunks()) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) break;
    }
    await this.discard();
    return Buffer.concat(parts).subarray(0, maxBytes).toString('utf8');
  }

  async discard(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    this.release();
    try {
      if (this.reader) await this.reader.cancel();
      else await this.response.body?.cancel();
    } catch {
      // already errored or closed
    }
  }

  private async *chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    if (!this.response.body || this.finished) return;
    if (this.reader) throw new Error('response body already read');
    const reader = (this.reader = this.response.body.getReader());
    try {
      for (;;) {
        const timer = setTimeout(
          () => this.controller.abort(new LimitlessTransportError(`connection stalled: no data for ${this.idleTimeoutMs} ms after ${this.received} bytes`, this.sentAt)),
          this.idleTimeoutMs,
        );
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          const mapped = transportError(error, this.controller.signal, this.callerSignal, this.sentAt);
          if (mapped instanceof LimitlessTransportError) mapped.message = `${mapped.message} (after ${this.received} bytes of the body)`;
          throw mapped;
        } finally {
          clearTimeout(timer);
        }
        if (next.done) break;
        this.received += next.value.length;
        yield next.value;
      }
      this.finished = true;
      this.release();
    } finally {
      if (!this.finished) await this.discard();
    }
  }
}
