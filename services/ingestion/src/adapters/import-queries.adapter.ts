import { Inject, Injectable } from '@nestjs/common';
import { QUERIES, QUERY_ERROR_CODES, type ImportBeginReply, type ImportBeginRequest } from '@giggles/contracts';
import { QueryError, request } from '@giggles/messaging';
import type { IngestionConfig } from '../config/ingestion-config';
import type { ImportQueries } from '../services/import-ports';
import { INGESTION_SETTINGS } from '../tokens';
import { NatsConnectionAdapter } from './nats-connection.adapter';

/** Persistence's answers an import needs: the user's time zone, and recording the import. */
@Injectable()
export class NatsImportQueries implements ImportQueries {
  constructor(
    @Inject(NatsConnectionAdapter) private readonly nats: NatsConnectionAdapter,
    @Inject(INGESTION_SETTINGS) private readonly config: IngestionConfig,
  ) {}

  async userTimezone(userId: string): Promise<string | undefined> {
    try {
      const profile = await request(this.nats.nc, QUERIES.userProfile, { userId }, { timeoutMs: this.config.queryTimeoutMs });
      return profile.timezone;
    } catch (error) {
      if (error instanceof QueryError && error.code === QUERY_ERROR_CODES.notFound) return undefined;
      throw error;
    }
  }

  begin(payload: ImportBeginRequest): Promise<ImportBeginReply> {
    return request(this.nats.nc, QUERIES.importBegin, payload, { timeoutMs: this.config.queryTimeoutMs });
  }
}
