import { Inject, Injectable } from '@nestjs/common';
import { HealthRegistry } from '@giggles/health';
import { ServiceNatsConnection } from '@giggles/messaging';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { SchedulerLogger } from '../logging/logger';
import { LOGGER, SCHEDULER_SETTINGS } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-scheduler';

/**
 * The process's one NATS connection (day jobs are published on it, commands answered, dead
 * letters read for status), with the NATS readiness check registered while it is open.
 */
@Injectable()
export class NatsConnectionAdapter extends ServiceNatsConnection {
  constructor(
    @Inject(SCHEDULER_SETTINGS) config: SchedulerConfig,
    @Inject(LOGGER) logger: SchedulerLogger,
    @Inject(HealthRegistry) health: HealthRegistry,
  ) {
    super({
      url: config.natsUrl,
      name: NATS_CONNECTION_NAME,
      logger,
      onConnected: (nc) => health.addNats(nc),
      onClosing: () => health.remove('nats'),
    });
  }
}
