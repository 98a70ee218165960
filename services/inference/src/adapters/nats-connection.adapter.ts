import { Inject, Injectable } from '@nestjs/common';
import { BUCKETS } from '@giggles/contracts';
import { ServiceNatsConnection, type ObjectBucket } from '@giggles/messaging';
import type { InferenceConfig } from '../config/inference-config';
import type { InferenceLogger } from '../logging/logger';
import { INFERENCE_SETTINGS, LOGGER } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-inference';

/**
 * The process's one NATS connection and the audio (read) and clip (written) buckets. Drains after
 * the consumer has stopped (that happens in `beforeApplicationShutdown`). The NATS readiness check
 * is registered by the health-checks adapter.
 */
@Injectable()
export class NatsConnectionAdapter extends ServiceNatsConnection {
  constructor(@Inject(INFERENCE_SETTINGS) config: InferenceConfig, @Inject(LOGGER) logger: InferenceLogger) {
    super({ url: config.natsUrl, name: NATS_CONNECTION_NAME, buckets: [BUCKETS.audio, BUCKETS.clips], logger });
  }

  get audioBucket(): ObjectBucket {
    return this.bucket(BUCKETS.audio);
  }

  get clipBucket(): ObjectBucket {
    return this.bucket(BUCKETS.clips);
  }
}
