import { Inject, Injectable } from '@nestjs/common';
import { BUCKETS } from '@giggles/contracts';
import { HealthRegistry } from '@giggles/health';
import { ServiceNatsConnection, type ObjectBucket } from '@giggles/messaging';
import type { IngestionConfig } from '../config/ingestion-config';
import type { IngestionLogger } from '../logging/logger';
import { INGESTION_SETTINGS, LOGGER } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-ingestion';

/**
 * The process's one NATS connection and the audio bucket downloads go into, with the NATS
 * readiness check registered while it is open. Drains after the consumer stopped.
 */
@Injectable()
export class NatsConnectionAdapter extends ServiceNatsConnection {
  constructor(
    @Inject(INGESTION_SETTINGS) config: IngestionConfig,
    @Inject(LOGGER) logger: IngestionLogger,
    @Inject(HealthRegistry) health: HealthRegistry,
  ) {
    super({
      url: config.natsUrl,
      name: NATS_CONNECTION_NAME,
      buckets: [BUCKETS.audio],
      logger,
      onConnected: (nc) => health.addNats(nc),
      onClosing: () => health.remove('nats'),
    });
  }

  get audioBucket(): ObjectBucket {
    return this.bucket(BUCKETS.audio);
  }
}
