import { Inject, Injectable } from '@nestjs/common';
import { HealthRegistry } from '@giggles/health';
import { BUCKETS } from '@giggles/contracts';
import { ServiceNatsConnection, type ObjectBucket } from '@giggles/messaging';
import type { GatewayConfig } from '../config/gateway-config';
import type { GatewayLogger } from '../logging/logger';
import { GATEWAY_SETTINGS, LOGGER } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-gateway';

/** The process's one NATS connection (queries to persistence, commands to the scheduler), with the NATS readiness check while it is open. */
@Injectable()
export class NatsConnectionAdapter extends ServiceNatsConnection {
  constructor(
    @Inject(GATEWAY_SETTINGS) config: GatewayConfig,
    @Inject(LOGGER) logger: GatewayLogger,
    @Inject(HealthRegistry) health: HealthRegistry,
  ) {
    super({
      url: config.natsUrl,
      name: NATS_CONNECTION_NAME,
      // Finished uploads are streamed into the audio bucket for ingestion to import.
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
