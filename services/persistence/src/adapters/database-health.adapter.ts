/**
 * The `database` readiness check: the database answers through PostgREST (the path every
 * repository uses) with the migrated schema, within PERSISTENCE_DB_HEALTH_TIMEOUT. A HEAD request
 * on `users` costs one index-only lookup and returns no rows.
 */
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@giggles/health';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { PersistenceConfig } from '../config/persistence-config';
import { SUPABASE_CLIENT, type GigglesSupabaseClient } from '../database/supabase-client';
import { PERSISTENCE_SETTINGS } from '../tokens';

export const DATABASE_CHECK = 'database';

@Injectable()
export class DatabaseHealthAdapter implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(SUPABASE_CLIENT) private readonly db: GigglesSupabaseClient,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(PERSISTENCE_SETTINGS) private readonly config: PersistenceConfig,
  ) {}

  onModuleInit(): void {
    this.health.add(DATABASE_CHECK, () => this.check());
  }

  onApplicationShutdown(): void {
    this.health.remove(DATABASE_CHECK);
  }

  async check(): Promise<HealthIndicatorResult> {
    const started = Date.now();
    const { error, status } = await this.db
      .from('users')
      .select('id', { head: true })
      .limit(1)
      .abortSignal(AbortSignal.timeout(this.config.databaseTimeoutMs));
    const latencyMs = Date.now() - started;
    if (error) {
      // PostgREST's message names the problem (connection refused, schema cache, timeout); never the URL or key.
      const message = error.message || `HTTP ${status}`;
      return { [DATABASE_CHECK]: { status: 'down', latencyMs, message, ...(error.code ? { code: error.code } : {}) } };
    }
    return { [DATABASE_CHECK]: { status: 'up', latencyMs } };
  }
}
