import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from './connect';
import { errorMessage, type MessagingLogger } from './logger';
import { openObjectBucket, type ObjectBucket } from './object-store';
import { ensureTopology, type TopologyOptions } from './topology';

export interface ServiceConnectionSpec {
  url: string;
  /** Connection name (`giggles-<service>`), shown by `nats server report connections`. */
  name: string;
  /** Object-store buckets this service reads or writes; opened once at connect. */
  buckets?: readonly string[];
  /** Which streams and buckets to make sure of (default: all of Giggles'). */
  topology?: TopologyOptions;
  logger: MessagingLogger;
  /** Called once connected (e.g. to register the NATS readiness check). */
  onConnected?: (nc: NatsConnection) => void;
  /** Called before the connection drains at shutdown (e.g. to drop that check). */
  onClosing?: () => void;
}

interface Connected {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  buckets: Map<string, ObjectBucket>;
}

/**
 * A service process's one NATS connection: connects at boot (waiting for the server, reconnecting
 * forever), makes sure the streams and buckets exist, opens the buckets the service uses, logs
 * connection trouble, and drains at shutdown.
 *
 * The lifecycle methods carry NestJS's hook names (`onModuleInit`, `onApplicationShutdown`), so a
 * service's injectable adapter only extends this class and passes its settings: Nest calls them
 * (duck-typed) without this library depending on Nest. Consumers and query servers stop in
 * `beforeApplicationShutdown`, so the drain here comes after them.
 */
export class ServiceNatsConnection {
  private state: Connected | undefined;

  constructor(private readonly spec: ServiceConnectionSpec) {}

  async onModuleInit(): Promise<void> {
    const nc = await connectNats(this.spec.url, this.spec.name);
    try {
      const js = jetstream(nc);
      const jsm = await js.jetstreamManager();
      const topology = await ensureTopology(jsm, this.spec.topology);
      const names = this.spec.buckets ?? [];
      const opened = await Promise.all(names.map((name) => openObjectBucket(js, name)));
      this.state = { nc, js, jsm, buckets: new Map(names.map((name, i) => [name, opened[i]])) };
      this.spec.onConnected?.(nc);
      this.spec.logger.info({ server: nc.getServer(), topology }, 'connected to NATS');
      void this.watchStatus(nc);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const nc = this.state?.nc;
    if (!nc || nc.isClosed()) return;
    this.spec.onClosing?.();
    try {
      await nc.drain();
    } catch (error) {
      this.spec.logger.warn({ err: errorMessage(error) }, 'NATS drain failed');
    }
  }

  get nc(): NatsConnection {
    return this.connected().nc;
  }

  get js(): JetStreamClient {
    return this.connected().js;
  }

  get jsm(): JetStreamManager {
    return this.connected().jsm;
  }

  /** One of the buckets named in the spec. */
  bucket(name: string): ObjectBucket {
    const bucket = this.connected().buckets.get(name);
    if (!bucket) throw new Error(`object-store bucket ${name} was not opened by ${this.spec.name}`);
    return bucket;
  }

  private connected(): Connected {
    if (!this.state) throw new Error('NATS is not connected yet');
    return this.state;
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        this.spec.logger.warn({ nats: status.type, server: 'server' in status ? status.server : undefined }, 'NATS connection status');
      }
    }
  }
}
