import { HEALTH_SUBJECTS } from '@giggles/contracts';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { errorMessage } from '../util';
import { parseServiceHealthReply, type ServiceHealthReply } from './health-reply';

export type ServiceName = keyof typeof HEALTH_SUBJECTS;

/** One service as the probe saw it. */
export interface ServiceHealth {
  /** `up`: answered ready; `down`: answered not ready (see `failing`); `unreachable`: no answer in time. */
  status: 'up' | 'down' | 'unreachable';
  /** Down indicators and their messages (`{ database: 'connection refused' }`). */
  failing?: Record<string, string>;
  /** Why it is unreachable (no responders, timeout, bad reply). */
  message?: string;
  /** The full reply when there was one. */
  reply?: ServiceHealthReply;
}

export interface ServicesHealth {
  /** `ok` only when every probed service is up. */
  status: 'ok' | 'error';
  services: Record<string, ServiceHealth>;
  /** Names of the services that are not up, for a one-line summary. */
  notReady: string[];
  checkedAt: string;
}

export interface ServiceHealthProbeOptions {
  /** Which services to ask; default every service in HEALTH_SUBJECTS. */
  services?: readonly ServiceName[];
  /**
   * A service that has not answered within this long is "unreachable". Default 2000 ms: a ready
   * service answers in milliseconds (its slowest indicator has its own 2 s bound).
   */
  timeoutMs?: number;
  /**
   * A result is reused for this long, so many monitors polling at once cost one round of requests.
   * Default 5000 ms; 0 asks every time.
   */
  cacheMs?: number;
  now?: () => number;
}

export const SERVICE_HEALTH_PROBE_DEFAULTS = { timeoutMs: 2_000, cacheMs: 5_000 } as const;

/**
 * Asks every Giggles service for its readiness over NATS, in parallel: one request each, a few
 * hundred bytes back. Cheap enough to poll every 30 s.
 */
export class ServiceHealthProbe {
  private readonly services: readonly ServiceName[];
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private cached: { at: number; result: Promise<ServicesHealth> } | undefined;

  constructor(
    private readonly nc: () => NatsConnection,
    options: ServiceHealthProbeOptions = {},
  ) {
    this.services = options.services ?? (Object.keys(HEALTH_SUBJECTS) as ServiceName[]);
    this.timeoutMs = options.timeoutMs ?? SERVICE_HEALTH_PROBE_DEFAULTS.timeoutMs;
    this.cacheMs = options.cacheMs ?? SERVICE_HEALTH_PROBE_DEFAULTS.cacheMs;
    this.now = options.now ?? Date.now;
  }

  probe(): Promise<ServicesHealth> {
    const nowMs = this.now();
    if (this.cached && nowMs - this.cached.at < this.cacheMs) return this.cached.result;
    const result = this.askAll();
    this.cached = { at: nowMs, result };
    return result;
  }

  private async askAll(): Promise<ServicesHealth> {
    const entries = await Promise.all(this.services.map(async (name) => [name, await this.ask(name)] as const));
    const services = Object.fromEntries(entries);
    const notReady = entries.filter(([, health]) => health.status !== 'up').map(([name]) => name);
    return { status: notReady.length === 0 ? 'ok' : 'error', services, notReady, checkedAt: new Date(this.now()).toISOString() };
  }

  private async ask(name: ServiceName): Promise<ServiceHealth> {
    const subject = HEALTH_SUBJECTS[name];
    let reply: ServiceHealthReply;
    try {
      const msg = await this.nc().request(subject, '', { timeout: this.timeoutMs });
      reply = parseServiceHealthReply(msg.data, subject);
    } catch (error) {
      return { status: 'unreachable', message: unreachableReason(error, this.timeoutMs) };
    }
    if (reply.status === 'ok') return { status: 'up', reply };
    const failing = Object.fromEntries(Object.entries(reply.error).map(([key, value]) => [key, String((value as { message?: unknown }).message ?? 'down')]));
    return { status: 'down', failing, reply };
  }
}

function unreachableReason(error: unknown, timeoutMs: number): string {
  if (error instanceof errors.NoRespondersError || (error instanceof errors.RequestError && error.isNoResponders())) return 'no instance is listening';
  if (error instanceof errors.TimeoutError) return `no answer within ${timeoutMs} ms`;
  return errorMessage(error);
}
