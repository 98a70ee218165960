import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthRegistry, ServiceHealthProbe, type ServiceName } from '@giggles/health';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';

/** The services the API cannot work without: every route asks persistence, the job routes the scheduler. */
export const REQUIRED_SERVICES: readonly ServiceName[] = ['persistence', 'scheduler'];

/**
 * Readiness checks `persistence` and `scheduler`: each must answer its health request over NATS
 * within GATEWAY_READY_PROBE_TIMEOUT. Answering is what the gateway needs (a service that answers
 * "degraded" still serves queries), so only silence makes the gateway unready.
 */
@Injectable()
export class DependenciesHealth implements OnApplicationBootstrap {
  private readonly probe: ServiceHealthProbe;

  constructor(
    @Inject(HealthRegistry) private readonly registry: HealthRegistry,
    @Inject(NatsConnectionAdapter) nats: NatsConnectionAdapter,
    @Inject(GATEWAY_SETTINGS) config: GatewayConfig,
  ) {
    this.probe = new ServiceHealthProbe(() => nats.nc, { services: REQUIRED_SERVICES, timeoutMs: config.readyProbeTimeoutMs, cacheMs: Math.min(config.readyProbeTimeoutMs, 2_000) });
  }

  onApplicationBootstrap(): void {
    for (const service of REQUIRED_SERVICES) {
      this.registry.add(service, async () => {
        const health = (await this.probe.probe()).services[service];
        const status = health?.status === 'unreachable' || !health ? 'down' : 'up';
        const details = health?.status === 'unreachable' ? { message: `${service} is not answering: ${health.message ?? 'no answer'}` } : { answered: health?.status };
        return { [service]: { status, ...details } };
      });
    }
  }
}
