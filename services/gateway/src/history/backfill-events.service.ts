import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { LAUGHTER_SETTINGS, type LaughterConfig } from '../laughter/laughter-config';
import { sameBackfillStatus } from './backfill-view';
import { BackfillService, type BackfillStatus } from './backfill.service';

export type BackfillStreamEvent = { event: 'progress' | 'done'; data: BackfillStatus } | { event: 'keepalive' };

/**
 * A user's backfill progress as a sequence of events, with the job progress stream's settings
 * (GATEWAY_JOB_EVENTS_POLL_INTERVAL, _MAX_DURATION, _KEEPALIVE) and its per-user stream budget
 * (the controller reserves a slot from JobEventsService): the scheduler's status asked once per
 * poll interval, `progress` whenever something the user sees changed (ETA ticking down alone is
 * not a change), and `done` once the backfill is done.
 */
@Injectable()
export class BackfillEventsService implements BeforeApplicationShutdown {
  /** Aborted at shutdown so open streams never hold up the HTTP server's close. */
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(BackfillService) private readonly backfills: BackfillService,
    @Inject(LAUGHTER_SETTINGS) private readonly settings: LaughterConfig,
  ) {}

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /** Events from `first` (fetched before the stream starts, so errors are plain HTTP answers) until done, the client goes, shutdown, or the max duration. */
  async *events(userId: string, first: BackfillStatus, clientGone: AbortSignal): AsyncGenerator<BackfillStreamEvent> {
    const signal = AbortSignal.any([clientGone, this.shutdown.signal]);
    const deadline = Date.now() + this.settings.jobEventsMaxDurationMs;
    let last = first;
    let lastSentAt = Date.now();
    yield { event: 'progress', data: first };
    while (last.backfill?.state !== 'done') {
      if (!(await sleep(this.settings.jobEventsPollIntervalMs, signal)) || Date.now() >= deadline) return;
      let next: BackfillStatus;
      try {
        next = await this.backfills.status(userId);
      } catch {
        continue; // the scheduler busy or restarting: ask again next poll
      }
      if (signal.aborted) return;
      if (!sameBackfillStatus(next, last)) {
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
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
