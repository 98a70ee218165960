/**
 * Answers the QUERIES request/reply contracts from the repositories. Requests arrive validated
 * (serveQueries checks them against the contracts) and replies are checked again before they
 * leave, so these methods only map rows to the reply shapes: exactly the contract's fields, since
 * the contracts refuse unknown ones.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  ACTIVE_KEY_USERS_PAGE,
  type DayDetectionsReply,
  type DayDetectionsRequest,
  type DueDaysReply,
  type DueDaysRequest,
  type GiveUpGapsReply,
  type GiveUpGapsRequest,
  type JobStatusReply,
  type JobStatusRequest,
  type MarkKeyInvalidReply,
  type MarkKeyInvalidRequest,
  type OperationsStatusReply,
  type OperationsStatusRequest,
  type RegisterJobReply,
  type RegisterJobRequest,
  type StalledJobsReply,
  type StalledJobsRequest,
  type UserByEmailReply,
  type UserByEmailRequest,
  type UserDaysReply,
  type UserDaysRequest,
  type UserKeyReply,
  type UserKeyRequest,
  type UsersWithActiveKeysReply,
  type UsersWithActiveKeysRequest,
  type WindowsDoneReply,
  type WindowsDoneRequest,
} from '@giggles/contracts';
import { QueryError } from '@giggles/messaging';
import { ImportsRepository } from '../imports/imports.repository';
import type { PersistenceLogger } from '../logging/logger';
import { DaysRepository } from '../repositories/days.repository';
import { DetectionsRepository } from '../repositories/detections.repository';
import { JobsRepository } from '../repositories/jobs.repository';
import { KeysRepository } from '../repositories/keys.repository';
import { SegmentsRepository } from '../repositories/segments.repository';
import { UsersRepository } from '../repositories/users.repository';
import { LOGGER } from '../tokens';

/** markKeyInvalid's reason is free text from another service: logged, clipped. */
const MAX_LOGGED_REASON = 300;
/** stalledJobs without a limit. */
const DEFAULT_STALLED_LIMIT = 100;

@Injectable()
export class QueriesService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(SegmentsRepository) private readonly segments: SegmentsRepository,
    @Inject(DaysRepository) private readonly days: DaysRepository,
    @Inject(DetectionsRepository) private readonly detections: DetectionsRepository,
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
    @Inject(ImportsRepository) private readonly imports: ImportsRepository,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
  ) {}

  /** One page (a full page means more may follow), or one user. */
  async usersWithActiveKeys(request: UsersWithActiveKeysRequest = {}): Promise<UsersWithActiveKeysReply> {
    const limit = request.limit ?? ACTIVE_KEY_USERS_PAGE.default;
    const users = await this.users.usersWithActiveKeys({ ...request, limit });
    const full = request.userId === undefined && users.length === limit;
    return full ? { users, nextAfterUserId: users[users.length - 1].userId } : { users };
  }

  /** The ciphertext only; `not_found` when the user has no active key. */
  async userKey(request: UserKeyRequest): Promise<UserKeyReply> {
    const key = await this.keys.getEncryptedKey(request.userId);
    if (!key) throw QueryError.notFound(`user ${request.userId} has no active Limitless key`);
    return { encryptedKey: key.encryptedKey, status: key.status };
  }

  async markKeyInvalid(request: MarkKeyInvalidRequest): Promise<MarkKeyInvalidReply> {
    const updated = await this.keys.markKeyInvalid(request.userId, new Date(), request.reason.slice(0, MAX_LOGGED_REASON));
    if (updated) {
      this.logger.warn({ userId: request.userId, reason: request.reason.slice(0, MAX_LOGGED_REASON) }, 'Limitless key marked invalid');
    }
    return { updated };
  }

  async windowsDone(request: WindowsDoneRequest): Promise<WindowsDoneReply> {
    return { windows: await this.segments.windowsDone(request.userId, request.startMs, request.endMs) };
  }

  async dueDays(request: DueDaysRequest): Promise<DueDaysReply> {
    const [days, jobsInFlight] = await Promise.all([
      this.days.dueDays(request.userId, request.from, request.to, request.timezone),
      this.days.jobsInFlight(request.userId),
    ]);
    return { days, jobsInFlight };
  }

  async userDays(request: UserDaysRequest): Promise<UserDaysReply> {
    const days = await this.days.userDays(request.userId, request.from, request.to);
    return {
      days: days.map((day) => ({
        localDate: day.localDate,
        laughCount: day.laughCount,
        windowsProcessed: day.windowsProcessed,
        windowsEmpty: day.windowsEmpty,
        windowsGap: day.windowsGap,
        windowsFailed: day.windowsFailed,
      })),
    };
  }

  async dayDetections(request: DayDetectionsRequest): Promise<DayDetectionsReply> {
    const detections = await this.detections.dayDetections(request.userId, request.localDate);
    return {
      localDate: request.localDate,
      detections: detections.map((d) => ({
        id: d.id,
        startMs: d.startMs,
        endMs: d.endMs,
        peakMs: d.peakMs,
        probability: d.probability,
        className: d.className,
        ...(d.clipPath ? { clipPath: d.clipPath } : {}),
      })),
    };
  }

  /** `not_found` for an unknown job id. */
  async jobStatus(request: JobStatusRequest): Promise<JobStatusReply> {
    const status = await this.jobs.jobStatus(request.jobId);
    if (!status) throw QueryError.notFound(`no job ${request.jobId}`);
    return status;
  }

  /** `not_found` when nobody has that e-mail (compared case-insensitively). */
  async userByEmail(request: UserByEmailRequest): Promise<UserByEmailReply> {
    const user = await this.users.userByEmail(request.email);
    if (!user) throw QueryError.notFound('no user with that e-mail');
    return user;
  }

  async registerJob(request: RegisterJobRequest): Promise<RegisterJobReply> {
    return this.jobs.registerJob(request);
  }

  async stalledJobs(request: StalledJobsRequest): Promise<StalledJobsReply> {
    return { jobs: await this.jobs.stalledJobs(request.olderThanMs, request.limit ?? DEFAULT_STALLED_LIMIT) };
  }

  async giveUpGaps(request: GiveUpGapsRequest): Promise<GiveUpGapsReply> {
    const updated = await this.jobs.markGapsGivenUp(request.userId, request.localDate, request.reason);
    if (updated) {
      this.logger.info({ userId: request.userId, localDate: request.localDate, reason: request.reason.slice(0, MAX_LOGGED_REASON) }, 'gaps given up');
    }
    return { updated };
  }

  /** Jobs and users (jobs repository), each user with their failed imports (imports repository). */
  async operationsStatus(request: OperationsStatusRequest = {}): Promise<OperationsStatusReply> {
    const status = await this.jobs.operationsStatus(request.userId);
    const users = await Promise.all(status.users.map(async (user) => ({ ...user, ...(await this.imports.failures(user.userId)) })));
    return { ...status, users };
  }
}
