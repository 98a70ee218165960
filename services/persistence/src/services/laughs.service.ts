/**
 * The gateway's laugh queries: a day's laughs, notes and "not a laugh" marks, deleting a laugh
 * or a whole day (tombstones, then their clip files), and the export pages. Every query names
 * the user; another user's laugh is `not_found`, exactly like one that does not exist.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  DAY_LAUGHS_PAGE,
  EXPORT_PAGE,
  type DayLaughsReply,
  type DayLaughsRequest,
  type DeleteDayReply,
  type DeleteDayRequest,
  type DeleteLaughReply,
  type DeleteLaughRequest,
  type ExportLaughsReply,
  type ExportLaughsRequest,
  type UpdateLaughReply,
  type UpdateLaughRequest,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import type { PersistenceLogger } from '../logging/logger';
import { LaughsRepository } from '../repositories/laughs.repository';
import { UsersRepository } from '../repositories/users.repository';
import { LOGGER } from '../tokens';
import { AudioArchiveService } from '../archive/audio-archive.service';
import { DetectionsService } from './detections.service';
import { UserClipFiles } from './user-clip-files';

const NO_LAUGH = 'no such laugh';

@Injectable()
export class LaughsService {
  constructor(
    @Inject(LaughsRepository) private readonly laughs: LaughsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(DetectionsService) private readonly detections: DetectionsService,
    @Inject(UserClipFiles) private readonly clipFiles: UserClipFiles,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    @Inject(AudioArchiveService) private readonly archive: AudioArchiveService,
  ) {}

  async dayLaughs(request: DayLaughsRequest): Promise<DayLaughsReply> {
    const userId = request.userId.toLowerCase();
    const user = await this.users.getUser(userId);
    if (!user) throw QueryError.notFound('no such user');
    const page = await this.laughs.dayLaughs(userId, request.localDate, {
      minProbability: request.minProbability ?? 0,
      offset: request.offset ?? 0,
      limit: request.limit ?? DAY_LAUGHS_PAGE.default,
    });
    return { localDate: request.localDate, timezone: user.timezone, total: page.total, laughs: page.laughs };
  }

  /** Notes are stored as the plain text given ('' or null clears); the review mark keeps the detection's scores as a label. */
  async updateLaugh(request: UpdateLaughRequest): Promise<UpdateLaughReply> {
    const laugh = await this.laughs.updateLaugh(request.userId.toLowerCase(), request.laughId, {
      ...(request.notes !== undefined ? { notes: request.notes } : {}),
      ...(request.review !== undefined ? { review: request.review } : {}),
    });
    if (!laugh) throw QueryError.notFound(NO_LAUGH);
    return { laugh };
  }

  /** Tombstone first (a reprocess cannot bring it back), then its clip file. */
  async deleteLaugh(request: DeleteLaughRequest): Promise<DeleteLaughReply> {
    const { deleted, clipDeleted } = await this.detections.deleteDetection(request.userId.toLowerCase(), request.laughId);
    if (!deleted) throw QueryError.notFound(NO_LAUGH);
    return { deleted, clipRemoved: clipDeleted };
  }

  /** Every live laugh of the local day becomes a tombstone, then their clips go; windows stay (nothing is downloaded again). */
  async deleteDay(request: DeleteDayRequest): Promise<DeleteDayReply> {
    const userId = request.userId.toLowerCase();
    const { laughsDeleted, clipPaths } = await this.laughs.deleteDay(userId, request.localDate);
    const clipsRemoved = await this.clipFiles.removeUnreferenced(userId, clipPaths);
    // Deleting a day deletes its kept audio too (a reprocess's clearing of days does not).
    const archived = await this.archive.deleteUserArchive(userId, request.localDate);
    if (laughsDeleted > 0) this.logger.info({ userId, localDate: request.localDate, laughsDeleted, clipsRemoved }, 'day deleted');
    return { laughsDeleted, clipsRemoved, ...(archived.files === undefined ? {} : { archivedAudioFiles: archived.files }) };
  }

  /** A full page means more may follow: `next` is the last laugh's position. */
  async exportLaughs(request: ExportLaughsRequest): Promise<ExportLaughsReply> {
    const limit = request.limit ?? EXPORT_PAGE.default;
    const laughs = await this.laughs.exportPage(request.userId.toLowerCase(), request.after, limit);
    const last = laughs[laughs.length - 1];
    return laughs.length === limit && last ? { laughs, next: { startMs: last.startMs, id: last.id } } : { laughs };
  }
}
