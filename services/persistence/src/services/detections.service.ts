/**
 * A user deletes one of their laughs (the gateway's path, over NATS once its contract exists):
 * the detection becomes a tombstone (`giggles_delete_detection`: reprocessing will not bring it
 * back), then its clip file leaves clip storage. The database goes first: a crash in between
 * leaves an unreferenced clip, never a detection pointing at a missing file.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ClipStore } from '../clips/clip-store';
import type { PersistenceLogger } from '../logging/logger';
import { DetectionsRepository } from '../repositories/detections.repository';
import { CLIP_STORE } from '../results/results.handler';
import { LOGGER } from '../tokens';

export interface DetectionDeleted {
  /** False when the detection is not the user's, or was already deleted. */
  deleted: boolean;
  /** Whether a clip file was removed. */
  clipDeleted: boolean;
}

@Injectable()
export class DetectionsService {
  constructor(
    @Inject(DetectionsRepository) private readonly detections: DetectionsRepository,
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
  ) {}

  async deleteDetection(userId: string, detectionId: string): Promise<DetectionDeleted> {
    const { deleted, clipPath } = await this.detections.deleteDetection(userId, detectionId);
    if (!deleted || !clipPath) return { deleted, clipDeleted: false };
    // Clips live under the user's own folder; a path from elsewhere (a legacy row) is not ours to delete.
    if (!clipPath.startsWith(`${userId.toLowerCase()}/`)) {
      this.logger.warn({ userId, detectionId }, 'deleted detection refers to a clip outside the user\'s folder; clip left in place');
      return { deleted, clipDeleted: false };
    }
    // Another live detection should never share a clip, but if one does its clip stays.
    if (await this.detections.clipIsReferenced(userId, clipPath)) return { deleted, clipDeleted: false };
    try {
      return { deleted, clipDeleted: await this.clips.delete(clipPath) };
    } catch (error) {
      // The detection is gone for the user either way; the orphaned clip is only disk space.
      this.logger.warn({ userId, detectionId, clipPath, err: error instanceof Error ? error.message : String(error) }, 'clip of a deleted detection could not be removed');
      return { deleted, clipDeleted: false };
    }
  }
}
