import type { ArchivedWindow, ArchivedWindowsReply, EmptyArchivedWindow, JobProgress, SegmentReady, UserKeyReply, WindowOutcome, WindowRecord } from '@giggles/contracts';
import { MetricsService } from '@giggles/health';
import type pino from 'pino';
import { Writable } from 'node:stream';
import { INGESTION_CONFIG, type IngestionConfig } from '../src/config/ingestion-config';
import { loadConfig } from '@giggles/config';
import type { Clock } from '../src/domain/token-bucket';
import type { TimeWindow } from '../src/domain/window-planner';
import { createLogger, type IngestionLogger } from '../src/logging/logger';
import { IngestionMetrics } from '../src/services/ingestion-metrics';
import {
  LimitlessTransportError,
  type AudioStore,
  type LimitlessApi,
  type LimitlessResponse,
  type PersistenceQueries,
  type PipelinePublisher,
  type JobPlanStore,
  type RequestSignals,
  type StoredAudio,
  type StoredPlan,
} from '../src/services/ports';

export const ENCRYPTION_KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export function testConfig(env: Record<string, string> = {}): IngestionConfig {
  return loadConfig(INGESTION_CONFIG, { GIGGLES_ENCRYPTION_KEY: ENCRYPTION_KEY_HEX, ...env });
}

/** Virtual time: `sleep` advances the clock at once. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public nowMs = Date.UTC(2025, 0, 20)) {}
  now(): number {
    return this.nowMs;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    this.sleeps.push(ms);
    this.nowMs += ms;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A scripted Limitless response. */
export type Scripted =
  | { status: 200; body: Uint8Array[]; contentType?: string; failAfterChunks?: number }
  | { status: number; json?: unknown; text?: string; retryAfterHeader?: string }
  | { transport: string };

export class FakeLimitless implements LimitlessApi {
  readonly requests: { window: TimeWindow; at: number; apiKey: string }[] = [];
  readonly pauses: { untilMs: number }[] = [];
  private pausedUntil = 0;

  constructor(
    private readonly clock: FakeClock,
    /** Responses per request, in order; the last repeats. Or a function of the window. */
    private readonly script: Scripted[] | ((window: TimeWindow, n: number) => Scripted),
    /** Simulated duration of each request. */
    private readonly latencyMs = 10,
  ) {}

  async downloadAudio(apiKey: string, window: TimeWindow, signals?: RequestSignals): Promise<LimitlessResponse> {
    if (this.clock.now() < this.pausedUntil) await this.clock.sleep(this.pausedUntil - this.clock.now(), signals?.wait);
    const sentAt = this.clock.now();
    this.requests.push({ window, at: sentAt, apiKey });
    const n = this.requests.length - 1;
    const next = typeof this.script === 'function' ? this.script(window, n) : this.script[Math.min(n, this.script.length - 1)];
    this.clock.advance(this.latencyMs);
    if ('transport' in next) throw new LimitlessTransportError(next.transport, sentAt);
    return fakeResponse(next, sentAt);
  }

  /** Lifelogs requests seen, and the answer to each (default: a 200 with no lifelogs). */
  readonly lifelogRequests: Record<string, string>[] = [];
  lifelogsAnswer: (query: Record<string, string>) => Scripted = () => ({ status: 200, json: { data: { lifelogs: [] }, meta: { lifelogs: { nextCursor: null, count: 0 } } } });

  async lifelogs(_apiKey: string, query: Record<string, string>): Promise<LimitlessResponse> {
    const sentAt = this.clock.now();
    this.lifelogRequests.push(query);
    this.clock.advance(this.latencyMs);
    const next = this.lifelogsAnswer(query);
    if ('transport' in next) throw new LimitlessTransportError(next.transport, sentAt);
    return fakeResponse(next, sentAt);
  }

  pauseKey(_apiKey: string, untilMs: number): void {
    this.pauses.push({ untilMs });
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }
}

function fakeResponse(s: Exclude<Scripted, { transport: string }>, sentAt: number): LimitlessResponse {
  let received = 0;
  const chunks: Uint8Array[] =
    'body' in s ? s.body : [Buffer.from('json' in s && s.json !== undefined ? JSON.stringify(s.json) : 'text' in s ? (s.text ?? '') : '')];
  const failAfter = 'failAfterChunks' in s ? s.failAfterChunks : undefined;
  let discarded = false;
  async function* body(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < chunks.length; i++) {
      if (discarded) return;
      if (failAfter !== undefined && i >= failAfter) throw new LimitlessTransportError(`request failed: ECONNRESET (after ${received} bytes of the body)`, sentAt);
      received += chunks[i].length;
      yield chunks[i];
    }
  }
  const iterable = body();
  return {
    sentAt,
    status: s.status,
    contentType: 'body' in s ? (s.contentType ?? 'audio/ogg') : 'application/json',
    retryAfterHeader: 'retryAfterHeader' in s ? (s.retryAfterHeader ?? null) : null,
    body: iterable,
    async text() {
      let out = '';
      for await (const c of iterable) out += Buffer.from(c).toString('utf8');
      return out;
    },
    bytesReceived: () => received,
    async discard() {
      discarded = true;
    },
  };
}

export class MemoryAudioStore implements AudioStore {
  readonly objects = new Map<string, { bytes: Buffer; metadata: Record<string, string>; published: boolean }>();
  failPut: Error | undefined;

  async put(name: string, source: AsyncIterable<Uint8Array>, metadata: Record<string, string>): Promise<{ size: number }> {
    const parts: Uint8Array[] = [];
    for await (const chunk of source) parts.push(chunk);
    if (this.failPut) throw this.failPut;
    const bytes = Buffer.concat(parts);
    this.objects.set(name, { bytes, metadata, published: false });
    return { size: bytes.length };
  }

  async find(name: string): Promise<StoredAudio | undefined> {
    const o = this.objects.get(name);
    return o ? { size: o.bytes.length, published: o.published } : undefined;
  }

  async markPublished(name: string): Promise<void> {
    const o = this.objects.get(name);
    if (o) o.published = true;
  }
}

export class MemoryPlanStore implements JobPlanStore {
  readonly plans = new Map<string, StoredPlan>();
  async get(jobId: string): Promise<StoredPlan | undefined> {
    const plan = this.plans.get(jobId);
    return plan ? structuredClone(plan) : undefined;
  }
  async put(jobId: string, plan: StoredPlan): Promise<void> {
    this.plans.set(jobId, structuredClone(plan));
  }
}

export class MemoryPublisher implements PipelinePublisher {
  readonly segments: SegmentReady[] = [];
  readonly outcomes: WindowOutcome[] = [];
  readonly progress: JobProgress[] = [];
  async segmentReady(p: SegmentReady): Promise<void> {
    this.segments.push(p);
  }
  async windowOutcome(p: WindowOutcome): Promise<void> {
    this.outcomes.push(p);
  }
  async jobProgress(p: JobProgress): Promise<void> {
    this.progress.push(p);
  }
}

export class FakePersistence implements PersistenceQueries {
  done: WindowRecord[] = [];
  keys = new Map<string, UserKeyReply>();
  readonly invalidated: { userId: string; reason: string }[] = [];
  windowsDoneCalls = 0;
  async windowsDone(): Promise<WindowRecord[]> {
    this.windowsDoneCalls++;
    return this.done;
  }
  async userKey(userId: string): Promise<UserKeyReply | undefined> {
    return this.keys.get(userId);
  }
  /** Archived windows per user (the audio archive); restoring one "writes" its object. */
  archived = new Map<string, ArchivedWindow[]>();
  readonly restored: string[] = [];
  /** Windows remembered as empty (Limitless answered 404) per user. */
  archivedEmpty = new Map<string, EmptyArchivedWindow[]>();

  async archivedWindows(userId: string): Promise<ArchivedWindowsReply> {
    return { windows: this.archived.get(userId) ?? [], emptyWindows: this.archivedEmpty.get(userId) ?? [] };
  }
  async restoreArchivedWindow(userId: string, windowStartMs: number, audioObject: string): Promise<number | undefined> {
    const window = (this.archived.get(userId) ?? []).find((w) => w.windowStartMs === windowStartMs);
    if (!window) return undefined;
    this.restored.push(audioObject);
    return window.bytes;
  }
  async markKeyInvalid(userId: string, reason: string): Promise<boolean> {
    this.invalidated.push({ userId, reason });
    return true;
  }
}

export function testMetrics(): IngestionMetrics {
  return new IngestionMetrics(new MetricsService({ service: 'ingestion-test', memoryLimitMb: 512, defaultMetrics: false }));
}

/** A logger whose JSON lines are kept in memory. */
export function capturedLogger(level = 'debug'): { logger: IngestionLogger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger(level, sink as unknown as pino.DestinationStream), lines, text: () => lines.join('\n') };
}

/** Minimal valid Ogg-looking bytes (the service only checks the magic). */
export function oggBytes(size = 1_000): Buffer {
  const b = Buffer.alloc(size, 7);
  b.write('OggS', 0, 'latin1');
  return b;
}
