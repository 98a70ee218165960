/**
 * Before a reprocess the scheduler clears the local days it will run again: one transaction
 * removes the days' live detections, windows, job logs and finished jobs (tombstones stay, so a
 * reprocess cannot bring back a laugh the user deleted), then the removed detections' clip files
 * leave clip storage. The database goes first: a crash in between leaves unreferenced clips
 * (the reconciliation run deletes those), never a detection pointing at a missing file.
 */
import { Inject, Injectable } from '@nestjs/common';
import { LIMITLESS_UNREACHABLE_REFUSAL, QUERY_ERROR_CODES, type ClearDaysReply, type ClearDaysRequest } from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { type ClipStore } from '../clips/clip-store';
import type { PersistenceLogger } from '../logging/logger';
import { DaysRepository } from '../repositories/days.repository';
import { CLIP_STORE } from '../results/results.handler';
import { LOGGER } from '../tokens';

@Injectable()
export class ClearDaysService {
  constructor(
    @Inject(DaysRepository) private readonly days: DaysRepository,
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
  ) {}

  /**
   * `conflict` (nothing is removed then) while a job of those days is planned or running, or while
   * Limitless is unreachable and some of the days hold results whose audio the archive does not
   * keep: clearing them would lose what cannot be downloaded again.
   */
  async clearDays(request: ClearDaysRequest): Promise<ClearDaysReply> {
    const cleared = await this.days.clearDays(request.userId, request.from, request.to, request.limitlessUnreachable ?? false);
    if (cleared.conflict) {
      if (cleared.reason === 'api_unreachable') {
        this.logger.info({ userId: request.userId, from: request.from, to: request.to, daysAtRisk: cleared.daysAtRisk }, 'reprocess refused: Limitless unreachable');
        throw new QueryError(QUERY_ERROR_CODES.conflict, unreachableRefusal(cleared.daysAtRisk.length));
      }
      throw new QueryError(
        QUERY_ERROR_CODES.conflict,
        `days ${request.from}..${request.to} have jobs in flight (${cleared.jobsInFlight.join(', ')}); wait for the running jobs to finish and try again`,
      );
    }
    let clipsRemoved = 0;
    let clipFailures = 0;
    for (const path of cleared.clipPaths) {
      try {
        // A file that is already gone is fine: the detection it belonged to is gone too.
        if (await this.clips.delete(path)) clipsRemoved++;
      } catch (error) {
        // Unsafe legacy paths or a storage hiccup: the files are unreferenced now, and the
        // reconciliation run removes unreferenced clips.
        clipFailures++;
        this.logger.warn({ userId: request.userId, clipPath: path, err: error instanceof Error ? error.message : String(error) }, 'clip of a cleared day could not be removed');
      }
    }
    this.logger.info(
      {
        userId: request.userId,
        from: request.from,
        to: request.to,
        detectionsRemoved: cleared.detectionsRemoved,
        clipsRemoved,
        clipFailures,
        windowsRemoved: cleared.windowsRemoved,
        logsRemoved: cleared.logsRemoved,
        jobsRemoved: cleared.jobsRemoved,
      },
      'days cleared for reprocessing',
    );
    return {
      detectionsRemoved: cleared.detectionsRemoved,
      clipsRemoved,
      windowsRemoved: cleared.windowsRemoved,
      logsRemoved: cleared.logsRemoved,
    };
  }
}

/** The words a person sees when a reprocess would lose results Limitless cannot give back now. */
export function unreachableRefusal(daysAtRisk: number): string {
  const days = daysAtRisk === 1 ? '1 of these days holds results' : `${daysAtRisk} of these days hold results`;
  return `${LIMITLESS_UNREACHABLE_REFUSAL}, and ${days} whose audio isn't kept in your archive — reprocessing now would lose them. Try again when Limitless answers.`;
}
