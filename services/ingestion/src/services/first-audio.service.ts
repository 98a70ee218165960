import { Inject, Injectable } from '@nestjs/common';
import type { FirstAudioReply, FirstAudioRequest, ProbeReply } from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import type { IngestionLogger } from '../logging/logger';
import { LIMITLESS_API, LOGGER } from '../tokens';
import { ApiKeyService } from './api-key.service';
import { LimitlessTransportError, type LimitlessApi } from './ports';

const DAY_MS = 86_400_000;
const WINDOW_MS = 7_200_000;
/**
 * Order in which a day's twelve 2-hour UTC windows are asked when only "does this day have audio?"
 * matters: the middle of the day first, where someone wearing a pendant most likely recorded.
 */
const PROBE_ORDER = [6, 5, 7, 4, 8, 3, 9, 2, 10, 1, 11, 0];

/** What a day's search found: audio (the start of the window that had it) or none. */
type DayProbe = { audioAtMs: number } | { audioAtMs?: undefined };

/**
 * Finds a user's first recorded instant with as few Limitless requests as possible, and answers
 * cheap reachability probes. Each request goes through the key's rate limiter like a download.
 *
 * 1. `GET /v1/lifelogs?direction=asc&limit=1` (from `notBeforeMs`): the oldest lifelog's start —
 *    one request.
 * 2. When that endpoint gives nothing usable (an error, or no lifelogs: audio may exist without
 *    transcripts), a binary search over days on `download-audio` 404s: a day "has audio" when one
 *    of its 2-hour windows answers 200 (middle of the day first; the body is never read). The
 *    search assumes that once the pendant was in use, most days have audio: it finds a day with
 *    audio whose probed predecessor had none — a gap of unworn days around a probe point can hide
 *    older recordings, which is why `giggles backfill --from` exists. About log2(days) days of at
 *    most 12 requests each, then the found day's windows in order to pin the first instant.
 */
@Injectable()
export class FirstAudioService {
  constructor(
    @Inject(LIMITLESS_API) private readonly limitless: LimitlessApi,
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(LOGGER) private readonly logger: IngestionLogger,
  ) {}

  async firstAudio(request: FirstAudioRequest): Promise<FirstAudioReply> {
    const apiKey = await this.activeKey(request.userId);
    const counter = { requests: 0 };
    const fromLifelogs = await this.fromLifelogs(apiKey, request, counter);
    if (fromLifelogs !== undefined) {
      return fromLifelogs >= request.notAfterMs
        ? { method: 'lifelogs', requests: counter.requests }
        : { method: 'lifelogs', requests: counter.requests, atMs: Math.max(fromLifelogs, request.notBeforeMs) };
    }
    const atMs = await this.search(apiKey, request, counter);
    this.logger.info({ userId: request.userId, requests: counter.requests, found: atMs !== undefined }, 'first audio searched on download-audio');
    return atMs === undefined ? { method: 'none', requests: counter.requests } : { method: 'search', requests: counter.requests, atMs };
  }

  /** One lifelogs request with the user's key: did Limitless answer at all? */
  async probe(userId: string): Promise<ProbeReply> {
    const apiKey = await this.activeKey(userId);
    try {
      const response = await this.limitless.lifelogs(apiKey, { limit: '1' });
      await response.discard();
      return { reachable: true, status: response.status };
    } catch (error) {
      if (!(error instanceof LimitlessTransportError)) throw error;
      return { reachable: false, status: 0, error: error.message.slice(0, 2_000) };
    }
  }

  private async activeKey(userId: string): Promise<string> {
    let key;
    try {
      key = await this.keys.keyFor(userId);
    } catch (error) {
      throw QueryError.notFound(error instanceof Error ? error.message : String(error));
    }
    if (key.status === 'invalid') throw new QueryError('key_invalid', 'the stored Limitless API key is marked invalid; add a new key first');
    return key.apiKey;
  }

  /** The oldest lifelog's start, or undefined when the endpoint gives nothing usable. */
  private async fromLifelogs(apiKey: string, request: FirstAudioRequest, counter: { requests: number }): Promise<number | undefined> {
    const query: Record<string, string> = { direction: 'asc', limit: '1' };
    if (request.notBeforeMs > 0) query.start = new Date(request.notBeforeMs).toISOString();
    counter.requests++;
    try {
      const response = await this.limitless.lifelogs(apiKey, query);
      if (response.status === 401 || response.status === 403) {
        await response.discard();
        throw new QueryError('key_invalid', `Limitless rejected the API key (${response.status})`);
      }
      if (response.status !== 200) {
        await response.discard();
        return undefined;
      }
      const body = JSON.parse(await response.text(64 * 1024)) as { data?: { lifelogs?: { startTime?: unknown }[] } };
      const startTime = body.data?.lifelogs?.[0]?.startTime;
      const ms = typeof startTime === 'string' ? Date.parse(startTime) : Number.NaN;
      return Number.isFinite(ms) ? ms : undefined;
    } catch (error) {
      if (error instanceof QueryError) throw error;
      if (error instanceof LimitlessTransportError) throw new QueryError('api_unreachable', `Limitless did not answer: ${error.message}`);
      return undefined; // unparsable body: fall back to the search
    }
  }

  /** Binary search over UTC days in [notBefore, notAfter) for the oldest day with audio. */
  private async search(apiKey: string, request: FirstAudioRequest, counter: { requests: number }): Promise<number | undefined> {
    const firstDay = Math.floor(request.notBeforeMs / DAY_MS);
    const lastDay = Math.floor((request.notAfterMs - 1) / DAY_MS);
    let lo = firstDay;
    let hi = lastDay;
    let found: number | undefined;
    // Invariant: days after `found` are not older; the answer is in [lo, found].
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const probe = await this.dayHasAudio(apiKey, mid, request, counter, false);
      if (probe.audioAtMs !== undefined) {
        found = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    if (found === undefined) return undefined;
    return (await this.dayHasAudio(apiKey, found, request, counter, true)).audioAtMs;
  }

  private async dayHasAudio(apiKey: string, day: number, request: FirstAudioRequest, counter: { requests: number }, chronological: boolean): Promise<DayProbe> {
    const order = chronological ? [...PROBE_ORDER].sort((a, b) => a - b) : PROBE_ORDER;
    for (const slot of order) {
      const startMs = Math.max(day * DAY_MS + slot * WINDOW_MS, request.notBeforeMs);
      const endMs = Math.min(day * DAY_MS + (slot + 1) * WINDOW_MS, request.notAfterMs);
      if (endMs <= startMs) continue;
      counter.requests++;
      let status: number;
      try {
        const response = await this.limitless.downloadAudio(apiKey, { startMs, endMs });
        status = response.status;
        await response.discard(); // only whether there is audio matters, never the audio
      } catch (error) {
        if (error instanceof LimitlessTransportError) throw new QueryError('api_unreachable', `Limitless did not answer: ${error.message}`);
        throw error;
      }
      if (status === 200) return { audioAtMs: startMs };
      if (status === 401 || status === 403) throw new QueryError('key_invalid', `Limitless rejected the API key (${status})`);
      if (status !== 404) throw new QueryError('api_unreachable', `Limitless answered ${status} while searching for the first day with audio; try again later or give --from`);
    }
    return {};
  }
}
