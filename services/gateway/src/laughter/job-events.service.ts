import { HttpException, HttpStatus, Inject, Injectable, NotFoundException, type BeforeApplicationShutdown } from '@nestjs/common';
import { QUERIES, type JobProgressReply, type JobState } from '@giggles/contracts';
import { NatsQueryClient } from '../adapters/nats-query.client';
import { LAUGHTER_SETTINGS, type LaughterConfig } from './laughter-config';

/** A job stops changing once it reaches one of these. */
export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set<JobState>(['done', 'failed', 'key_invalid']);

export interface JobProgressEvent {
  jobId: string;
  localDate: string;
  status: JobState;
  windowsPlanned: number;
  windowsDone: number;
  laughsFound: number;
}

export type JobStreamEvent = { event: 'progress' | 'done'; data: JobProgressEvent } | { event: 'keepalive' };

function toEvent(progress: JobProgressReply): JobProgressEvent {
  return {
    jobId: progress.jobId,
    localDate: progress.localDate,
    status: progress.status,
    windowsPlanned: progress.windowsPlanned,
    windowsDone: progress.windowsDone,
    laughsFound: progress.laughsFound,
  };
}

function sameProgress(a: JobProgressEvent, b: JobProgressEvent): boolean {
  return a.status === b.status && a.windowsPlanned === b.windowsPlanned && a.windowsDone === b.windowsDone && a.laughsFound === b.laughsFound;
}

/** A slot in the per-user stream budget; give it back exactly once when the stream ends. */
export interface StreamSlot {
  release(): void;
}

/**
 * The progress of a user's job as a sequence of events: persistence's `jobProgress` asked about
 * once per GATEWAY_JOB_EVENTS_POLL_INTERVAL, a `progress` event whenever it changed, and a final
 * `done` event when the job reaches a final state. At most GATEWAY_JOB_EVENTS_MAX_STREAMS_PER_USER
 * streams per user are open at once (each one polls), so one user cannot load persistence.
 */
@Injectable()
export class JobEventsService implements BeforeApplicationShutdown {
  /** Open streams per user; a user's entry goes when their last stream ends (bounded by open streams). */
  private readonly open = new Map<string, number>();
  /** Aborted at shutdown: open streams end at once instead of holding the HTTP server's close for up to their max duration. */
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(NatsQueryClient) private readonly queries: NatsQueryClient,
    @Inject(LAUGHTER_SETTINGS) private readonly settings: LaughterConfig,
  ) {}

  /** Takes a slot or refuses with 429 when the user already has the maximum open. */
  reserve(userId: string): StreamSlot {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.settings.jobEventsMaxStreamsPerUser) {
      throw new HttpException(`At most ${this.settings.jobEventsMaxStreamsPerUser} progress streams at once — close one first`, HttpStatus.TOO_MANY_REQUESTS);
    }
    this.open.set(userId, count + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.open.get(userId) ?? 1) - 1;
        if (left <= 0) this.open.delete(userId);
        else this.open.set(userId, left);
      },
    };
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  openStreams(userId: string): number {
    return this.open.get(userId) ?? 0;
  }

  /** The job's progress now; 404 when it is not this user's job (or there is none). */
  async current(userId: string, jobId: string): Promise<JobProgressEvent> {
    return toEvent(await this.queries.ask(QUERIES.jobProgress, { userId, jobId }));
  }

  /**
   * Events from `first` (already fetched, so a 404 is answered before the stream starts) until the
   * job is final, `signal` aborts (the client went away) or GATEWAY_JOB_EVENTS_MAX_DURATION passes.
   * A poll that fails for a passing reason (persistence busy) is skipped; the job vanishing (the
   * user deleted their data) ends the stream.
   */
  async *events(userId: string, first: JobProgressEvent, clientGone: AbortSignal): AsyncGenerator<JobStreamEvent> {
    const signal = AbortSignal.any([clientGone, this.shutdown.signal]);
    const deadline = Date.now() + this.settings.jobEventsMaxDurationMs;
    let last = first;
    let lastSentAt = Date.now();
    yield { event: 'progress', data: first };
    while (!FINAL_JOB_STATES.has(last.status)) {
      if (!(await sleep(this.settings.jobEventsPollIntervalMs, signal)) || Date.now() >= deadline) return;
      let next: JobProgressEvent;
      try {
        next = await this.current(userId, first.jobId);
      } catch (error) {
        if (error instanceof NotFoundException) return;
        continue;
      }
      if (signal.aborted) return;
      if (!sameProgress(next, last)) {
        yield { event: 'progress', data: next };
        lastSentAt = Date.now();
      } else if (Date.now() - lastSentAt >= this.settings.jobEventsKeepAliveMs) {
        yield { event: 'keepalive' };
        lastSentAt = Date.now();
      }
      last = next;
    }
    yield { event: 'done', data: last };
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
