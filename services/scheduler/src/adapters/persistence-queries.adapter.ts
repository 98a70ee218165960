import { Inject, Injectable } from '@nestjs/common';
import {
  HISTORY_QUERIES,
  QUERIES,
  type ActiveKeyUser,
  type ClearDaysReply,
  type ClearDaysRequest,
  type DiscardJobRequest,
  type DueDaysReply,
  type DueDaysRequest,
  type GiveUpGapsRequest,
  type OperationsStatusReply,
  type ReconcileReply,
  type ReconcileRequest,
  type RegisterJobReply,
  type RegisterJobRequest,
  type StalledJob,
  type UserByEmailReply,
} from '@giggles/contracts';
import { request } from '@giggles/messaging';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { PersistenceQueries } from '../services/ports';
import { SCHEDULER_SETTINGS } from '../tokens';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Asks persistence over NATS request/reply. Failures, timeouts and "no responders" throw `QueryError`. */
@Injectable()
export class NatsPersistenceQueries implements PersistenceQueries {
  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
  ) {}

  private get options() {
    return { timeoutMs: this.config.queryTimeoutMs };
  }

  /** Every user with an active key, page after page. */
  async usersWithActiveKeys(): Promise<ActiveKeyUser[]> {
    const users: ActiveKeyUser[] = [];
    let afterUserId: string | undefined;
    do {
      const page = await request(this.nats.nc, QUERIES.usersWithActiveKeys, afterUserId ? { afterUserId } : {}, this.options);
      users.push(...page.users);
      afterUserId = page.nextAfterUserId;
    } while (afterUserId !== undefined);
    return users;
  }

  async activeKeyUser(userId: string): Promise<ActiveKeyUser | undefined> {
    return (await request(this.nats.nc, QUERIES.usersWithActiveKeys, { userId }, this.options)).users[0];
  }

  userByEmail(email: string): Promise<UserByEmailReply> {
    return request(this.nats.nc, QUERIES.userByEmail, { email }, this.options);
  }

  dueDays(body: DueDaysRequest): Promise<DueDaysReply> {
    return request(this.nats.nc, QUERIES.dueDays, body, this.options);
  }

  registerJob(body: RegisterJobRequest): Promise<RegisterJobReply> {
    return request(this.nats.nc, QUERIES.registerJob, body, this.options);
  }

  async stalledJobs(olderThanMs: number, limit: number): Promise<StalledJob[]> {
    return (await request(this.nats.nc, QUERIES.stalledJobs, { olderThanMs, limit }, this.options)).jobs;
  }

  async discardJob(body: DiscardJobRequest): Promise<boolean> {
    return (await request(this.nats.nc, HISTORY_QUERIES.discardJob, body, this.options)).discarded;
  }

  async giveUpGaps(body: GiveUpGapsRequest): Promise<boolean> {
    return (await request(this.nats.nc, QUERIES.giveUpGaps, body, this.options)).updated;
  }

  clearDays(body: ClearDaysRequest): Promise<ClearDaysReply> {
    return request(this.nats.nc, QUERIES.clearDays, body, this.options);
  }

  operationsStatus(userId?: string): Promise<OperationsStatusReply> {
    return request(this.nats.nc, QUERIES.operationsStatus, userId ? { userId } : {}, this.options);
  }

  /** Can take minutes on a large database: its own, longer timeout. */
  reconcile(body: ReconcileRequest): Promise<ReconcileReply> {
    return request(this.nats.nc, QUERIES.reconcile, body, { timeoutMs: this.config.reconcileTimeoutMs });
  }
}
