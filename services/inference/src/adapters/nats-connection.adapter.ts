import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BUCKETS } from '@giggles/contracts';
import { connectNats, ensureTopology, openObjectBucket, type ObjectBucket } from '@giggles/messaging';
import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { InferenceConfig } from '../config/inference-config';
import type { InferenceLogger } from '../logging/logger';
import { INFERENCE_SETTINGS, LOGGER } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-inference';

/**
 * The process's one NATS connection: connects at boot (waiting for the server, reconnecting
 * forever), makes sure the streams and buckets exist, and drains on shutdown — after the
 * consumer has stopped (that happens in `beforeApplicationShutdown`).
 */
@Injectable()
export class NatsConnectionAdapter implements OnModuleInit, OnApplicationShutdown {
  private state: { nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager; audio: ObjectBucket; clips: ObjectBucket } | undefined;

  constructor(
    @Inject(INFERENCE_SETTINGS) private readonly config: InferenceConfig,
    @Inject(LOGGER) private readonly logger: InferenceLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    const nc = await connectNats(this.config.natsUrl, NATS_CONNECTION_NAME);
    try {
      const js = jetstream(nc);
      const jsm = await js.jetstreamManager();
      const topology = await ensureTopology(jsm);
      const [audio, clips] = await Promise.all([openObjectBucket(js, BUCKETS.audio), openObjectBucket(js, BUCKETS.clips)]);
      this.state = { nc, js, jsm, audio, clips };
      this.logger.info({ server: nc.getServer(), topology }, 'connected to NATS');
      void this.watchStatus(nc);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const nc = this.state?.nc;
    if (!nc || nc.isClosed()) return;
    await nc.drain().catch((error: unknown) => this.logger.warn({ err: String(error) }, 'NATS drain failed'));
  }

  get connection(): NatsConnection {
    return this.ready().nc;
  }
  get jetstream(): JetStreamClient {
    return this.ready().js;
  }
  get audioBucket(): ObjectBucket {
    return this.ready().audio;
  }
  get clipBucket(): ObjectBucket {
    return this.ready().clips;
  }

  private ready() {
    if (!this.state) throw new Error('NATS is not connected yet');
    return this.state;
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        this.logger.warn({ status: status.type, server: 'server' in status ? status.server : undefined }, 'NATS connection status');
      }
    }
  }
}
