/**
 * The gateway's account queries: the users row of a signed-in user, profile, settings, the
 * Limitless key (ciphertext in, status out) and deleting all of one user's data. Requests
 * arrive validated by the contracts; a user id is compared in its lower-case form (the clip
 * folders' and the database's text form).
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  QUERY_ERROR_CODES,
  type DeleteKeyReply,
  type DeleteKeyRequest,
  type DeleteUserDataReply,
  type DeleteUserDataRequest,
  type EnsureUserReply,
  type EnsureUserRequest,
  type SaveKeyReply,
  type SaveKeyRequest,
  type UpdateSettingsReply,
  type UpdateSettingsRequest,
  type UserProfileReply,
  type UserProfileRequest,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import type { PersistenceLogger } from '../logging/logger';
import { AccountRepository } from '../repositories/account.repository';
import { LOGGER } from '../tokens';
import { AudioArchiveService } from '../archive/audio-archive.service';
import { UserClipFiles } from './user-clip-files';

const NO_USER = 'no such user';

@Injectable()
export class AccountService {
  constructor(
    @Inject(AccountRepository) private readonly account: AccountRepository,
    @Inject(UserClipFiles) private readonly clipFiles: UserClipFiles,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    @Inject(AudioArchiveService) private readonly archive: AudioArchiveService,
  ) {}

  /** `conflict` when the e-mail already belongs to another account's row. */
  async ensureUser(request: EnsureUserRequest): Promise<EnsureUserReply> {
    const reply = await this.account.ensureUser(request.userId.toLowerCase(), request.email, request.timezone);
    if (!reply) throw new QueryError(QUERY_ERROR_CODES.conflict, 'that e-mail address belongs to another account');
    if (reply.created) this.logger.info({ userId: reply.userId }, 'user created');
    return reply;
  }

  async userProfile(request: UserProfileRequest): Promise<UserProfileReply> {
    const profile = await this.account.profile(request.userId.toLowerCase());
    if (!profile) throw QueryError.notFound(NO_USER);
    return profile;
  }

  /** The zone is stored for days not processed yet; days already stored keep their dates. */
  async updateSettings(request: UpdateSettingsRequest): Promise<UpdateSettingsReply> {
    const userId = request.userId.toLowerCase();
    if (request.timezone !== undefined && !(await this.account.setTimezone(userId, request.timezone))) throw QueryError.notFound(NO_USER);
    return this.userProfile({ userId });
  }

  /** `not_found` when the user has no row yet (ensureUser first). */
  async saveKey(request: SaveKeyRequest): Promise<SaveKeyReply> {
    const userId = request.userId.toLowerCase();
    const reply = await this.account.saveKey(userId, request.encryptedKey);
    if (!reply) throw QueryError.notFound(NO_USER);
    this.logger.info({ userId, replaced: reply.replaced }, 'Limitless key saved');
    return reply;
  }

  async deleteKey(request: DeleteKeyRequest): Promise<DeleteKeyReply> {
    const userId = request.userId.toLowerCase();
    const deleted = await this.account.deleteKey(userId);
    if (deleted) this.logger.info({ userId }, 'Limitless key deleted');
    return { deleted };
  }

  /** Rows first (one transaction), then every clip and archived audio file in the user's folders. Nobody else's data is touched. */
  async deleteUserData(request: DeleteUserDataRequest): Promise<DeleteUserDataReply> {
    const userId = request.userId.toLowerCase();
    const removed = await this.account.deleteUserData(userId);
    const clips = await this.clipFiles.removeAll(userId, removed.clipPaths);
    // The rows went with the users row (ON DELETE CASCADE); the files are listed from the folder.
    const archived = await this.archive.deleteUserArchive(userId);
    const reply: DeleteUserDataReply = {
      detections: removed.detections,
      clips,
      segments: removed.segments,
      logs: removed.logs,
      jobs: removed.jobs,
      keys: removed.keys,
      userRemoved: removed.userRemoved,
      ...(archived.files === undefined ? {} : { archivedAudioFiles: archived.files }),
    };
    this.logger.info({ userId, ...reply, reviews: removed.reviews }, 'all data of a user deleted');
    return reply;
  }
}
