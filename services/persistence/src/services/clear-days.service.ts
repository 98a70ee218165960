/**
 * Before a reprocess the scheduler clears the local days it will run again: one transaction
 * removes the days' live detections, windows, job logs and finished jobs (tombstones stay, so a
 * reprocess cannot bring back a laugh the user deleted), then the removed detections' clip files
 * leave clip storage. The database goes first: a crash in between leaves unreferenced clips
 * (the reconciliation run deletes those), never a detection pointing at a missing file.
 */
import { Inject, Injectable } from '@nestjs/common';
import { QUERY_ERROR_CODES, type ClearDaysReply, type ClearDaysRequest } from '@giggles/contracts';
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

  /** `conflict` while a job of those days is planned or running (nothing is removed then). */
  async clearDays(request: ClearDaysRequest): Promise<ClearDaysReply> {
    const cleared = await this.days.clearDays(request.userId, request.from, request.to);
    if (cleared.conflict) {
      throw new QueryError(
        QUERY_ERROR_CODES.conflict,
        `days ${request.from}..${request.to} have jobs in flight (${cleared.jobsInFlight.join(', ')}); try again when they finish`,
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
