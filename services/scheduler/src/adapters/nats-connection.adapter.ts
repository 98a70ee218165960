import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthRegistry } from '@giggles/health';
import { connectNats, ensureTopology } from '@giggles/messaging';
import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SchedulerConfig } from '../config/scheduler-config';
import type { SchedulerLogger } from '../logging/logger';
import { LOGGER, SCHEDULER_SETTINGS } from '../tokens';

export const NATS_CONNECTION_NAME = 'giggles-scheduler';

interface NatsState {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/**
 * The process's one NATS connection: connects at boot (waiting for the server, reconnecting
 * forever), makes sure the streams exist (day jobs are published here; dead letters are read for
 * status), registers the NATS readiness check, and drains on shutdown.
 */
@Injectable()
export class NatsConnectionAdapter implements OnModuleInit, OnApplicationShutdown {
  private state: NatsState | undefined;

  constructor(
    @Inject(SCHEDULER_SETTINGS) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: SchedulerLogger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    const nc = await connectNats(this.config.natsUrl, NATS_CONNECTION_NAME);
    try {
      const js = jetstream(nc);
      const jsm = await js.jetstreamManager();
      const topology = await ensureTopology(jsm);
      this.state = { nc, js, jsm };
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

  get jsm(): JetStreamManager {
    return this.ready().jsm;
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
