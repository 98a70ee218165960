import { Inject, Injectable } from '@nestjs/common';
import { QUERIES, QUERY_ERROR_CODES, type ArchivedWindowsReply, type UserKeyReply, type WindowRecord } from '@giggles/contracts';
import { QueryError, request } from '@giggles/messaging';
import type { IngestionConfig } from '../config/ingestion-config';
import type { PersistenceQueries } from '../services/ports';
import { INGESTION_SETTINGS } from '../tokens';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Asks persistence over NATS request/reply. Timeouts and "no responders" throw `QueryError` (transient). */
@Injectable()
export class NatsPersistenceQueries implements PersistenceQueries {
  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
  ) {}

  async windowsDone(userId: string, startMs: number, endMs: number): Promise<WindowRecord[]> {
    const reply = await request(this.nats.nc, QUERIES.windowsDone, { userId, startMs, endMs }, { timeoutMs: this.config.queryTimeoutMs });
    return reply.windows;
  }

  async userKey(userId: string): Promise<UserKeyReply | undefined> {
    try {
      return await request(this.nats.nc, QUERIES.userKey, { userId }, { timeoutMs: this.config.queryTimeoutMs });
    } catch (error) {
      if (error instanceof QueryError && error.code === QUERY_ERROR_CODES.notFound) return undefined;
      throw error;
    }
  }

  async markKeyInvalid(userId: string, reason: string): Promise<boolean> {
    const reply = await request(this.nats.nc, QUERIES.markKeyInvalid, { userId, reason }, { timeoutMs: this.config.queryTimeoutMs });
    return reply.updated;
  }

  async archivedWindows(userId: string, localDate: string): Promise<ArchivedWindowsReply> {
    return request(this.nats.nc, QUERIES.archivedWindows, { userId, localDate }, { timeoutMs: this.config.queryTimeoutMs });
  }

  /** Streaming a window takes longer than a lookup: INGESTION_ARCHIVE_RESTORE_TIMEOUT bounds it. */
  async restoreArchivedWindow(userId: string, windowStartMs: number, audioObject: string): Promise<number | undefined> {
    try {
      const reply = await request(this.nats.nc, QUERIES.restoreArchivedWindow, { userId, windowStartMs, audioObject }, { timeoutMs: this.config.archiveRestoreTimeoutMs });
      return reply.bytes;
    } catch (error) {
      if (error instanceof QueryError && error.code === QUERY_ERROR_CODES.notFound) return undefined;
      throw error;
    }
  }
}
