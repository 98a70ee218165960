import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ServiceHealthReply } from './health-reply';
import type { ReadinessReport } from './readiness';

/** Replicas of one service share this queue group: one of them answers each health request. */
export const HEALTH_QUEUE_GROUP = 'giggles-health';

/**
 * Answers health requests on a service's subject (core NATS request/reply) with the same report
 * `/health/ready` gives. A request that arrives while the previous report is still being made
 * waits for it rather than starting another round of checks, so a burst of probes costs one.
 */
export class NatsHealthResponder {
  private readonly subscription: Subscription;
  private pending: Promise<ServiceHealthReply> | undefined;

  constructor(
    nc: NatsConnection,
    readonly subject: string,
    private readonly service: string,
    private readonly evaluate: () => Promise<ReadinessReport>,
  ) {
    this.subscription = nc.subscribe(subject, {
      queue: HEALTH_QUEUE_GROUP,
      callback: (error, msg) => {
        if (error) return;
        void this.report().then(
          (reply) => msg.respond(JSON.stringify(reply)),
          () => undefined,
        );
      },
    });
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private report(): Promise<ServiceHealthReply> {
    this.pending ??= this.evaluate()
      .then((report) => ({ ...report, service: this.service, at: new Date().toISOString(), uptimeS: Math.round(process.uptime()) }))
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
