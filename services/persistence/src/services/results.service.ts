/**
 * Stores result messages (through ResultsHandler: database write → clips → transient objects)
 * and records dead-lettered ones in the user's processing log. Errors keep their meaning for the
 * consumer runner: PermanentError (bad data) is dead-lettered, anything else is retried.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type DeadLetter } from '@giggles/contracts';
import { PermanentError } from '@giggles/messaging';
import { UnsafeClipPathError } from '../clips/clip-path';
import type { PersistenceLogger } from '../logging/logger';
import { ResultsRepository } from '../repositories/results.repository';
import { ResultsHandler } from '../results/results.handler';
import { LOGGER } from '../tokens';
import { failureRecordFor } from './dead-letter-failure';
import { PersistenceMetrics } from './persistence-metrics';
import { type ResultMessage } from './result-message';

/** A dead letter's record must not hold the message's termination up for long (ack wait). */
const DEAD_LETTER_WRITE_TIMEOUT_MS = 15_000;

export interface ResultStored {
  /** False when the same outcome was already stored: a redelivery, nothing changed. */
  applied: boolean;
}

@Injectable()
export class ResultsService {
  constructor(
    @Inject(ResultsHandler) private readonly handler: ResultsHandler,
    @Inject(ResultsRepository) private readonly results: ResultsRepository,
    @Inject(PersistenceMetrics) private readonly metrics: PersistenceMetrics,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
  ) {}

  /** Resolves once the result is durable (database row, clips in clip storage, objects deleted). */
  async store(message: ResultMessage): Promise<ResultStored> {
    const stopTimer = this.metrics.resultSeconds.startTimer({ kind: message.kind });
    try {
      const applied = await this.dispatch(message);
      this.metrics.results.inc({ kind: message.kind, outcome: applied ? 'applied' : 'duplicate' });
      return { applied };
    } catch (error) {
      // A path the clip rules refuse is refused on every delivery.
      if (error instanceof UnsafeClipPathError) throw new PermanentError(error.message, { cause: error });
      throw error;
    } finally {
      stopTimer();
    }
  }

  /**
   * Tells the user: the dead letter's window (or job) is recorded as failed with the reason.
   * Returns false when the message names no user or the write failed (logged; the dead-letter
   * stream still holds the message).
   */
  async recordDeadLetter(message: ResultMessage | undefined, deadLetter: DeadLetter): Promise<boolean> {
    if (message) this.metrics.results.inc({ kind: message.kind, outcome: 'dead_lettered' });
    const record = failureRecordFor(deadLetter.subject, message, deadLetter.payload, deadLetter.reason, new Date(deadLetter.at));
    if (!record) {
      this.metrics.deadLetterRecords.inc({ outcome: 'unrecorded' });
      this.logger.warn({ subject: deadLetter.subject }, 'dead letter names no user; it is kept in the dead-letter stream only');
      return false;
    }
    const target = record.kind === 'window' ? record.outcome : record.progress;
    const where = { subject: deadLetter.subject, userId: target.userId, localDate: target.localDate, jobId: target.jobId };
    try {
      let recordedAs: string;
      if (record.kind === 'window') {
        recordedAs = (await withTimeout(this.results.recordDeadLetter(record.outcome), DEAD_LETTER_WRITE_TIMEOUT_MS)).recordedAs;
      } else {
        await withTimeout(this.results.recordJobProgress(record.progress), DEAD_LETTER_WRITE_TIMEOUT_MS);
        recordedAs = 'failed_job';
      }
      this.metrics.deadLetterRecords.inc({ outcome: 'recorded' });
      this.logger.warn({ ...where, recordedAs }, 'dead letter recorded in the processing log');
      return true;
    } catch (error) {
      this.metrics.deadLetterRecords.inc({ outcome: 'unrecorded' });
      this.logger.error({ ...where, err: error instanceof Error ? error.message : String(error) }, 'dead letter could not be recorded in the processing log');
      return false;
    }
  }

  private async dispatch(message: ResultMessage): Promise<boolean> {
    switch (message.kind) {
      case 'segment': {
        const handled = await this.handler.segmentResult(message.payload);
        this.metrics.detectionsInserted.inc(handled.detectionsInserted);
        this.metrics.duplicatesSkipped.inc(handled.duplicatesSkipped);
        this.metrics.clips.inc({ outcome: 'stored' }, handled.clipsStored);
        if (handled.archive) this.metrics.archive.inc({ outcome: handled.archive });
        if (handled.clipsMissing.length > 0) {
          this.metrics.clips.inc({ outcome: 'missing' }, handled.clipsMissing.length);
          this.logger.warn(
            { userId: message.payload.userId, jobId: message.payload.jobId, clipsMissing: handled.clipsMissing.length },
            'clip objects expired before they could be stored; their detections keep no clip file',
          );
        }
        return handled.applied;
      }
      case 'window': {
        const handled = await this.handler.windowOutcome(message.payload);
        // Only outcomes the archive acted on or could have (an 'empty' window) are counted.
        if (handled.archive && handled.archive !== 'not_empty') this.metrics.archive.inc({ outcome: handled.archive });
        return handled.applied;
      }
      case 'job':
        return (await this.handler.jobProgress(message.payload)).applied;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
