import { Inject, Injectable } from '@nestjs/common';
import { BUCKETS } from '@giggles/contracts';
import { HealthRegistry } from '@giggles/health';
import { ServiceNatsConnection, type ObjectBucket } from '@giggles/messaging';
import type { PersistenceConfig } from '../config/persistence-config';
import type { PersistenceLogger } from '../logging/logger';
import { LOGGER, PERSISTENCE_SETTINGS } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-persistence';

/**
 * The process's one NATS connection and the clip and audio buckets results refer to, with the
 * NATS readiness check registered while it is open. Drains after the consumer and the query
 * server stopped (they stop in `beforeApplicationShutdown`).
 */
@Injectable()
export class NatsConnectionAdapter extends ServiceNatsConnection {
  constructor(
    @Inject(PERSISTENCE_SETTINGS) config: PersistenceConfig,
    @Inject(LOGGER) logger: PersistenceLogger,
    @Inject(HealthRegistry) health: HealthRegistry,
  ) {
    super({
      url: config.natsUrl,
      name: NATS_CONNECTION_NAME,
      buckets: [BUCKETS.clips, BUCKETS.audio],
      logger,
      onConnected: (nc) => health.addNats(nc),
      onClosing: () => health.remove('nats'),
    });
  }

  get clipsBucket(): ObjectBucket {
    return this.bucket(BUCKETS.clips);
  }

  get audioBucket(): ObjectBucket {
    return this.bucket(BUCKETS.audio);
  }
}
