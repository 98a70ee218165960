import { Inject, Injectable } from '@nestjs/common';
import { HEALTH_SUBJECTS } from '@giggles/contracts';
import { ServiceHealthProbe, type ServiceHealth, type ServiceName } from '@giggles/health';
import { NatsConnectionAdapter } from '../adapters/nats-connection.adapter';
import type { GatewayConfig } from '../config/gateway-config';
import { GATEWAY_SETTINGS } from '../tokens';

/** One service in `/api/health`: its state, and what is wrong when it is not up. */
export interface ServiceSummary {
  status: ServiceHealth['status'];
  message?: string;
  failing?: Record<string, string>;
}

/** When the scheduler last did a periodic job, and how long ago. */
export interface LastRun {
  at: string | null;
  ageSeconds: number | null;
}

export interface PlatformSummary {
  services: Record<string, ServiceSummary>;
  /** Services that are down or unreachable. */
  notReady: string[];
  /** The scheduler's last completed tick (it plans the nightly jobs). */
  nightly: LastRun;
  reconciliation: LastRun;
}

/**
 * What `/api/health` says about the rest of Giggles: every service in GATEWAY_HEALTH_SERVICES
 * asked over NATS (a silent one is "unreachable"), and the scheduler's last tick and
 * reconciliation, read from its readiness details. One probe serves every caller within 5 s.
 */
@Injectable()
export class PlatformHealth {
  private readonly probe: ServiceHealthProbe;

  constructor(@Inject(NatsConnectionAdapter) nats: NatsConnectionAdapter, @Inject(GATEWAY_SETTINGS) config: GatewayConfig) {
    this.probe = new ServiceHealthProbe(() => nats.nc, { services: parseHealthServices(config.healthServices) });
  }

  async summary(nowMs = Date.now()): Promise<PlatformSummary> {
    const health = await this.probe.probe();
    const services: Record<string, ServiceSummary> = {};
    for (const [name, service] of Object.entries(health.services)) {
      services[name] = { status: service.status, ...(service.message ? { message: service.message } : {}), ...(service.failing ? { failing: service.failing } : {}) };
    }
    const scheduler = health.services.scheduler?.reply?.details.scheduler as { lastTickAt?: unknown; lastReconcileAt?: unknown } | undefined;
    return { services, notReady: health.notReady, nightly: lastRun(scheduler?.lastTickAt, nowMs), reconciliation: lastRun(scheduler?.lastReconcileAt, nowMs) };
  }
}

/** GATEWAY_HEALTH_SERVICES: a comma-separated list of service names; an unknown name stops the boot. */
export function parseHealthServices(value: string): ServiceName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(HEALTH_SUBJECTS, n) || n === 'gateway');
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`GATEWAY_HEALTH_SERVICES: ${unknown.length ? `unknown service ${unknown.join(', ')}` : 'empty'}; use some of ingestion, inference, persistence, scheduler`);
  }
  return names as ServiceName[];
}

function lastRun(at: unknown, nowMs: number): LastRun {
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return { at: null, ageSeconds: null };
  return { at, ageSeconds: Math.max(0, Math.round((nowMs - Date.parse(at)) / 1000)) };
}
