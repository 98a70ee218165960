/**
 * Removing a user's clip files after their rows changed (a deleted laugh or day, deleting all
 * data). The database always goes first: a crash in between leaves an orphaned file (the daily
 * reconciliation deletes it), never a laugh pointing at a missing clip. Only paths under the
 * user's own folder are touched — a path from elsewhere (a legacy row) is never deleted on
 * behalf of this user.
 */
import { Inject, Injectable } from '@nestjs/common';
import { type ClipStore } from '../clips/clip-store';
import type { PersistenceLogger } from '../logging/logger';
import { DetectionsRepository } from '../repositories/detections.repository';
import { CLIP_STORE } from '../results/results.handler';
import { LOGGER } from '../tokens';

@Injectable()
export class UserClipFiles {
  constructor(
    @Inject(CLIP_STORE) private readonly clips: ClipStore,
    @Inject(DetectionsRepository) private readonly detections: DetectionsRepository,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
  ) {}

  /** Deletes the files no live laugh of the user still refers to; returns how many were removed. */
  async removeUnreferenced(userId: string, paths: readonly string[]): Promise<number> {
    let removed = 0;
    for (const path of new Set(paths)) {
      if (!this.isUsers(userId, path)) continue;
      if (await this.detections.clipIsReferenced(userId, path)) continue;
      if (await this.remove(userId, path)) removed += 1;
    }
    return removed;
  }

  /** Deletes every file of the user: the given paths and whatever else is in the user's folder. */
  async removeAll(userId: string, paths: readonly string[]): Promise<number> {
    const folder = `${userId.toLowerCase()}/`;
    const listed = await this.clips.list(folder);
    let removed = 0;
    for (const path of new Set([...paths, ...listed])) {
      if (this.isUsers(userId, path) && (await this.remove(userId, path))) removed += 1;
    }
    return removed;
  }

  private isUsers(userId: string, path: string): boolean {
    if (path.startsWith(`${userId.toLowerCase()}/`)) return true;
    this.logger.warn({ userId }, 'a laugh referred to a clip outside the user\'s folder; clip left in place');
    return false;
  }

  private async remove(userId: string, path: string): Promise<boolean> {
    try {
      return await this.clips.delete(path);
    } catch (error) {
      this.logger.warn({ userId, clipPath: path, err: error instanceof Error ? error.message : String(error) }, 'clip file could not be removed; left to the reconciliation run');
      return false;
    }
  }
}
