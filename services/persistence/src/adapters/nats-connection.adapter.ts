import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BUCKETS } from '@giggles/contracts';
import { HealthRegistry } from '@giggles/health';
import { connectNats, ensureTopology, openObjectBucket, type ObjectBucket } from '@giggles/messaging';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { PersistenceConfig } from '../config/persistence-config';
import type { PersistenceLogger } from '../logging/logger';
import { LOGGER, PERSISTENCE_SETTINGS } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-persistence';

interface NatsState {
  nc: NatsConnection;
  js: JetStreamClient;
  clips: ObjectBucket;
  audio: ObjectBucket;
}

/**
 * The process's one NATS connection: connects at boot (waiting for the server, reconnecting
 * forever), makes sure the streams and buckets exist, opens the clip and audio buckets,
 * registers the NATS readiness check, and drains on shutdown — after the consumer and the query
 * server stopped (they stop in `beforeApplicationShutdown`).
 */
@Injectable()
export class NatsConnectionAdapter implements OnModuleInit, OnApplicationShutdown {
  private state: NatsState | undefined;

  constructor(
    @Inject(PERSISTENCE_SETTINGS) private readonly config: PersistenceConfig,
    @Inject(LOGGER) private readonly logger: PersistenceLogger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const nc = await connectNats(this.config.natsUrl, NATS_CONNECTION_NAME);
    try {
      const js = jetstream(nc);
      const topology = await ensureTopology(await js.jetstreamManager());
      const clips = await openObjectBucket(js, BUCKETS.clips);
      const audio = await openObjectBucket(js, BUCKETS.audio);
      this.state = { nc, js, clips, audio };
      this.health.addNats(nc);
      this.logger.info({ server: nc.getServer(), topology }, 'connected to NATS');
      void this.watchStatus(nc);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  get nc(): NatsConnection {
    return this.ready().nc;
  }

  get js(): JetStreamClient {
    return this.ready().js;
  }

  get clipsBucket(): ObjectBucket {
    return this.ready().clips;
  }

  get audioBucket(): ObjectBucket {
    return this.ready().audio;
  }

  async onApplicationShutdown(): Promise<void> {
    const state = this.state;
    if (!state || state.nc.isClosed()) return;
    this.health.remove('nats');
    try {
      await state.nc.drain();
    } catch (error) {
      this.logger.warn({ err: error }, 'NATS drain failed');
    }
  }

  private ready(): NatsState {
    if (!this.state) throw new Error('NATS is not connected yet');
    return this.state;
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        this.logger.warn({ nats: status.type, server: 'server' in status ? status.server : undefined }, 'NATS connection status');
      }
    }
  }
}
